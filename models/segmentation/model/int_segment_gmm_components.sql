-- One row per component (segment) of every Gaussian-mixture model version (the 'gmm_component' rows).
with component_rows as (

    {{ customer_segmentation.seg_artifact_rows('gmm_component', {
        'segment_id': 'segment_id', 'name': 'parameter', 'value': 'parameter_value',
    }) }}

)

{{ customer_segmentation.seg_pivot_model_rows('component_rows', ['segment_id'], 'parameter', 'parameter_value', [
    ['weight', 'weight', none],
    ['log_weight', 'log_weight', none],
    ['log_det_precision_cholesky', 'log_det_precision_cholesky', none],
]) }}
