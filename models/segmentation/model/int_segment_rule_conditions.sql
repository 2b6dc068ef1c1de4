-- One row per condition of each segment rule of every model version (the 'rule_condition' rows); the
-- threshold is in the feature's own units. segment_rules reads the current model's.
{{ customer_segmentation.seg_artifact_rows('rule_condition', {
    'segment_id': 'segment_id', 'k': 'rule_number', 'name': 'feature', 'text': 'operator', 'value': 'threshold',
}) }}
