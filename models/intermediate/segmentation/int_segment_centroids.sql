select
    artifacts.case_name,
    artifacts.model_id,
    artifacts.segment_id,
    artifacts.name as feature,
    scalers.feature_position,
    artifacts.value as centroid_value,
    artifacts.value * scalers.sd_value + scalers.mean_value as centroid_original_value
from {{ ref('int_segment_artifacts') }} as artifacts
inner join {{ ref('int_segment_scalers') }} as scalers
    on
        artifacts.case_name = scalers.case_name
        and artifacts.name = scalers.feature
where artifacts.artifact = 'centroid'
