{% macro seg_union_all_cases(build_case) %}
  {#- Unions one query per case of this run (seg_cases); `build_case(case_name)` returns that case's query.
      With no case to build, running stops with the reason of each configured case. -#}
  {%- set cases = customer_segmentation.seg_cases() -%}
  {%- if execute and not cases -%}
    {%- set reasons = run_query("select problem from " ~ ref('int_segment_specs') ~ " where problem is not null").columns[0].values() -%}
    {{ exceptions.raise_compiler_error(
      "No segmentation case to build. " ~ (reasons | join(' ') if reasons else
      "Configure one in vars.segmentation, e.g. {customers: {source: raw_customers, id_column: customer_id, numeric: [recency, frequency, monetary]}}.")
    ) }}
  {%- endif -%}
  {%- for case_name in cases %}
    select * from (
      {{ build_case(case_name) }}
    ) as {{ adapter.quote('case_' ~ loop.index) }}
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}


{% macro seg_case_list() %}
  {#- The cases of this run as a SQL list of literals, for `case_name in (...)`. -#}
  {%- set literals = [] -%}
  {%- for case_name in customer_segmentation.seg_cases() -%}
    {%- do literals.append(customer_segmentation.seg_literal(case_name)) -%}
  {%- endfor -%}
  {{ return(literals | join(', ') if literals else 'null') }}
{% endmacro %}
