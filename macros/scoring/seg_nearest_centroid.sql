{% macro seg_nearest_centroid(points, id_column, centroids, features) %}
  {#-
    Assigns each row of `points` (standardised features, one column per feature) to the nearest
    centroid of `centroids` (long: segment_id, feature, centroid_value) by squared Euclidean distance;
    ties go to the lowest segment_id, as scikit-learn's predict does.
    Returns: <id_column>, segment_id, distance_to_centroid.
  -#}
  {{ return(adapter.dispatch('seg_nearest_centroid', 'customer_segmentation')(points, id_column, centroids, features)) }}
{% endmacro %}


{% macro default__seg_nearest_centroid(points, id_column, centroids, features) %}
  with centroid_rows as (
    select
      segment_id,
      {%- for feature in features %}
        max(case when feature = '{{ feature | lower }}' then centroid_value end)
          as {{ adapter.quote('c__' ~ feature | lower) }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ centroids }}
    group by segment_id
  ),

  distances as (
    select
      points.{{ id_column }},
      centroid_rows.segment_id,
      {%- for feature in features %}
        {%- set point = 'points.' ~ adapter.quote(feature | lower) %}
        {%- set centre = 'centroid_rows.' ~ adapter.quote('c__' ~ feature | lower) %}
        ({{ point }} - {{ centre }}) * ({{ point }} - {{ centre }}){% if not loop.last %} +{% endif %}
      {%- endfor %} as squared_distance
    from {{ points }} as points
    cross join centroid_rows
  ),

  ranked as (
    select
      {{ id_column }},
      segment_id,
      squared_distance,
      row_number() over (partition by {{ id_column }} order by squared_distance, segment_id) as distance_rank
    from distances
  )

  select
    {{ id_column }},
    segment_id,
    sqrt(squared_distance) as distance_to_centroid
  from ranked
  where distance_rank = 1
{% endmacro %}
