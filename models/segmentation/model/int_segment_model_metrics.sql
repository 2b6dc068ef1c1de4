-- One row per quality metric of the final fit of every model version (the 'metric' rows). Long on
-- purpose: which metrics a fit reports depends on its algorithm and reduction.
{{ customer_segmentation.seg_artifact_rows('metric', {'name': 'metric', 'value': 'metric_value'}) }}
