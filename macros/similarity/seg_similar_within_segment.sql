{% macro seg_similar_within_segment(case_name, n_neighbours) %}
  {#-
    For every usable row of a case, its n_neighbours nearest rows IN THE SAME SEGMENT by
    Euclidean distance over the case's standardised clustering features (the z-scores of
    seg_standardize). Ties go to the smaller id. A self-join within segment: the
    cost is the sum over segments of size^2 (about n^2 / k pairs), fine for thousands of
    rows; a large catalogue needs an approximate nearest-neighbour index instead.
    Returns: case_name, item_id, similar_item_id, segment_id, similarity_rank, distance.
  -#}
  {%- if n_neighbours is not number or n_neighbours < 1 -%}
    {{ exceptions.raise_compiler_error("seg_similar_within_segment: n_neighbours must be a positive number, got "
      ~ n_neighbours) }}
  {%- endif -%}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
  {%- set columns = customer_segmentation.seg_columns(customer_segmentation.seg_features_relation(case_name), spec.features) -%}
  with points as (
    select
      cast(standardized.{{ id_column }} as varchar) as item_id,
      assignments.segment_id,
      {%- for column in columns %}
        standardized.{{ column }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from ({{ customer_segmentation.seg_standardize(case_name) }}) as standardized
    {{ customer_segmentation.seg_join_assignments(case_name, 'standardized') }}
  ),

  pairs as (
    select
      item.item_id,
      other.item_id as similar_item_id,
      item.segment_id,
      sqrt(
        {%- for column in columns %}
          (item.{{ column }} - other.{{ column }}) * (item.{{ column }} - other.{{ column }})
          {%- if not loop.last %} +{% endif %}
        {%- endfor %}
      ) as distance
    from points as item
    inner join points as other
      on item.segment_id = other.segment_id and item.item_id != other.item_id
  )

  select
    '{{ case_name }}' as case_name,
    item_id,
    similar_item_id,
    segment_id,
    row_number() over (partition by item_id order by distance, similar_item_id) as similarity_rank,
    distance
  from pairs
  qualify similarity_rank <= {{ n_neighbours | int }}
{% endmacro %}
