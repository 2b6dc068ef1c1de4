{#-
    seg_quarantine_reason(checks)
    checks: a list of [check, reason] pairs, where check is a SQL condition a usable
    row must satisfy and reason the text recorded when it does not. Renders a CASE that
    yields the reason of the FIRST check (in list order) that is false or null (a check
    that cannot be evaluated fails), or null when every check holds.
    Example: [['age between 18 and 100', 'impossible_age'],
              ['hours_per_week >= 0', 'invalid_hours_per_week']]
-#}
{% macro seg_quarantine_reason(checks) -%}
    {{ return(adapter.dispatch('seg_quarantine_reason', 'customer_segmentation')(checks)) }}
{%- endmacro %}

{% macro default__seg_quarantine_reason(checks) -%}
    {%- if checks | length == 0 -%}
        cast(null as varchar)
    {%- else -%}
        case
            {%- for check in checks %}
            {%- if check | length != 2 -%}
                {{ exceptions.raise_compiler_error("seg_quarantine_reason: each check is [condition, reason], got " ~ check) }}
            {%- endif %}
            when not coalesce(({{ check[0] }}), false) then {{ customer_segmentation.seg_literal(check[1]) }}
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}
