{% macro seg_usable_rows(case_name) %}
  {#- The case's feature rows that passed the quarantine rules. -#}
  (select * from {{ customer_segmentation.seg_features_relation(case_name) }} as case_features where quarantine_reason is null)
{%- endmacro %}


{% macro seg_scaler(case_name) %}
  {#- Long table of the z-score parameters of a case's features: the transform (the case's transforms
      setting), the winsorising bounds (the winsorize_quantiles of the usable rows), and the population
      mean and standard deviation of the transformed values, to 9 significant digits of the sd: a
      parallel sum adds its partial sums in whatever order the threads finish, so the last bits vary
      between runs; rounded, identical input gives identical z-scores, training-data hash and model id.
      fill_value: the value this build's feature model gave blanks of a feature with a blank flag
      (seg_blank_flags), else null. The 0/1 indicators of categorical_features (kprototypes) have mean 0
      and sd sqrt(2 / gamma): one category present is sqrt(gamma / 2), so two differing categories are
      gamma apart in squared distance (kprototypes.py). -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set columns = customer_segmentation.seg_columns(customer_segmentation.seg_features_relation(case_name), spec.features) -%}
  {%- set flags = customer_segmentation.seg_blank_flags(case_name) -%}
  {%- set categorical = customer_segmentation.seg_categorical_columns(spec) | map('lower') | list -%}
  {%- set transforms = {} -%}
  {%- for feature, transform in spec.transforms.items() -%}
    {%- do transforms.update({feature | lower: transform}) -%}
  {%- endfor -%}
  {%- set low_quantile = customer_segmentation.seg_number(spec.winsorize_quantiles[0], 'winsorize_quantiles') -%}
  {%- set high_quantile = customer_segmentation.seg_number(spec.winsorize_quantiles[1], 'winsorize_quantiles') -%}
  with usable as (
    select * from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
  ),

  bounds as (
    select
      {%- for column in columns %}
        {%- if transforms.get(spec.features[loop.index0] | lower) == 'winsorize' %}
        quantile_cont(cast({{ column }} as double), {{ low_quantile }}) as low_{{ loop.index }},
        quantile_cont(cast({{ column }} as double), {{ high_quantile }}) as high_{{ loop.index }},
        {%- else %}
        cast(null as double) as low_{{ loop.index }},
        cast(null as double) as high_{{ loop.index }},
        {%- endif %}
      {%- endfor %}
        count(*) as n_rows
    from usable
  ),

  moments as (
    select
      {%- for column in columns %}
        {%- set feature = spec.features[loop.index0] | lower %}
        {%- set flag = flags.get(feature) %}
        {%- set value = customer_segmentation.seg_transformed(
            'cast(usable.' ~ column ~ ' as double)', feature,
            customer_segmentation.seg_literal(transforms.get(feature)), 'bounds.low_' ~ loop.index, 'bounds.high_' ~ loop.index
        ) %}
        avg({{ value }}) as mean_{{ loop.index }},
        stddev_pop({{ value }}) as sd_{{ loop.index }},
        {%- if flag %}
        max(case when usable.{{ flag }} = 1 then cast(usable.{{ column }} as double) end) as fill_{{ loop.index }},
        {%- endif %}
      {%- endfor %}
        count(*) as n_rows
    from usable
    cross join bounds
  )

  {% for feature in spec.features %}
    select
      '{{ case_name }}' as case_name,
      '{{ feature | lower }}' as feature,
      {{ loop.index }} as feature_position,
      {%- if feature | lower in categorical %}
      cast(0 as double) as mean_value,
      sqrt(2.0 / {{ customer_segmentation.seg_number(spec.gamma, 'gamma') }}) as sd_value,
      {%- else %}
      {{ customer_segmentation.seg_round_significant('moments.mean_' ~ loop.index, scale='moments.sd_' ~ loop.index) }} as mean_value,
      {{ customer_segmentation.seg_round_significant('moments.sd_' ~ loop.index) }} as sd_value,
      {%- endif %}
      {{ 'moments.fill_' ~ loop.index if feature | lower in flags else 'cast(null as double)' }} as fill_value,
      cast({{ customer_segmentation.seg_literal(transforms.get(feature | lower)) }} as varchar) as feature_transform,
      bounds.low_{{ loop.index }} as clip_low,
      bounds.high_{{ loop.index }} as clip_high,
      moments.n_rows
    from moments
    cross join bounds
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}


