{% macro seg_union_all_cases(build_case) %}
  {#- Unions one query per case of this run; `build_case(case_name)` returns that case's query. -#}
  {%- for case_name in seg_cases() %}
    select * from (
      {{ build_case(case_name) }}
    ) as {{ adapter.quote('case_' ~ loop.index) }}
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}


{% macro seg_model_artifacts(case_name) %}
  {#- The artifact rows written by the case's Python fit. -#}
  select * from {{ ref(case_name ~ '__segmentation_model') }}
{% endmacro %}
