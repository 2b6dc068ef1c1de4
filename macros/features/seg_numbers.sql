{#-
    seg_number_columns(expr, column)
    Two columns of a numeric column read as exported: "<column>_text", the trimmed text (null when
    blank), and "<column>", its value as a double (null when blank or not a number). Staging keeps
    both, so the feature model can tell a blank (a blank rule decides) from a value that is not a
    number (seg_number_checks quarantines it), whatever type the export stored the column as.
-#}
{% macro seg_number_columns(expr, column) -%}
    {{ return(adapter.dispatch('seg_number_columns', 'customer_segmentation')(expr, column)) }}
{%- endmacro %}

{% macro default__seg_number_columns(expr, column) -%}
    {%- set text = "nullif(trim(cast(" ~ expr ~ " as varchar)), '')" -%}
    {{ text }} as {{ adapter.quote(column | lower ~ '_text') }},
    try_cast({{ text }} as double) as {{ adapter.quote(column | lower) }}
{%- endmacro %}


{#-
    seg_number_checks(column, whole=false)
    The checks ([condition, reason] pairs for seg_quarantine_reason) of a column staged by
    seg_number_columns: text that is not a finite number is unparseable_<column> (never filled with a
    statistic; a blank passes, blank rules decide); with whole, a value with a fraction is
    fractional_<column> (never rounded).
-#}
{% macro seg_number_checks(column, whole=false) -%}
    {{ return(adapter.dispatch('seg_number_checks', 'customer_segmentation')(column, whole)) }}
{%- endmacro %}

{% macro default__seg_number_checks(column, whole=false) -%}
    {%- set text, value = adapter.quote(column | lower ~ '_text'), adapter.quote(column | lower) -%}
    {%- set checks = [[text ~ ' is null or isfinite(' ~ value ~ ')', 'unparseable_' ~ column]] -%}
    {%- if whole -%}
        {%- do checks.append([value ~ ' is null or ' ~ value ~ ' = trunc(' ~ value ~ ')', 'fractional_' ~ column]) -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}
