{#-
    Per-case data tests that run for every case of the build without any YAML of the case's own:
    seg_every_case(check) unions one check per case (seg_cases) and fails with a row per problem
    (case_name, check, detail, n_rows). The checks:
      one_row_per_input  the features hold the same ids as the case's source (when it names one)
      unique_usable_ids  no id occurs twice among the usable rows
      features_usable    every clustering and profile feature is numeric and non-null on usable rows
      one_hot            every usable row sets exactly one dummy of each bracket and category group
      standardized       every clustering feature of the fit input has mean 0 and sd 1 (a categorical
                         indicator of kprototypes: every value 0 or sqrt(gamma / 2))
-#}
{% test seg_every_case(model, check) %}
  {%- set checks = ['one_row_per_input', 'unique_usable_ids', 'features_usable', 'one_hot', 'standardized'] -%}
  {%- if check not in checks -%}
    {{ exceptions.raise_compiler_error("seg_every_case: unknown check '" ~ check ~ "'; checks: " ~ (checks | join(', '))) }}
  {%- endif -%}
  with problems as (
    {%- for case_name in customer_segmentation.seg_cases() %}
      select
        '{{ case_name }}' as case_name,
        '{{ check }}' as check_name,
        cast(detail as varchar) as detail,
        cast(n_rows as bigint) as n_rows
      from (
        {#- called by name (not looked up in a dict): dbt gives a test the macros it sees called -#}
        {%- if check == 'one_row_per_input' %}
          {{ customer_segmentation.seg_check_case_one_row_per_input(case_name) }}
        {%- elif check == 'unique_usable_ids' %}
          {{ customer_segmentation.seg_check_case_unique_usable_ids(case_name) }}
        {%- elif check == 'features_usable' %}
          {{ customer_segmentation.seg_check_case_features_usable(case_name) }}
        {%- elif check == 'one_hot' %}
          {{ customer_segmentation.seg_check_case_one_hot(case_name) }}
        {%- else %}
          {{ customer_segmentation.seg_check_case_standardized(case_name) }}
        {%- endif %}
      ) as {{ adapter.quote('case_' ~ loop.index) }}
      union all
    {%- endfor %}
      select null as case_name, null as check_name, null as detail, 0 as n_rows
  )

  select *
  from problems
  where n_rows > 0
{% endtest %}


{% macro seg_check_case_one_row_per_input(case_name) %}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set id_column = adapter.quote(spec.id_column | lower) -%}
  select
    'input ' || input_rows || ' rows, features ' || model_rows || ' rows' as detail,
    greatest(abs(input_rows - model_rows), 1) as n_rows
  from (
    {{ customer_segmentation.seg_check_one_row_per_input(
        customer_segmentation.seg_features_relation(case_name),
        customer_segmentation.seg_input_relation(case_name),
        id_column) }}
  ) as differences
{% endmacro %}


{% macro seg_check_case_unique_usable_ids(case_name) %}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
  select
    'usable ids occurring more than once' as detail,
    count(*) - count(distinct {{ id_column }}) as n_rows
  from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
{% endmacro %}


{% macro seg_check_case_features_usable(case_name) %}
  {#- Missing or non-numeric columns, and nulls on usable rows, of the case's features and profile
      features: one pass over the rows for every feature. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set wanted = (spec.features + spec.profile_features) | unique | list -%}
  {%- set numeric_types = ['tinyint', 'smallint', 'integer', 'bigint', 'hugeint', 'float', 'real', 'double'] -%}
  {%- set types = {} -%}
  {%- set table = customer_segmentation.seg_features_table(case_name) -%}
  {%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(table) -%}
      {%- do types.update({column.name | lower: column.dtype | lower}) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set problems, counted = [], [] -%}
  {%- for feature in wanted -%}
    {%- set dtype = types.get(feature | lower, 'missing' if execute else 'double') -%}
    {%- if dtype == 'missing' -%}
      {%- do problems.append(feature ~ ': missing column') -%}
    {%- elif dtype not in numeric_types and not dtype.startswith('decimal') -%}
      {%- do problems.append(feature ~ ': not numeric (' ~ dtype ~ ')') -%}
    {%- else -%}
      {%- do counted.append(feature) -%}
    {%- endif -%}
  {%- endfor %}
  with nulls as (
    select
      {%- for feature in counted %}
      sum(case when usable.{{ adapter.quote(feature | lower) }} is null then 1 else 0 end) as null_{{ loop.index }},
      {%- endfor %}
      count(*) as usable_rows
    from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
  )
  {%- for problem in problems %}
  select {{ customer_segmentation.seg_literal(problem) }} as detail, 1 as n_rows
  union all
  {%- endfor %}
  {%- for feature in counted %}
  select '{{ feature }}: null on usable rows' as detail, null_{{ loop.index }} as n_rows from nulls
  union all
  {%- endfor %}
  select 'every feature checked' as detail, 0 as n_rows
{% endmacro %}


{% macro seg_check_case_one_hot(case_name) %}
  {#- Usable rows that do not set exactly one dummy per group (one pass over the rows): a group per
      bracketed column and per categorical column (its vocabulary, plus its 'other' dummy when the
      features have one). -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set table = customer_segmentation.seg_features_table(case_name) -%}
  {%- set existing = adapter.get_columns_in_relation(table) | map(attribute='name') | map('lower') | list if execute else [] -%}
  {%- set groups = {} -%}
  {%- for column, edges in spec.brackets.items() -%}
    {%- do groups.update({column: customer_segmentation.seg_dummy_columns(customer_segmentation.seg_bracket_labels(edges), column)}) -%}
  {%- endfor -%}
  {%- for column, values in spec.categories.items() -%}
    {%- set dummies = customer_segmentation.seg_dummy_columns(values, column) -%}
    {%- set other = customer_segmentation.seg_column_name(column, 'other') -%}
    {%- do groups.update({column: dummies + ([other] if other in existing and other not in dummies else [])}) -%}
  {%- endfor %}
  with broken as (
    select
      {%- for group, columns in groups.items() %}
      sum(case when ({{ columns | join(' + ') }}) is distinct from 1 then 1 else 0 end) as group_{{ loop.index }},
      {%- endfor %}
      count(*) as usable_rows
    from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
  )
  {%- for group in groups %}
  select '{{ group }}: rows without exactly one dummy set' as detail, group_{{ loop.index }} as n_rows from broken
  union all
  {%- endfor %}
  select 'every group checked' as detail, 0 as n_rows
{% endmacro %}


{% macro seg_check_case_standardized(case_name, tolerance=0.000001) %}
  {#- Clustering features of the fit input whose mean is not 0 or population sd not 1. A constant
      feature (sd 0) is left to the fit, which stops with an error naming it. The indicators of
      categorical_features (kprototypes) must instead be 0 or sqrt(gamma / 2) (seg_scaler). -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set categorical = customer_segmentation.seg_categorical_columns(spec) -%}
  {%- set indicator = 'sqrt(' ~ customer_segmentation.seg_number(spec.gamma, 'gamma') ~ ' / 2.0)' -%}
  with moments as (
    select
      {%- for feature in spec.features %}
      {%- if feature in categorical %}
      sum(case when features[{{ loop.index }}] not in (0, {{ indicator }}) then 1 else 0 end)
        as other_values_{{ loop.index }}{{ ',' if not loop.last }}
      {%- else %}
      avg(features[{{ loop.index }}]) as mean_{{ loop.index }},
      stddev_pop(features[{{ loop.index }}]) as sd_{{ loop.index }}{{ ',' if not loop.last }}
      {%- endif %}
      {%- endfor %}
    from {{ ref('int_segment_fit_inputs') }}
    where case_name = '{{ case_name }}'
  )
  {%- for feature in spec.features %}
    {%- if feature in categorical %}
    select
      '{{ feature }}: values neither 0 nor sqrt(gamma / 2)' as detail,
      other_values_{{ loop.index }} as n_rows
    from moments
    where other_values_{{ loop.index }} > 0
    {%- else %}
    select
      '{{ feature }}: mean ' || mean_{{ loop.index }} || ', sd ' || sd_{{ loop.index }} as detail,
      1 as n_rows
    from moments
    where
      sd_{{ loop.index }} > 0
      and (abs(mean_{{ loop.index }}) > {{ tolerance }} or abs(sd_{{ loop.index }} - 1) > {{ tolerance }})
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}
