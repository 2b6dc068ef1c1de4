{% macro seg_ward_merges(case_name) %}
  {#- One case's rows of int_segment_ward_merges (the last merges of each fit's Ward tree), for the shared
      mart segment_ward_merges. Returns: case_name, model_id, model_version, is_current, step, cluster_a,
      cluster_b, height, size, clusters_after. -#}
  select *
  from {{ ref('int_segment_ward_merges') }}
  where case_name = {{ customer_segmentation.seg_literal(case_name) }}
{% endmacro %}
