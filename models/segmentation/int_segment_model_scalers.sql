-- The z-score parameters (and blank fills) each model version was trained with; scoring uses the current ones.
select
    case_name,
    model_id,
    model_version,
    is_current,
    name as feature,
    k as feature_position,
    max(case when artifact = 'scaler_mean' then value end) as mean_value,
    max(case when artifact = 'scaler_sd' then value end) as sd_value,
    max(case when artifact = 'scaler_fill' then value end) as fill_value
from {{ ref('int_segment_artifacts') }}
where artifact in ('scaler_mean', 'scaler_sd', 'scaler_fill')
group by case_name, model_id, model_version, is_current, name, k
