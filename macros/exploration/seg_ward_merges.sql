{% macro seg_ward_merges(case_name) %}
  {#-
    The top of the case's Ward dendrogram, per model version: the last merges of the Ward tree
    the engine builds for the k sweep (on at most ward_sample_size rows, whatever the case's
    algorithm), one row per merge, from the 'ward_merge' artifacts of each fit. Cluster ids follow scipy:
    an id below the number of clustered rows (step + clusters_after) is a row of the sample,
    id n + i is the cluster formed at step i + 1.
    Returns: case_name, model_id, model_version, is_current, step, cluster_a, cluster_b, height, size, clusters_after.
  -#}
  select
    case_name,
    model_id,
    model_version,
    is_current,
    cast(k as bigint) as step,
    cast(max(case when name = 'cluster_a' then value end) as bigint) as cluster_a,
    cast(max(case when name = 'cluster_b' then value end) as bigint) as cluster_b,
    max(case when name = 'height' then value end) as height,
    cast(max(case when name = 'size' then value end) as bigint) as size,
    cast(max(case when name = 'n_clusters_after' then value end) as bigint) as clusters_after
  from {{ ref('int_segment_artifacts') }}
  where artifact = 'ward_merge' and case_name = '{{ case_name }}'
  group by case_name, model_id, model_version, is_current, k
{% endmacro %}
