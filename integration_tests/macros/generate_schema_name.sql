{#- Custom schema names as they are written (the marts in `segments`, everything else in the target's
    schema) instead of dbt's default <target schema>_<custom schema>: BI queries segments.<mart>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
