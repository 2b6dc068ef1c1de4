-- The centroid of every segment of every model version on each feature ('centroid' rows), in z-score
-- units of the version's training scaler and back in the feature's own units.
with centroid_rows as (

    {{ customer_segmentation.seg_artifact_rows('centroid', {
        'segment_id': 'segment_id', 'name': 'feature', 'value': 'centroid_value',
    }) }}

),

scalers as (

    select * from {{ ref('int_segment_model_scalers') }}

)

select
    centroid_rows.case_name,
    centroid_rows.model_id,
    centroid_rows.model_version,
    centroid_rows.is_current,
    centroid_rows.segment_id,
    centroid_rows.feature,
    scalers.feature_position,
    centroid_rows.centroid_value,
    -- back through the transform: a log feature's centre in its own units (a winsorised one is within its bounds)
    case
        when scalers.feature_transform = 'log'
            then exp(centroid_rows.centroid_value * scalers.sd_value + scalers.mean_value) - 1
        else centroid_rows.centroid_value * scalers.sd_value + scalers.mean_value
    end as centroid_original_value
from centroid_rows
inner join scalers
    on
        centroid_rows.model_id = scalers.model_id
        and centroid_rows.feature = scalers.feature
