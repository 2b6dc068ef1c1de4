-- The z-score parameters (transform, winsorising bounds, mean, sd and blank fill) each model version was
-- trained with; scoring uses the current ones.
with scaler_rows as (

    {{ customer_segmentation.seg_artifact_rows(
        ['scaler_mean', 'scaler_sd', 'scaler_fill', 'scaler_clip_low', 'scaler_clip_high'],
        {
            'artifact': 'parameter', 'k': 'feature_position', 'name': 'feature', 'value': 'parameter_value',
            'text': 'feature_transform',
        },
    ) }}

)

select
    case_name,
    model_id,
    model_version,
    is_current,
    feature,
    feature_position,
    max(case when parameter = 'scaler_mean' then parameter_value end) as mean_value,
    max(case when parameter = 'scaler_sd' then parameter_value end) as sd_value,
    max(case when parameter = 'scaler_fill' then parameter_value end) as fill_value,
    -- stored with the mean
    max(case when parameter = 'scaler_mean' then feature_transform end) as feature_transform,
    max(case when parameter = 'scaler_clip_low' then parameter_value end) as clip_low,
    max(case when parameter = 'scaler_clip_high' then parameter_value end) as clip_high
from scaler_rows
group by case_name, model_id, model_version, is_current, feature, feature_position
