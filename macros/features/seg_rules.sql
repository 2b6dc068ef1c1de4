{#-
    seg_range_condition(expr, bounds)
    A SQL condition that holds when expr lies in bounds = [min, max] (inclusive; a null
    bound is not checked, so [0, null] means "at least 0"). A null expr fails the
    condition (the comparison is null), so seg_quarantine_reason quarantines it. With
    both bounds null the condition is `expr is not null`.
    Example: seg_range_condition('income', [0, 200000]) -> '(income) >= 0 and (income) <= 200000'.
-#}
{% macro seg_range_condition(expr, bounds) -%}
    {{ return(adapter.dispatch('seg_range_condition', 'customer_segmentation')(expr, bounds)) }}
{%- endmacro %}

{% macro default__seg_range_condition(expr, bounds) -%}
    {%- if bounds is string or bounds is not iterable or bounds | length != 2 -%}
        {{ exceptions.raise_compiler_error("seg_range_condition: bounds must be [min, max], got " ~ bounds) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- if bounds[0] is not none -%}
        {%- do parts.append('(' ~ expr ~ ') >= ' ~ customer_segmentation.seg_number(bounds[0], 'the valid range minimum of ' ~ expr)) -%}
    {%- endif -%}
    {%- if bounds[1] is not none -%}
        {%- do parts.append('(' ~ expr ~ ') <= ' ~ customer_segmentation.seg_number(bounds[1], 'the valid range maximum of ' ~ expr)) -%}
    {%- endif -%}
    {{ return(parts | join(' and ') if parts else '(' ~ expr ~ ') is not null') }}
{%- endmacro %}


{#-
    seg_map_values(expr, mapping)
    expr with some values replaced: mapping is {raw value: replacement} (from vars, e.g.
    {alone: single}); any other value, null included, is kept. Renders a CASE expression,
    or expr unchanged for an empty mapping.
-#}
{% macro seg_map_values(expr, mapping) -%}
    {{ return(adapter.dispatch('seg_map_values', 'customer_segmentation')(expr, mapping)) }}
{%- endmacro %}

{% macro default__seg_map_values(expr, mapping) -%}
    {%- if mapping is not mapping -%}
        {{ exceptions.raise_compiler_error("seg_map_values: mapping must be {value: replacement}, got " ~ mapping) }}
    {%- endif -%}
    {%- if mapping | length == 0 -%}
        ({{ expr }})
    {%- else -%}
        case ({{ expr }})
            {%- for raw, replacement in mapping.items() %}
            when {{ customer_segmentation.seg_literal(raw) }} then {{ customer_segmentation.seg_literal(replacement) }}
            {%- endfor %}
            else ({{ expr }})
        end
    {%- endif -%}
{%- endmacro %}
