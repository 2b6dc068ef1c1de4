-- The last merges of the Ward tree each fit builds for its k sweep (the 'ward_merge' rows), one row per
-- merge. Cluster ids follow scipy: an id below the number of clustered rows (step + clusters_after) is a
-- row of the sample, id n + i the cluster formed at step i + 1.
with merge_rows as (

    {{ customer_segmentation.seg_artifact_rows('ward_merge', {
        'k': 'step', 'name': 'merge_field', 'value': 'field_value',
    }) }}

)

select
    case_name,
    model_id,
    model_version,
    is_current,
    step,
    cast(max(case when merge_field = 'cluster_a' then field_value end) as bigint) as cluster_a,
    cast(max(case when merge_field = 'cluster_b' then field_value end) as bigint) as cluster_b,
    cast(max(case when merge_field = 'height' then field_value end) as double) as height,
    cast(max(case when merge_field = 'size' then field_value end) as bigint) as size,
    cast(max(case when merge_field = 'n_clusters_after' then field_value end) as bigint) as clusters_after
from merge_rows
group by case_name, model_id, model_version, is_current, step
