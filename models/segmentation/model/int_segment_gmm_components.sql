-- One row per component (segment) of every Gaussian-mixture model version (the 'gmm_component' rows).
with component_rows as (

    {{ customer_segmentation.seg_artifact_rows('gmm_component', {
        'segment_id': 'segment_id', 'name': 'parameter', 'value': 'parameter_value',
    }) }}

)

select
    case_name,
    model_id,
    model_version,
    is_current,
    segment_id,
    max(case when parameter = 'weight' then parameter_value end) as weight,
    max(case when parameter = 'log_weight' then parameter_value end) as log_weight,
    max(case when parameter = 'log_det_precision_cholesky' then parameter_value end) as log_det_precision_cholesky
from component_rows
group by case_name, model_id, model_version, is_current, segment_id
