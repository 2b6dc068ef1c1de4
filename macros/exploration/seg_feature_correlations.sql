{% macro seg_feature_correlations(case_name) %}
  {#-
    Pearson correlation of every ordered pair of a case's profile features
    (vars.segmentation.<case>.profile_features, both orders and the diagonal) over the case's
    usable rows (quarantine_reason null), in original units; past correlation_sample_size rows, on
    about that many rows chosen by a hash of the id (seg_hash_sample). Each distinct pair is one corr()
    aggregate; the n x n matrix is then a list read by position. A constant feature gives
    null (not NaN).
    Returns: case_name, feature_a, feature_b, feature_a_position, feature_b_position,
    correlation, n_rows.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features = spec.profile_features | map('lower') | list -%}
  {%- set columns = customer_segmentation.seg_columns(customer_segmentation.seg_features_relation(case_name), features) -%}
  {%- set n = features | length -%}
  {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
  with usable as (
    select
      {%- for column in columns %}
        cast(usable.{{ column }} as double) as f_{{ loop.index }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ customer_segmentation.seg_hash_sample(customer_segmentation.seg_usable_rows(case_name), id_column, spec.correlation_sample_size, spec.random_state) }}
      as usable
  ),

  moments as (
    select
      {%- for a in range(1, n + 1) %}
        {%- for b in range(a, n + 1) %}
        corr(f_{{ a }}, f_{{ b }}) as c_{{ a }}_{{ b }},
        {%- endfor %}
      {%- endfor %}
      count(*) as n_rows
    from usable
  ),

  matrix as (
    -- Row-major n x n: entry (a, b) is at position (a - 1) * n + b.
    select
      [
        {%- for a in range(1, n + 1) -%}
          {%- for b in range(1, n + 1) -%}
            c_{{ [a, b] | min }}_{{ [a, b] | max }}{% if not (a == n and b == n) %}, {% endif %}
          {%- endfor -%}
        {%- endfor -%}
      ] as correlations,
      n_rows
    from moments
  ),

  features as (
    select *
    from (
      values
      {%- for feature in features %}
        ({{ loop.index }}, '{{ feature }}'){% if not loop.last %},{% endif %}
      {%- endfor %}
    ) as features (feature_position, feature)
  ),

  pairs as (
    select
      feature_a.feature as feature_a,
      feature_b.feature as feature_b,
      feature_a.feature_position as feature_a_position,
      feature_b.feature_position as feature_b_position,
      matrix.n_rows,
      matrix.correlations[(feature_a.feature_position - 1) * {{ n }} + feature_b.feature_position] as correlation
    from matrix
    cross join features as feature_a
    cross join features as feature_b
  )

  select
    '{{ case_name }}' as case_name,
    feature_a,
    feature_b,
    cast(feature_a_position as integer) as feature_a_position,
    cast(feature_b_position as integer) as feature_b_position,
    case when not isnan(correlation) then correlation end as correlation,
    n_rows
  from pairs
{% endmacro %}
