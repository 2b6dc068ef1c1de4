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

{#- the transform is stored with the mean -#}
{{ customer_segmentation.seg_pivot_model_rows(
    'scaler_rows', ['feature', 'feature_position'], 'parameter', 'parameter_value', [
        ['mean_value', 'scaler_mean', none],
        ['sd_value', 'scaler_sd', none],
        ['fill_value', 'scaler_fill', none],
        ['feature_transform', 'scaler_mean', none, 'feature_transform'],
        ['clip_low', 'scaler_clip_low', none],
        ['clip_high', 'scaler_clip_high', none],
    ]
) }}
