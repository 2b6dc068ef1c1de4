-- The last merges of the Ward tree each fit builds for its k sweep (the 'ward_merge' rows), one row per
-- merge. Cluster ids follow scipy: an id below the number of clustered rows (step + clusters_after) is a
-- row of the sample, id n + i the cluster formed at step i + 1.
with merge_rows as (

    {{ customer_segmentation.seg_artifact_rows('ward_merge', {
        'k': 'step', 'name': 'merge_field', 'value': 'field_value',
    }) }}

)

{{ customer_segmentation.seg_pivot_model_rows('merge_rows', ['step'], 'merge_field', 'field_value', [
    ['cluster_a', 'cluster_a', 'bigint'],
    ['cluster_b', 'cluster_b', 'bigint'],
    ['height', 'height', 'double'],
    ['size', 'size', 'bigint'],
    ['clusters_after', 'n_clusters_after', 'bigint'],
]) }}