{% macro seg_transformed(value, feature, transform, low, high) %}
  {#- `value` (a double) under a feature's transform: `transform` is a SQL expression of text - 'winsorize'
      (clipped to [low, high], the training quantiles), 'log' (ln(1 + value); values must be >= 0) or
      null (unchanged) - so scoring applies whatever transform the stored model was trained with. -#}
  case {{ transform }}
    when 'winsorize' then least(greatest({{ value }}, {{ low }}), {{ high }})
    when 'log' then {{ customer_segmentation.seg_log1p(value, feature) }}
    else {{ value }}
  end
{%- endmacro %}


{% macro seg_log1p(value, feature) %}
  {#- ln(1 + value), failing with a sentence on a negative value (the log transform's domain). -#}
  {{ return(adapter.dispatch('seg_log1p', 'customer_segmentation')(value, feature)) }}
{% endmacro %}


{% macro default__seg_log1p(value, feature) %}
  ln(1 + {{ value }})
{%- endmacro %}


{% macro duckdb__seg_log1p(value, feature) %}
  case
    when {{ value }} < 0 then error({{ customer_segmentation.seg_literal(
      "transform log of feature '" ~ feature ~ "' needs values >= 0: quarantine negative values with valid_ranges, or use winsorize."
    ) }})
    else ln(1 + {{ value }})
  end
{%- endmacro %}


{% macro seg_blank_flags(case_name) %}
  {#- The case's `blank_fill_flags` as {feature (lower case): quoted flag column}. A flag is 1 on rows
      whose blank the feature model filled with a statistic of the data (e.g. the median income):
      scoring gives those rows the value the current model was trained with, not this build's. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features = spec.features | map('lower') | list -%}
  {%- set flags = {} -%}
  {%- for feature, flag in (spec.get('blank_fill_flags') or {}).items() -%}
    {%- if feature | lower not in features -%}
      {{ exceptions.raise_compiler_error(
        "vars.segmentation." ~ case_name ~ ".blank_fill_flags: '" ~ feature
        ~ "' is not one of the case's clustering features (" ~ (features | join(', ')) ~ ")"
      ) }}
    {%- endif -%}
    {%- do flags.update({feature | lower: customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), flag)}) -%}
  {%- endfor -%}
  {{ return(flags) }}
{% endmacro %}


{% macro seg_blank_aware(flags, feature, column, filled, prefix='') %}
  {#- `column` of a row (`prefix` qualifies the row's columns), or `filled` on rows whose blank flag
      for `feature` is 1; flags: seg_blank_flags(case). Features without a flag: the column as it is. -#}
  {%- set flag = flags.get(feature | lower) -%}
  {%- if flag -%}
    case when {{ prefix }}{{ flag }} = 1 then {{ filled }} else {{ prefix }}{{ column }} end
  {%- else -%}
    {{ prefix }}{{ column }}
  {%- endif -%}
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


{% macro seg_scaler_params(scaler_relation, features, filled=[]) %}
  {#- One row holding every feature's mean (mean__<feature>), sd (sd__<feature>), transform and
      winsorising bounds (transform__, low__, high__), and the blank fill (fill__<feature>) of the
      `filled` features, to cross join. scaler_relation: rows of one case and one model (seg_scaler_rows). -#}
  select
    {%- for feature in features %}
      max(case when feature = '{{ feature | lower }}' then mean_value end) as {{ adapter.quote('mean__' ~ feature | lower) }},
      max(case when feature = '{{ feature | lower }}' then feature_transform end) as {{ adapter.quote('transform__' ~ feature | lower) }},
      max(case when feature = '{{ feature | lower }}' then clip_low end) as {{ adapter.quote('low__' ~ feature | lower) }},
      max(case when feature = '{{ feature | lower }}' then clip_high end) as {{ adapter.quote('high__' ~ feature | lower) }},
      {%- if feature | lower in filled %}
      max(case when feature = '{{ feature | lower }}' then fill_value end) as {{ adapter.quote('fill__' ~ feature | lower) }},
      {%- endif %}
      max(case when feature = '{{ feature | lower }}' then sd_value end) as {{ adapter.quote('sd__' ~ feature | lower) }}
      {%- if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ scaler_relation }} as scaler
{% endmacro %}


{% macro seg_standardized_rows(case_name, rows, scaler_relation, passthrough=[]) %}
  {#-
    `rows` (a case's usable feature rows) with every clustering feature as a z-score under
    `scaler_relation` (seg_scaler_rows), after the feature's transform, plus the `passthrough` columns of `rows`.
    A missing value scores as the mean (z = 0): the documented rule for blanks that reach scoring.
    A blank the feature model filled (seg_blank_flags) takes the scaler's fill_value: the training
    value under a model's scaler, so rows filled with this build's statistic score as in training.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
  {%- set columns = customer_segmentation.seg_columns(customer_segmentation.seg_features_relation(case_name), spec.features) -%}
  {%- set flags = customer_segmentation.seg_blank_flags(case_name) -%}
  with params as (
    {{ customer_segmentation.seg_scaler_params(scaler_relation, spec.features, filled=flags.keys() | list) }}
  )
  select
    usable.{{ id_column }},
    {%- for column in passthrough %}
      usable.{{ column }},
    {%- endfor %}
    {%- for column in columns %}
      {%- set feature = spec.features[loop.index0] | lower %}
      {%- set fill = 'params.' ~ adapter.quote('fill__' ~ feature) %}
      {%- set value = customer_segmentation.seg_blank_aware(flags, feature, column, 'coalesce(' ~ fill ~ ', usable.' ~ column ~ ')', 'usable.') %}
      {%- set value = customer_segmentation.seg_transformed(
          'cast(' ~ value ~ ' as double)', feature, 'params.' ~ adapter.quote('transform__' ~ feature),
          'params.' ~ adapter.quote('low__' ~ feature), 'params.' ~ adapter.quote('high__' ~ feature)
      ) %}
      coalesce(
        ({{ value }} - params.{{ adapter.quote('mean__' ~ feature) }})
        / nullif(params.{{ adapter.quote('sd__' ~ feature) }}, 0),
        0
      ) as {{ column }}
      {%- if not loop.last %},{% endif %}
    {%- endfor %}
  from {{ rows }} as usable
  cross join params
{% endmacro %}


{% macro seg_standardize(case_name) %}
  {#- A case's usable rows standardised with this build's statistics (int_segment_scalers). -#}
  {{ customer_segmentation.seg_standardized_rows(
      case_name,
      customer_segmentation.seg_usable_rows(case_name),
      customer_segmentation.seg_scaler_rows(ref('int_segment_scalers').include(database=false), case_name)
  ) }}
{% endmacro %}


{% macro seg_fit_input_rows(case_name) %}
  {#- A case's rows of int_segment_fit_inputs: the id as text (and as a number, to order numeric ids
      numerically) and the standardised clustering features as one list, in the case's feature order. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
  {%- set columns = customer_segmentation.seg_columns(customer_segmentation.seg_features_relation(case_name), spec.features) -%}
  select
    '{{ case_name }}' as case_name,
    cast(standardized.{{ id_column }} as varchar) as customer_id,
    try_cast(standardized.{{ id_column }} as double) as customer_id_number,
    list_value(standardized.{{ columns | join(', standardized.') }}) as features
  from ({{ customer_segmentation.seg_standardize(case_name) }}) as standardized
{% endmacro %}


{% macro seg_scaler_rows(relation, case_name, where='true') %}
  {#- A case's rows (feature, mean_value, sd_value, fill_value, transform, clip_low, clip_high) of a scaler table, for seg_standardized_rows. -#}
  (select feature, mean_value, sd_value, fill_value, feature_transform, clip_low, clip_high from {{ relation }} where case_name = '{{ case_name }}' and {{ where }})
{%- endmacro %}


{% macro seg_drift_in_sd(mean, training_mean, training_sd) %}
  {#- Feature drift: a mean's move since training in training sds (column expressions). The engine's refit
      measure, dbt_model.feature_drift, is its largest over the features: test_refresh checks they agree. -#}
  abs({{ mean }} - {{ training_mean }}) / nullif({{ training_sd }}, 0)
{%- endmacro %}
