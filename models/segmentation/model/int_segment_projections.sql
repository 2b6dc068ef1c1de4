-- The linear maps every model version stored (the 'reduction', 'projection_2d' and
-- 'explained_variance' rows), one row per projection, component and feature:
--   component_j = sum over features of (standardised value - feature_mean) * weight
-- (macros/scoring/seg_project.sql). 'reduction' is what a case with a reduction clusters on,
-- 'projection_2d' the 2-D PCA of every fit.
with projection_rows as (

    {{ customer_segmentation.seg_artifact_rows(['reduction', 'projection_2d'], {
        'artifact': 'projection', 'k': 'component', 'name': 'feature', 'text': 'row_role', 'value': 'value',
    }) }}

),

explained_variance as (

    {{ customer_segmentation.seg_artifact_rows('explained_variance', {
        'name': 'projection', 'k': 'component', 'value': 'explained_variance_ratio',
    }) }}

),

feature_means as (

    select
        model_id,
        projection,
        feature,
        value as feature_mean
    from projection_rows
    where row_role = 'mean'

)

select
    weights.case_name,
    weights.model_id,
    weights.model_version,
    weights.is_current,
    weights.projection,
    weights.component,
    weights.feature,
    weights.value as weight,
    feature_means.feature_mean,
    explained_variance.explained_variance_ratio
from projection_rows as weights
left join feature_means
    on
        weights.model_id = feature_means.model_id
        and weights.projection = feature_means.projection
        and weights.feature = feature_means.feature
left join explained_variance
    on
        weights.model_id = explained_variance.model_id
        and weights.projection = explained_variance.projection
        and weights.component = explained_variance.component
where weights.row_role = 'weight'
