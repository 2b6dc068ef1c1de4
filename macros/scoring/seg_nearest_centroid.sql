{% macro seg_nearest_centroid(points, id_column, centroids, centroid_filter, features, passthrough=[]) %}
  {#-
    Assigns each row of `points` (standardised features, one column per feature) to the nearest
    centroid of `centroids` (a relation with segment_id, feature, centroid_value; `centroid_filter`
    selects one model) by squared Euclidean distance; ties go to the lowest segment_id, as
    scikit-learn's predict does. Returns <id_column>, segment_id, distance_to_centroid and the
    `passthrough` columns of `points`.
    When the centroids can be read at compile time (a model built earlier in the run) they are
    written into the SQL as k distance expressions and least(): one pass, no k-fold row blow-up.
    Otherwise (parsing, linting) the relational form below is used; both give the same result.
  -#}
  {%- set rows = customer_segmentation.seg_read_centroids(centroids, centroid_filter, features) -%}
  {%- if rows -%}
    {{ customer_segmentation.seg_nearest_centroid_inline(points, id_column, rows, features, passthrough) }}
  {%- else -%}
    {{ adapter.dispatch('seg_nearest_centroid', 'customer_segmentation')(
        points, id_column, centroids, centroid_filter, features, passthrough) }}
  {%- endif -%}
{% endmacro %}


{% macro seg_centroid_columns(centroids, centroid_filter, features) %}
  {#- The one pivot of a model's centres: a row per segment of `centroids` (segment_id, feature,
      centroid_value rows; `centroid_filter` selects one model), segment_id then c__<feature> per feature. -#}
  select
    segment_id,
    {%- for feature in features %}
      max(case when feature = '{{ feature | lower }}' then centroid_value end)
        as {{ adapter.quote('c__' ~ feature | lower) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ centroids }}
  where {{ centroid_filter }}
  group by segment_id
{% endmacro %}


{% macro seg_read_centroids(centroids, centroid_filter, features) %}
  {#- The seg_centroid_columns rows as {segment_id: row}, or none when they cannot be read yet
      (`centroids` a query text rather than a built relation, or not built yet). -#}
  {%- if not execute or centroids is string or load_relation(centroids) is none -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set by_segment = {} -%}
  {%- for row in run_query(customer_segmentation.seg_centroid_columns(centroids, centroid_filter, features)).rows -%}
    {%- do by_segment.update({row[0] | int: row}) -%}
  {%- endfor -%}
  {{ return(by_segment or none) }}
{% endmacro %}


{% macro seg_nearest_centroid_inline(points, id_column, centroid_rows, features, passthrough) %}
  {%- set segment_ids = centroid_rows.keys() | sort -%}
  with distances as (
    select
      {{ id_column }},
      {%- for column in passthrough %}
        {{ column }},
      {%- endfor %}
      {%- for segment_id in segment_ids %}
        {%- set centroid = centroid_rows[segment_id] %}
        {%- for feature in features %}
          {%- set point = adapter.quote(feature | lower) %}
          {%- set centre = 'cast(' ~ centroid[loop.index] ~ ' as double)' %}
          ({{ point }} - {{ centre }}) * ({{ point }} - {{ centre }})
          {%- if not loop.last %} +{% endif %}
        {%- endfor %} as {{ adapter.quote('d__' ~ segment_id) }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ points }} as points
  ),

  nearest as (
    select
      *,
      least(
        {%- for segment_id in segment_ids %}
          {{ adapter.quote('d__' ~ segment_id) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
      ) as squared_distance
    from distances
  )

  select
    {{ id_column }},
    {%- for column in passthrough %}
      {{ column }},
    {%- endfor %}
    cast(case
      {%- for segment_id in segment_ids %}
        when {{ adapter.quote('d__' ~ segment_id) }} = squared_distance then {{ segment_id }}
      {%- endfor %}
    end as bigint) as segment_id,
    sqrt(squared_distance) as distance_to_centroid
  from nearest
{% endmacro %}


{% macro default__seg_nearest_centroid(points, id_column, centroids, centroid_filter, features, passthrough) %}
  with centroid_rows as (
    {{ customer_segmentation.seg_centroid_columns(centroids, centroid_filter, features) }}
  ),

  distances as (
    select
      points.{{ id_column }},
      {%- for column in passthrough %}
        points.{{ column }},
      {%- endfor %}
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
      *,
      row_number() over (partition by {{ id_column }} order by squared_distance, segment_id) as distance_rank
    from distances
  )

  select
    {{ id_column }},
    {%- for column in passthrough %}
      {{ column }},
    {%- endfor %}
    segment_id,
    sqrt(squared_distance) as distance_to_centroid
  from ranked
  where distance_rank = 1
{% endmacro %}
