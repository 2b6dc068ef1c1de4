-- One row per phase of the fit of every model version (the 'phase' rows): how long it took.
{{ customer_segmentation.seg_artifact_rows('phase', {'name': 'phase', 'value': 'phase_seconds'}) }}
