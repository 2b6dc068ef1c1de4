{#-
    seg_read_file(path, columns, setting)
    A customer file as a table expression: read_csv with a header row for a path ending in .csv,
    read_parquet otherwise; the path reaches SQL as a quoted literal, never as text. When dbt runs, a
    path that matches no file, a file without one of `columns`, or a file without rows (a header
    alone) stops the model with one sentence naming `setting` (the var that gave the path), the file
    and the column, instead of the Binder error of the first query that reads it.
-#}
{% macro seg_read_file(path, columns, setting) -%}
    {{ return(adapter.dispatch('seg_read_file', 'customer_segmentation')(path, columns, setting)) }}
{%- endmacro %}

{% macro default__seg_read_file(path, columns, setting) -%}
    {%- set literal = customer_segmentation.seg_literal(path | string) -%}
    {%- if (path | string | lower).endswith('.csv') -%}
        {%- set reader = 'read_csv(' ~ literal ~ ', header = true)' -%}
    {%- else -%}
        {%- set reader = 'read_parquet(' ~ literal ~ ')' -%}
    {%- endif -%}
    {%- if execute -%}
        {%- if run_query('select count(*) from glob(' ~ literal ~ ')').columns[0].values()[0] == 0 -%}
            {{ customer_segmentation.seg_fail(setting ~ ": no file '" ~ path ~ "'.") }}
        {%- endif -%}
        {%- set existing = run_query('describe select * from ' ~ reader).columns[0].values() | map('lower') | list -%}
        {%- for column in columns if column | lower not in existing -%}
            {{ customer_segmentation.seg_fail(setting ~ ": '" ~ path ~ "' has no column '" ~ column ~ "'"
                ~ customer_segmentation.seg_did_you_mean(column | lower, existing) ~ " (columns there: " ~ (existing | join(', ')) ~ ").") }}
        {%- endfor -%}
        {#- an empty export is never a day's customers: stop before it empties the marts -#}
        {%- if run_query('select count(*) from (select 1 from ' ~ reader ~ ' limit 1) as head').columns[0].values()[0] == 0 -%}
            {{ customer_segmentation.seg_fail(setting ~ ": '" ~ path ~ "' has no rows.") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(reader) }}
{%- endmacro %}
