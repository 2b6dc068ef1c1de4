{#-
    Write-audit-publish. `dbt build` writes and tests every model in the refresh's own database; BI reads
    a second, attached database (the production target's DuckLake catalog: readers stay connected and are
    never blocked). Only when every node of the build passed (warnings allowed) does seg_publish, the
    package's on-run-end hook, copy every mart into it (a build that did not make them all, e.g. with
    --select, publishes nothing), all in one transaction: a reader
    sees every mart of the previous refresh or every mart of this one. A failed, cancelled or killed build
    publishes nothing. vars: segmentation_publish_to (the attached database; null or '': publish nothing, as on
    a development target) and segmentation_publish_keep_days (older snapshots are expired).
-#}

{% macro seg_publish(results) %}
  {%- set published = var('segmentation_publish_to', none) -%}
  {%- if not execute or not published or flags.WHICH != 'build' -%}
    {{ return('') }}
  {%- endif -%}
  {%- set published = customer_segmentation.seg_attached_database(published) -%}
  {%- set failed = [] -%}
  {%- for result in results if result.status not in ['success', 'pass', 'warn', 'no-op'] -%}
    {%- do failed.append(result.node.name ~ ' (' ~ result.status ~ ')') -%}
  {%- endfor -%}
  {%- if failed -%}
    {{ log("Not published: " ~ failed | length ~ " node(s) did not pass (" ~ failed[:5] | join(', ')
           ~ (", ..." if failed | length > 5 else "") ~ "); " ~ published ~ " keeps the previous refresh.", info=true) }}
    {{ return('') }}
  {%- endif -%}
  {%- set marts = customer_segmentation.seg_mart_nodes() -%}
  {%- set built = results | map(attribute='node') | map(attribute='unique_id') | list -%}
  {%- set missing = marts | rejectattr('unique_id', 'in', built) | map(attribute='name') | list -%}
  {%- if missing or not marts -%}
    {{ log("Not published: this build did not make every mart (" ~ (missing[:5] | join(', ') or 'there are none')
           ~ (", ..." if missing | length > 5 else "") ~ "); publishing takes a build of all of them, so BI never sees two runs mixed.", info=true) }}
    {{ return('') }}
  {%- endif -%}
  {#- dbt runs on-run-end hooks inside a transaction: the copies and their commit are that transaction. -#}
  {%- call statement('seg_publish', auto_begin=true) -%}
    {{ customer_segmentation.seg_publish_sql(published, marts) }}
  {%- endcall -%}
  {%- do adapter.commit() -%}
  {{ log("Published " ~ marts | length ~ " marts to " ~ published ~ " in one commit.", info=true) }}
  {%- call statement('seg_expire_snapshots') -%}
    {{ customer_segmentation.seg_expire_snapshots_sql(published) }}
  {%- endcall -%}
{% endmacro %}


{% macro seg_attached_database(name) %}
  {#- The name of the attached database `name`; a sentence when it is not a name or not attached. -#}
  {%- if not customer_segmentation.seg_is_name(name) -%}
    {{ exceptions.raise_compiler_error("vars.segmentation_publish_to must be the name of an attached database, got '" ~ name ~ "'.") }}
  {%- endif -%}
  {%- set attached = run_query("select count(*) from duckdb_databases() where database_name = " ~ customer_segmentation.seg_literal(name)) -%}
  {%- if attached.columns[0].values()[0] == 0 -%}
    {{ exceptions.raise_compiler_error("Nothing was published: vars.segmentation_publish_to is '" ~ name
        ~ "' but the target attaches no database of that name (profiles.yml: attach, alias: " ~ name ~ ").") }}
  {%- endif -%}
  {{ return(name) }}
{% endmacro %}


{% macro seg_mart_nodes() %}
  {#- The enabled models of the project and its packages in the marts schema (vars.segmentation_marts_schema). -#}
  {%- set schema = var('segmentation_marts_schema') -%}
  {%- if not customer_segmentation.seg_is_name(schema) -%}
    {{ exceptions.raise_compiler_error("vars.segmentation_marts_schema must be a plain schema name, got " ~ (schema | tojson) ~ ".") }}
  {%- endif -%}
  {{ return(graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
            | selectattr('config.schema', 'equalto', schema) | list) }}
{% endmacro %}


{% macro seg_publish_sql(published, marts) %}
  {#- For one transaction: each mart replaced by a table copy with its descriptions, tables of the marts'
      schemas that this build did not make dropped (the published database mirrors one build), and the
      snapshot labelled with the dbt invocation. -#}
  {%- set schemas, names = [], [] -%}
  {%- for mart in marts -%}
    {%- if mart.schema not in schemas -%}{%- do schemas.append(mart.schema) -%}{%- endif -%}
    {%- do names.append(mart.schema ~ '.' ~ mart.alias) -%}
  {%- endfor -%}
  {%- set existing = run_query(
      "select schema_name || '.' || table_name from duckdb_tables() where database_name = "
      ~ customer_segmentation.seg_literal(published)) -%}
  {%- set lake = adapter.quote(published) -%}
  {%- for schema in schemas %}
  create schema if not exists {{ lake }}.{{ adapter.quote(schema) }};
  {%- endfor %}
  {%- for mart in marts %}
    {%- set copy = lake ~ '.' ~ adapter.quote(mart.schema) ~ '.' ~ adapter.quote(mart.alias) %}
  create or replace table {{ copy }} as select * from {{ adapter.quote(mart.database) }}.{{ adapter.quote(mart.schema) }}.{{ adapter.quote(mart.alias) }};
    {%- if mart.description %}
  comment on table {{ copy }} is {{ customer_segmentation.seg_literal(mart.description | trim) }};
    {%- endif %}
    {%- for column in mart.columns.values() if column.description %}
  comment on column {{ copy }}.{{ adapter.quote(column.name) }} is {{ customer_segmentation.seg_literal(column.description | trim) }};
    {%- endfor %}
  {%- endfor %}
  {%- for table in existing.columns[0].values() if table.split('.')[0] in schemas and table not in names %}
  drop table {{ lake }}.{{ adapter.quote(table.split('.')[0]) }}.{{ adapter.quote(table.split('.')[1]) }};
  {%- endfor %}
  call ducklake_set_commit_message({{ customer_segmentation.seg_literal(published) }}, 'dbt',
    {{ customer_segmentation.seg_literal('dbt build ' ~ invocation_id) }});
{% endmacro %}


{% macro seg_expire_snapshots_sql(published) %}
  {#- Time travel back segmentation_publish_keep_days days; older snapshots and their files are removed. -#}
  {%- set keep_days = var('segmentation_publish_keep_days') -%}
  {%- if keep_days is not number or keep_days < 0 -%}
    {{ exceptions.raise_compiler_error("vars.segmentation_publish_keep_days must be a number of days (0 or more), got '" ~ keep_days ~ "'.") }}
  {%- endif -%}
  {%- set name = customer_segmentation.seg_literal(published) -%}
  call ducklake_expire_snapshots({{ name }}, older_than => now() - to_days({{ keep_days | int }}));
  call ducklake_cleanup_old_files({{ name }}, cleanup_all => true);
{% endmacro %}
