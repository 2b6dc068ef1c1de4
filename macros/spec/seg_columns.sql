{% macro seg_column(relation, column_name) %}
  {#- One configured column, checked against the relation and quoted: config never reaches SQL raw. -#}
  {{ return(customer_segmentation.seg_columns(relation, [column_name])[0]) }}
{% endmacro %}


{% macro seg_columns(relation, column_names) %}
  {#- Configured columns, checked against the relation at run time and returned quoted. A subquery (text)
      is not checked: a plain case's columns are generated from its settings (seg_plain_columns). -#}
  {%- if execute and relation is not string -%}
    {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if existing -%}
      {%- set missing = [] -%}
      {%- for column_name in column_names if column_name | lower not in existing -%}
        {%- do missing.append(column_name) -%}
      {%- endfor -%}
      {%- if missing -%}
        {{ exceptions.raise_compiler_error(
          "Configured column(s) " ~ (missing | join(', ')) ~ " not found in " ~ relation
          ~ ". Columns there: " ~ (existing | join(', '))
        ) }}
      {%- endif -%}
    {%- endif -%}
  {%- endif -%}
  {%- set quoted = [] -%}
  {%- for column_name in column_names -%}
    {%- do quoted.append(adapter.quote(column_name | lower)) -%}
  {%- endfor -%}
  {{ return(quoted) }}
{% endmacro %}
