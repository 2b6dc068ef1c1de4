{#-
    A plain case (no features_model) is a customer table and settings: its id column, numeric
    columns, categorical columns with vocabularies, brackets, valid ranges and blank rules. These
    macros generate its feature rows, one per source row, into the package's int_segment_features.
-#}

{% macro seg_plain_columns(spec) %}
  {#- The columns a plain case generates: {'features': default clustering features (numeric columns and
      the vocabulary dummies), 'all': every generated column (also blank flags, 'other' and bracket dummies)}. -#}
  {%- set numeric = spec.numeric | list -%}
  {%- set flags, vocabulary_dummies, other_dummies, bracket_dummies = [], [], [], [] -%}
  {%- for column, rule in spec.blank_rules.items() if rule == 'median' -%}
    {%- do flags.append(column ~ '_was_blank') -%}
  {%- endfor -%}
  {%- for column, values in spec.categories.items() if values is iterable and values is not string and values -%}
    {%- do vocabulary_dummies.extend(customer_segmentation.seg_dummy_columns(values, column)) -%}
    {%- do other_dummies.append(customer_segmentation.seg_column_name(column, 'other')) -%}
  {%- endfor -%}
  {%- for column, edges in spec.brackets.items() -%}
    {%- do bracket_dummies.extend(customer_segmentation.seg_dummy_columns(customer_segmentation.seg_bracket_labels(edges), column)) -%}
  {%- endfor -%}
  {{ return({'features': numeric + vocabulary_dummies, 'all': numeric + flags + vocabulary_dummies + other_dummies + bracket_dummies}) }}
{% endmacro %}


{% macro seg_plain_features(case_name) %}
  {#-
    The feature rows of a plain case, one per source row: case_name, the id, quarantine_reason (null =
    usable; else the first failed check: missing_<id>, duplicate_<id>, unparseable_<column> (a value that
    is not a number), fractional_<column> (a value with a fraction in a whole_numbers column),
    missing_<column> (blank, blank rule quarantine), invalid_<column> (outside
    valid_ranges, or one of invalid_categories)), each numeric column as a double (blank rule zero: 0;
    median: the usable rows' median, flagged in <column>_was_blank), and 0/1 dummies per category
    (values outside the vocabulary, blank included, are 'other') and per bracket. Category values and
    vocabularies are compared cleaned (seg_clean_category, seg_clean_values).
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set source_relation = customer_segmentation.seg_source_relation(spec) -%}
  {%- set id_column = adapter.quote(spec.id_column | lower) -%}
  {%- set value_checks = [] -%}
  {%- for column in spec.numeric -%}
    {%- set quoted = adapter.quote(column | lower) -%}
    {%- set rule = spec.blank_rules.get(column, 'quarantine') -%}
    {%- do value_checks.extend(customer_segmentation.seg_number_checks(column, column in spec.whole_numbers)) -%}
    {%- if rule == 'quarantine' -%}
      {#- after the unparseable check: a null value is a blank -#}
      {%- do value_checks.append([quoted ~ ' is not null', 'missing_' ~ column]) -%}
    {%- endif -%}
    {%- if column in spec.valid_ranges -%}
      {%- do value_checks.append([quoted ~ ' is null or ' ~ customer_segmentation.seg_range_condition(quoted, spec.valid_ranges[column]), 'invalid_' ~ column]) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- for column, values in spec.invalid_categories.items() -%}
    {%- set quoted = adapter.quote(column | lower) -%}
    {%- set listed = [] -%}
    {%- for value in customer_segmentation.seg_clean_values(values) -%}{%- do listed.append(customer_segmentation.seg_literal(value)) -%}{%- endfor -%}
    {%- do value_checks.append([quoted ~ ' is null or ' ~ quoted ~ ' not in (' ~ listed | join(', ') ~ ')', 'invalid_' ~ column]) -%}
  {%- endfor -%}
  {%- set order_by = [] -%}
  {%- for column in spec.numeric + (spec.categories.keys() | list) -%}
    {%- do order_by.append(adapter.quote(column | lower) ~ ' asc nulls last') -%}
  {%- endfor -%}
  with typed as {{ customer_segmentation.seg_inline_cte() }} (
    select
      {%- for column in spec.numeric %}
        {{ customer_segmentation.seg_number_columns(adapter.quote(column | lower), column, source_relation) }},
      {%- endfor %}
      {%- for column in spec.categories %}
        {%- set quoted = adapter.quote(column | lower) %}
        {{ customer_segmentation.seg_map_values(customer_segmentation.seg_clean_category(quoted), customer_segmentation.seg_clean_values(spec.category_map.get(column, {}))) }} as {{ quoted }},
      {%- endfor %}
      {{ customer_segmentation.seg_clean_id(id_column, source_relation) }} as {{ id_column }}
    from {{ source_relation }}
  ),

  ranked as {{ customer_segmentation.seg_inline_cte() }} (
    {{ customer_segmentation.seg_ranked_rows('typed', id_column, order_by or [id_column], customer_segmentation.seg_quarantine_reason(value_checks)) }}
  ),

  screened as {{ customer_segmentation.seg_inline_cte() }} (
    select
      *,
      {{ customer_segmentation.seg_quarantine_reason(customer_segmentation.seg_id_checks(id_column) + value_checks) }} as quarantine_reason
    from ranked
  )

  select
    '{{ case_name }}' as case_name,
    {{ id_column }},
    {%- for column in spec.numeric %}
      {%- set quoted = adapter.quote(column | lower) %}
      {%- set rule = spec.blank_rules.get(column, 'quarantine') %}
      {%- if rule == 'median' %}
        {{ customer_segmentation.seg_fill_median(quoted, 'screened', where='quarantine_reason is null') }} as {{ quoted }},
        cast({{ quoted }} is null as integer) as {{ adapter.quote(column | lower ~ '_was_blank') }},
      {%- elif rule == 'zero' %}
        coalesce({{ quoted }}, 0) as {{ quoted }},
      {%- else %}
        {{ quoted }},
      {%- endif %}
    {%- endfor %}
    {%- for column, values in spec.categories.items() %}
      {%- set vocabulary = customer_segmentation.seg_clean_values(values) %}
      {%- set filled = customer_segmentation.seg_fill_blank(adapter.quote(column | lower), "'other'", vocabulary) %}
      {{ customer_segmentation.seg_dummies(filled, vocabulary + ['other'], column) }},
    {%- endfor %}
    {%- for column, edges in spec.brackets.items() %}
      {{ customer_segmentation.seg_dummies(customer_segmentation.seg_bracket(adapter.quote(column | lower), edges), customer_segmentation.seg_bracket_labels(edges), column) }},
    {%- endfor %}
    quarantine_reason
  from screened
{% endmacro %}
