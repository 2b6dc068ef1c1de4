-- The mean of every component (segment) of every Gaussian-mixture model version on each model
-- feature (the 'gmm_mean' rows): the standardised features, or component_1..q with a reduction.
{{ customer_segmentation.seg_artifact_rows('gmm_mean', {
    'segment_id': 'segment_id', 'name': 'model_feature', 'value': 'mean_value',
}) }}
