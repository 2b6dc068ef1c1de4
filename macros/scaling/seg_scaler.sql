{% macro seg_usable_rows(case_name) %}
  {#- The case's feature rows that passed the quarantine rules. -#}
  (select * from {{ customer_segmentation.seg_features_relation(case_name) }} as case_features where quarantine_reason is null)
{%- endmacro %}


{% macro seg_scaler(case_name) %}
  {#- Long table of the z-score parameters (population mean and standard deviation) of a case's
      features, to 9 significant digits of the sd: a parallel sum adds its partial sums in whatever
      order the threads finish, so the last bits vary between runs; rounded, identical input gives
      identical z-scores, training-data hash and model id. fill_value: the value this build's
      feature model gave blanks of a feature with a blank flag (seg_blank_flags), else null. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set columns = customer_segmentation.seg_columns(customer_segmentation.seg_features_relation(case_name), spec.features) -%}
  {%- set flags = customer_segmentation.seg_blank_flags(case_name) -%}
  with moments as (
    select
      {%- for column in columns %}
        {%- set flag = flags.get(spec.features[loop.index0] | lower) %}
        avg(cast({{ column }} as double)) as mean_{{ loop.index }},
        stddev_pop(cast({{ column }} as double)) as sd_{{ loop.index }},
        {%- if flag %}
        max(case when {{ flag }} = 1 then cast({{ column }} as double) end) as fill_{{ loop.index }},
        {%- endif %}
      {%- endfor %}
        count(*) as n_rows
    from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
  )
  {% for feature in spec.features %}
    select
      '{{ case_name }}' as case_name,
      '{{ feature | lower }}' as feature,
      {{ loop.index }} as feature_position,
      {{ customer_segmentation.seg_round_significant('mean_' ~ loop.index, scale='sd_' ~ loop.index) }} as mean_value,
      {{ customer_segmentation.seg_round_significant('sd_' ~ loop.index) }} as sd_value,
      {{ 'fill_' ~ loop.index if feature | lower in flags else 'cast(null as double)' }} as fill_value,
      n_rows
    from moments
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}


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
  {#- One row holding every feature's mean (mean__<feature>) and sd (sd__<feature>), and the blank
      fill (fill__<feature>) of the `filled` features, to cross join. scaler_relation: rows
      (feature, mean_value, sd_value, fill_value) of one case and one model (seg_scaler_rows). -#}
  select
    {%- for feature in features %}
      max(case when feature = '{{ feature | lower }}' then mean_value end) as {{ adapter.quote('mean__' ~ feature | lower) }},
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
    `scaler_relation` (seg_scaler_rows), plus the `passthrough` columns of `rows`.
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
      coalesce(
        (cast({{ value }} as double) - params.{{ adapter.quote('mean__' ~ feature) }})
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
  {#- A case's rows (feature, mean_value, sd_value, fill_value) of a scaler table, for seg_standardized_rows. -#}
  (select feature, mean_value, sd_value, fill_value from {{ relation }} where case_name = '{{ case_name }}' and {{ where }})
{%- endmacro %}
