select
    artifacts.case_name,
    artifacts.model_id,
    artifacts.model_version,
    artifacts.is_current,
    artifacts.segment_id,
    artifacts.name as feature,
    scalers.feature_position,
    artifacts.value as centroid_value,
    -- back through the transform: a log feature's centre in its own units (a winsorised one is within its bounds)
    case
        when scalers.feature_transform = 'log' then exp(artifacts.value * scalers.sd_value + scalers.mean_value) - 1
        else artifacts.value * scalers.sd_value + scalers.mean_value
    end as centroid_original_value
from {{ ref('int_segment_artifacts') }} as artifacts
inner join {{ ref('int_segment_model_scalers') }} as scalers
    on
        artifacts.model_id = scalers.model_id
        and artifacts.name = scalers.feature
where artifacts.artifact = 'centroid'
