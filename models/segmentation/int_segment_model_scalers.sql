-- The z-score parameters (transform, winsorising bounds, mean, sd and blank fill) each model version was
-- trained with; scoring uses the current ones.
select
    case_name,
    model_id,
    model_version,
    is_current,
    name as feature,
    k as feature_position,
    max(case when artifact = 'scaler_mean' then value end) as mean_value,
    max(case when artifact = 'scaler_sd' then value end) as sd_value,
    max(case when artifact = 'scaler_fill' then value end) as fill_value,
    max(case when artifact = 'scaler_mean' then text end) as feature_transform,
    max(case when artifact = 'scaler_clip_low' then value end) as clip_low,
    max(case when artifact = 'scaler_clip_high' then value end) as clip_high
from {{ ref('int_segment_artifacts') }}
where artifact in ('scaler_mean', 'scaler_sd', 'scaler_fill', 'scaler_clip_low', 'scaler_clip_high')
group by case_name, model_id, model_version, is_current, name, k
