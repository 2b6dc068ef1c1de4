-- What became of each segment at each refit (the 'lineage' rows): kept (matched, with its centroid
-- shift), new or vanished.
{{ customer_segmentation.seg_artifact_rows('lineage', {
    'k': 'previous_segment_id', 'segment_id': 'segment_id', 'name': 'change_type', 'value': 'centroid_shift',
}) }}
