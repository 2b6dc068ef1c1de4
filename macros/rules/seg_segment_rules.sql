{% macro seg_segment_rules(case_name) %}
  {#-
    One case's segment rules, for the shared mart segment_rules (`seg_union_all_cases(seg_segment_rules)`):
    per rule of the case's current model (seg_rule_predicates), its counts over the usable customers
    under the current assignments - all of them, or past rules_sample_size about that many chosen by a
    hash of the id (seg_hash_sample): the ratios are then estimates (a 100k sample: within ~0.3
    percentage points), and the mart does not run three 10M-row joins beside the profiles. Every rule is counted in one scan of the case (count filters, then
    the lists read by position), since a case may have 10M+ customers.
    Returns: case_name, model_id, segment_id, segment_name, rule_number, rule, n_conditions, support,
    support_share, segment_customers, precision, recall, evaluated_customers.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features_model = customer_segmentation.seg_features_relation(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(features_model, spec.id_column) -%}
  {#- Refs before any branch, so that dbt records them while parsing (when no rule is known yet). -#}
  {%- do ref('segment_assignments') -%}
  {%- set segments_relation = ref('int_segments') -%}
  {%- set rules = customer_segmentation.seg_rule_predicates(case_name) -%}
  {%- if not rules -%}
    {#- No stored rule (a model fitted before rules existed; an empty database while linting): no rows. -#}
    select
      cast(null as varchar) as case_name,
      cast(null as varchar) as model_id,
      cast(null as bigint) as segment_id,
      cast(null as varchar) as segment_name,
      cast(null as bigint) as rule_number,
      cast(null as varchar) as rule,
      cast(null as integer) as n_conditions,
      cast(null as bigint) as support,
      cast(null as double) as support_share,
      cast(null as bigint) as segment_customers,
      cast(null as double) as precision,
      cast(null as double) as recall,
      cast(null as bigint) as evaluated_customers
    where false
  {%- else %}
  with members as (
    -- The predicates are evaluated on the feature model's own columns, once per customer.
    select
      assignments.segment_id,
      {%- for rule in rules %}
        ({{ rule.predicate }}) as {{ adapter.quote('r_' ~ loop.index) }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ customer_segmentation.seg_hash_sample(
        customer_segmentation.seg_usable_rows(case_name), id_column, spec.rules_sample_size, spec.random_state
    ) }} as usable
    {{ customer_segmentation.seg_join_assignments(case_name, 'usable') }}
  ),

  counts as (
    -- Entry i of each list belongs to rule i.
    select
      count(*) as customers,
      [
        {%- for rule in rules -%}
          count(*) filter (where {{ adapter.quote('r_' ~ loop.index) }}){% if not loop.last %}, {% endif %}
        {%- endfor -%}
      ] as supports,
      [
        {%- for rule in rules -%}
          count(*) filter (where {{ adapter.quote('r_' ~ loop.index) }} and segment_id = {{ rule.segment_id }})
          {%- if not loop.last %}, {% endif %}
        {%- endfor -%}
      ] as hits,
      [
        {%- for rule in rules -%}
          count(*) filter (where segment_id = {{ rule.segment_id }}){% if not loop.last %}, {% endif %}
        {%- endfor -%}
      ] as segment_sizes
    from members
  ),

  rules as (
    select *
    from (
      values
      {%- for rule in rules %}
        ({{ loop.index }}, {{ rule.segment_id }}, {{ rule.rule_number }}, {{ customer_segmentation.seg_literal(rule.text) }}, {{ rule.n_conditions }})
        {%- if not loop.last %},{% endif %}
      {%- endfor %}
    ) as rules (rule_position, segment_id, rule_number, rule, n_conditions)
  ),

  measured as (
    select
      rules.segment_id,
      rules.rule_number,
      rules.rule,
      rules.n_conditions,
      counts.customers,
      counts.supports[rules.rule_position] as support,
      counts.hits[rules.rule_position] as hits,
      counts.segment_sizes[rules.rule_position] as segment_customers
    from rules
    cross join counts
  )

  select
    {{ customer_segmentation.seg_literal(case_name) }} as case_name,
    segments.model_id,
    cast(measured.segment_id as bigint) as segment_id,
    segments.segment_name,
    cast(measured.rule_number as bigint) as rule_number,
    cast(measured.rule as varchar) as rule,
    cast(measured.n_conditions as integer) as n_conditions,
    cast(measured.support as bigint) as support,
    measured.support * 1.0 / nullif(measured.customers, 0) as support_share,
    cast(measured.segment_customers as bigint) as segment_customers,
    measured.hits * 1.0 / nullif(measured.support, 0) as precision,
    measured.hits * 1.0 / nullif(measured.segment_customers, 0) as recall,
    cast(measured.customers as bigint) as evaluated_customers
  from measured
  inner join {{ segments_relation }} as segments
    on
      segments.case_name = {{ customer_segmentation.seg_literal(case_name) }}
      and segments.is_current
      and measured.segment_id = segments.segment_id
  {%- endif %}
{% endmacro %}


{% macro seg_rule_predicates(case_name) %}
  {#-
    The rules of the case's current model, from int_segment_rule_conditions (one row per condition:
    segment_id, rule_number, feature, operator, threshold), as a list of
    {segment_id, rule_number, n_conditions, text, predicate} ordered by segment and rule. `text`
    names plain lower-case columns (what marketers read, rules.render_rule's rendering); `predicate`
    is the same test on the quoted columns of the case's features model (`usable.` qualified). Both
    list the conditions in the order of the case's features, a lower bound before an upper one.
    Every feature is checked against the case's features and quoted by seg_columns, every operator against the
    three the engine writes and every value with seg_number: no stored text reaches SQL unchecked.
    Empty while parsing or before int_segment_rule_conditions exists (like seg_cases).
  -#}
  {%- set conditions_relation = ref('int_segment_rule_conditions') -%}
  {%- if not (execute and load_relation(conditions_relation) is not none) -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features = spec.features | map('lower') | list -%}
  {%- set columns = customer_segmentation.seg_columns(customer_segmentation.seg_features_relation(case_name), features) -%}
  {%- set operators = ['>', '=', '<='] -%}
  {%- set conditions = run_query(
      "select segment_id, rule_number, feature, operator, threshold from "
      ~ customer_segmentation.seg_current_model(case_name, 'int_segment_rule_conditions') ~ " as current_model"
      ~ " order by segment_id, rule_number"
    ) -%}
  {%- set by_rule = {} -%}
  {%- set order = [] -%}
  {%- for segment_id, rule_number, feature, operator, value in conditions.rows -%}
    {%- set where = "case '" ~ case_name ~ "': the stored rule " ~ rule_number ~ " of segment " ~ segment_id -%}
    {%- if feature not in features or operator not in operators -%}
      {{ exceptions.raise_compiler_error(where ~ " has the condition " ~ ([feature, operator] | tojson)
        ~ ", which is not a feature of the case (" ~ (features | join(', ')) ~ ") with one of " ~ (operators | join(' ')) ~ ".") }}
    {%- endif -%}
    {%- set key = (segment_id | int, rule_number | int) -%}
    {%- if key not in by_rule -%}
      {%- do by_rule.update({key: []}) -%}
      {%- do order.append(key) -%}
    {%- endif -%}
    {%- set number = customer_segmentation.seg_number(value, where ~ ": a threshold of " ~ feature) | float -%}
    {%- do by_rule[key].append({
      'position': features.index(feature) * 3 + operators.index(operator),
      'feature': feature,
      'operator': operator,
      'value': number | int if number == number | int else number,
    }) -%}
  {%- endfor -%}
  {%- set rules = [] -%}
  {%- for key in order -%}
    {%- set texts, predicates = [], [] -%}
    {%- for condition in by_rule[key] | sort(attribute='position') -%}
      {%- set column = columns[features.index(condition.feature)] -%}
      {%- do texts.append(condition.feature ~ ' ' ~ condition.operator ~ ' ' ~ condition.value) -%}
      {%- do predicates.append('usable.' ~ column ~ ' ' ~ condition.operator ~ ' ' ~ condition.value) -%}
    {%- endfor -%}
    {%- do rules.append({
      'segment_id': key[0],
      'rule_number': key[1],
      'n_conditions': texts | length,
      'text': texts | join(' and '),
      'predicate': predicates | join(' and '),
    }) -%}
  {%- endfor -%}
  {{ return(rules) }}
{% endmacro %}
