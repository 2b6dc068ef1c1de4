{#-
    seg_number_columns(expr, column, source=none)
    Two columns of a numeric column as exported: "<column>", its value as a double (null when blank
    or not a number), and "<column>_unparseable", true when the export holds something that is not a
    finite number there ('50,000', '$50k', 'abc', 'inf'). Staging keeps both, so the feature model
    tells a blank (a blank rule decides) from a value that is not a number (seg_number_checks
    quarantines it). When `source` (a relation, or a table function such as read_parquet('...'))
    stores the column as a number, no text is parsed: casting millions of numbers to text and back
    would cost more than the rest of the feature model.
-#}
{% macro seg_number_columns(expr, column, source=none) -%}
    {{ return(adapter.dispatch('seg_number_columns', 'customer_segmentation')(expr, column, source)) }}
{%- endmacro %}

{% macro default__seg_number_columns(expr, column, source=none) -%}
    {%- set value, flag = adapter.quote(column | lower), adapter.quote(column | lower ~ '_unparseable') -%}
    {%- if customer_segmentation.seg_stored_type(source, column) in ['integer', 'number'] -%}
        cast({{ expr }} as double) as {{ value }},
        coalesce(not isfinite(cast({{ expr }} as double)), false) as {{ flag }}
    {%- else -%}
        {%- set text = "nullif(trim(cast(" ~ expr ~ " as varchar)), '')" -%}
        {%- set parsed = "try_cast(" ~ text ~ " as double)" -%}
        case when isfinite({{ parsed }}) then {{ parsed }} end as {{ value }},
        ({{ text }} is not null and not coalesce(isfinite({{ parsed }}), false)) as {{ flag }}
    {%- endif -%}
{%- endmacro %}


{#-
    seg_stored_type(source, column)
    How `source` (a relation or a table function; none: unknown) stores `column`: 'integer', 'number'
    (another numeric type), 'text' (anything else), or none when it cannot be told (while dbt parses,
    or the relation does not exist yet).
-#}
{% macro seg_stored_type(source, column) %}
  {%- if not execute or source is none or (source is not string and load_relation(source) is none) -%}
    {{ return(none) }}
  {%- endif -%}
  {%- for stored in get_column_schema_from_query('select * from ' ~ source) if stored.name | lower == column | lower -%}
    {{ return('integer' if stored.is_integer() else ('number' if stored.is_numeric() or stored.is_float() else 'text')) }}
  {%- endfor -%}
  {{ return(none) }}
{% endmacro %}


{#-
    seg_number_checks(column, whole=false)
    The checks ([condition, reason] pairs for seg_quarantine_reason) of a column staged by
    seg_number_columns: a value that is not a finite number is unparseable_<column> (never filled with
    a statistic; a blank passes, blank rules decide); with whole, a value with a fraction is
    fractional_<column> (never rounded).
-#}
{% macro seg_number_checks(column, whole=false) -%}
    {{ return(adapter.dispatch('seg_number_checks', 'customer_segmentation')(column, whole)) }}
{%- endmacro %}

{% macro default__seg_number_checks(column, whole=false) -%}
    {%- set value, flag = adapter.quote(column | lower), adapter.quote(column | lower ~ '_unparseable') -%}
    {%- set checks = [[flag ~ ' is not true', 'unparseable_' ~ column]] -%}
    {%- if whole -%}
        {%- do checks.append([value ~ ' is null or ' ~ value ~ ' = trunc(' ~ value ~ ')', 'fractional_' ~ column]) -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}
