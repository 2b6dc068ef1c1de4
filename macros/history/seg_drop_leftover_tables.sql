{#-
    seg_drop_leftover_tables(relation)
    Drops the tables dbt-duckdb's incremental Python models leave behind (<model>__dbt_tmp<timestamp>: a
    Python model writes its new rows to a real table, which the materialization never drops), including
    those of earlier killed builds. A post-hook of int_segment_model_history.
-#}
{% macro seg_drop_leftover_tables(relation) %}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set leftovers = run_query(
      "select table_name from duckdb_tables() where database_name = " ~ customer_segmentation.seg_literal(relation.database)
      ~ " and schema_name = " ~ customer_segmentation.seg_literal(relation.schema)
      ~ " and starts_with(table_name, " ~ customer_segmentation.seg_literal(relation.identifier ~ '__dbt_tmp') ~ ")") -%}
  {%- for name in leftovers.columns[0].values() %}
    drop table if exists {{ relation.incorporate(path={'identifier': name}) }};
  {%- endfor %}
{% endmacro %}
