-- The centroids of every model version of a case with a reduction, in the reduced component space
-- (the 'reduced_centroid' rows): what scoring measures distances to after projecting (seg_project).
{{ customer_segmentation.seg_artifact_rows('reduced_centroid', {
    'segment_id': 'segment_id', 'name': 'component', 'value': 'centroid_value',
}) }}
