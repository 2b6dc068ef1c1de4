{% macro seg_score_case(case_name) %}
  {#- Every usable row of a case assigned to its nearest segment of the case's current model. -#}
  {%- set spec = seg_spec(case_name) -%}
  {%- set standardized = ref('int_' ~ case_name ~ '__standardized') -%}
  {%- set id_column = seg_column(standardized, spec.id_column) -%}
  with scored as (
    {{ seg_nearest_centroid(
        standardized,
        id_column,
        "(select segment_id, feature, centroid_value from " ~ ref('int_segment_centroids')
          ~ " where case_name = '" ~ case_name ~ "')",
        spec.features
    ) }}
  )

  select
    '{{ case_name }}' as case_name,
    cast(scored.{{ id_column }} as varchar) as customer_id,
    scored.segment_id,
    segments.segment_name,
    scored.distance_to_centroid,
    segments.model_id
  from scored
  inner join {{ ref('int_segments') }} as segments
    on segments.case_name = '{{ case_name }}' and scored.segment_id = segments.segment_id
{% endmacro %}
