{% macro seg_usable_rows(case_name) %}
  {#- The case's feature rows that passed the quarantine rules. -#}
  {%- set spec = seg_spec(case_name) -%}
  (select * from {{ ref(spec.features_model) }} where quarantine_reason is null)
{%- endmacro %}


{% macro seg_scaler(case_name) %}
  {#- Long table of the z-score parameters (population mean and standard deviation) of a case's
      features, to 9 significant digits of the sd: a parallel sum adds its partial sums in whatever
      order the threads finish, so the last bits vary between runs; rounded, identical input gives
      identical z-scores, training-data hash and model id. -#}
  {%- set spec = seg_spec(case_name) -%}
  {%- set columns = seg_columns(ref(spec.features_model), spec.features) -%}
  with moments as (
    select
      {%- for column in columns %}
        avg(cast({{ column }} as double)) as mean_{{ loop.index }},
        stddev_pop(cast({{ column }} as double)) as sd_{{ loop.index }},
      {%- endfor %}
        count(*) as n_rows
    from {{ seg_usable_rows(case_name) }} as usable
  )
  {% for feature in spec.features %}
    select
      '{{ case_name }}' as case_name,
      '{{ feature | lower }}' as feature,
      {{ loop.index }} as feature_position,
      {{ seg_round_significant('mean_' ~ loop.index, scale='sd_' ~ loop.index) }} as mean_value,
      {{ seg_round_significant('sd_' ~ loop.index) }} as sd_value,
      n_rows
    from moments
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}


{% macro seg_round_significant(expression, digits=9, scale=none) %}
  {#- A double rounded to `digits` significant digits of `scale` (default: of itself), e.g. a mean to
      the sd's: z-scores then move by at most 5e-9 whatever the mean's size. Unchanged when the
      scale is zero or null. -#}
  {%- set scale = scale or expression -%}
  case
    when {{ scale }} is null or {{ scale }} = 0 then {{ expression }}
    else round({{ expression }}, {{ digits - 1 }} - cast(floor(log10(abs({{ scale }}))) as integer))
  end
{%- endmacro %}


{% macro seg_scaler_params(scaler_relation, features) %}
  {#- One row holding every feature's mean (mean__<feature>) and sd (sd__<feature>), to cross join.
      scaler_relation: rows (feature, mean_value, sd_value) of one case and one model. -#}
  select
    {%- for feature in features %}
      max(case when feature = '{{ feature | lower }}' then mean_value end) as {{ adapter.quote('mean__' ~ feature | lower) }},
      max(case when feature = '{{ feature | lower }}' then sd_value end) as {{ adapter.quote('sd__' ~ feature | lower) }}
      {%- if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ scaler_relation }} as scaler
{% endmacro %}


{% macro seg_standardized_rows(case_name, rows, scaler_relation, passthrough=[]) %}
  {#-
    `rows` (a case's usable feature rows) with every clustering feature as a z-score under
    `scaler_relation` (feature, mean_value, sd_value), plus the `passthrough` columns of `rows`.
    A missing value scores as the mean (z = 0): the documented rule for blanks that reach scoring.
  -#}
  {%- set spec = seg_spec(case_name) -%}
  {%- set id_column = seg_column(ref(spec.features_model), spec.id_column) -%}
  {%- set columns = seg_columns(ref(spec.features_model), spec.features) -%}
  with params as (
    {{ seg_scaler_params(scaler_relation, spec.features) }}
  )
  select
    usable.{{ id_column }},
    {%- for column in passthrough %}
      usable.{{ column }},
    {%- endfor %}
    {%- for column in columns %}
      {%- set feature = spec.features[loop.index0] | lower %}
      coalesce(
        (cast(usable.{{ column }} as double) - params.{{ adapter.quote('mean__' ~ feature) }})
        / nullif(params.{{ adapter.quote('sd__' ~ feature) }}, 0),
        0
      ) as {{ column }}
      {%- if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ rows }} as usable
  cross join params
{% endmacro %}


{% macro seg_standardize(case_name) %}
  {#- A case's usable rows standardised with this build's statistics (int_segment_scalers): what a fit reads. -#}
  {{ seg_standardized_rows(
      case_name,
      seg_usable_rows(case_name),
      "(select feature, mean_value, sd_value from " ~ ref('int_segment_scalers') ~ " where case_name = '" ~ case_name ~ "')"
  ) }}
{% endmacro %}
