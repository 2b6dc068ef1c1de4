{#-
    seg_bracket(expr, edges, unknown_label='unknown')
    A CASE expression that puts a numeric expression into labelled brackets.

    edges: ascending whole numbers e_0 < e_1 < ... < e_n (raw units, from vars).
      [e_i, e_i+1)  -> '<e_i>_<e_i+1 - 1>'   e.g. edges [18, 25, 35] -> '18_24', '25_34'
      >= e_n        -> '<e_n>_plus'          e.g. '35_plus'
      null or < e_0 -> unknown_label         ('unknown' unless given)
    Comparisons are on the raw value, so a non-integer value such as 24.5 goes to
    '18_24' ([18, 25)).
-#}
{% macro seg_bracket(expr, edges, unknown_label='unknown') -%}
    {{ return(adapter.dispatch('seg_bracket', 'customer_segmentation')(expr, edges, unknown_label)) }}
{%- endmacro %}

{% macro default__seg_bracket(expr, edges, unknown_label='unknown') -%}
    {%- set labels = customer_segmentation.seg_bracket_labels(edges) -%}
    case
        when ({{ expr }}) is null or ({{ expr }}) < {{ edges[0] | int }} then '{{ unknown_label }}'
        {%- for i in range(1, edges | length) %}
        when ({{ expr }}) < {{ edges[i] | int }} then '{{ labels[i - 1] }}'
        {%- endfor %}
        else '{{ labels[-1] }}'
    end
{%- endmacro %}


{#-
    seg_bracket_labels(edges)
    The labels seg_bracket gives for these edges, in order (without the unknown label),
    e.g. [18, 25, 35, 55, 65] -> ['18_24', '25_34', '35_54', '55_64', '65_plus'].
    Raises a compiler error unless edges is a non-empty list of strictly ascending
    whole numbers. Feed it to seg_dummies to one-hot encode a bracket.
-#}
{% macro seg_bracket_labels(edges) -%}
    {{ return(adapter.dispatch('seg_bracket_labels', 'customer_segmentation')(edges)) }}
{%- endmacro %}

{% macro default__seg_bracket_labels(edges) -%}
    {%- if edges is string or edges is not iterable or edges | length == 0 -%}
        {{ exceptions.raise_compiler_error("seg_bracket: edges must be a non-empty list of numbers, got " ~ edges) }}
    {%- endif -%}
    {%- for edge in edges -%}
        {%- if edge is not number or edge != edge | int -%}
            {{ exceptions.raise_compiler_error("seg_bracket: edges must be whole numbers, got " ~ edges) }}
        {%- endif -%}
        {%- if not loop.first and edge <= edges[loop.index0 - 1] -%}
            {{ exceptions.raise_compiler_error("seg_bracket: edges must be strictly ascending, got " ~ edges) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set labels = [] -%}
    {%- for i in range(edges | length - 1) -%}
        {%- do labels.append((edges[i] | int) ~ '_' ~ ((edges[i + 1] | int) - 1)) -%}
    {%- endfor -%}
    {%- do labels.append((edges[-1] | int) ~ '_plus') -%}
    {{ return(labels) }}
{%- endmacro %}
