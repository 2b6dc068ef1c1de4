{#-
    seg_dummies(expr, values, prefix)
    One 0/1 integer column per value: 1 when expr equals the value, else 0 (null
    expr -> 0 everywhere). Columns are named seg_column_name(prefix, value), i.e.
    '<prefix>__<value>' sanitised to [a-z0-9_]. Renders a comma-separated column list
    without a trailing comma. Works on any expression, e.g. a seg_bracket(...) or a
    column holding bracket labels (values = seg_bracket_labels(edges)).
    Raises a compiler error when values is empty or two values give the same name.
-#}
{% macro seg_dummies(expr, values, prefix) -%}
    {{ return(adapter.dispatch('seg_dummies', 'customer_segmentation')(expr, values, prefix)) }}
{%- endmacro %}

{% macro default__seg_dummies(expr, values, prefix) -%}
    {%- if values is string or values is not iterable or values | length == 0 -%}
        {{ exceptions.raise_compiler_error("seg_dummies: values must be a non-empty list, got " ~ values) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for value in values -%}
        {%- set name = customer_segmentation.seg_column_name(prefix, value) -%}
        {%- if name in names -%}
            {{ exceptions.raise_compiler_error("seg_dummies: two values of " ~ prefix ~ " give the column " ~ name) }}
        {%- endif -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {%- for value in values %}
        case when ({{ expr }}) = {{ customer_segmentation.seg_literal(value) }} then 1 else 0 end as {{ names[loop.index0] }}
        {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#-
    seg_column_name(prefix, value)
    '<prefix>__<value>' with each part lower-cased, every run of characters outside
    [a-z0-9] replaced by one '_' and leading/trailing '_' removed:
    ('genre', 'Hip Hop') -> 'genre__hip_hop', ('gender', 'non-binary') -> 'gender__non_binary'.
    With prefix none or '' the result is the sanitised value alone.
-#}
{% macro seg_column_name(prefix, value) -%}
    {{ return(adapter.dispatch('seg_column_name', 'customer_segmentation')(prefix, value)) }}
{%- endmacro %}

{% macro default__seg_column_name(prefix, value) -%}
    {%- set clean_value = modules.re.sub('[^a-z0-9]+', '_', (value | string).lower()).strip('_') -%}
    {%- if clean_value == '' -%}
        {{ exceptions.raise_compiler_error("seg_column_name: value '" ~ value ~ "' has no [a-z0-9] character") }}
    {%- endif -%}
    {%- if prefix is none or prefix == '' -%}
        {{ return(clean_value) }}
    {%- endif -%}
    {%- set clean_prefix = modules.re.sub('[^a-z0-9]+', '_', (prefix | string).lower()).strip('_') -%}
    {{ return(clean_prefix ~ '__' ~ clean_value) }}
{%- endmacro %}


{#-
    seg_dummy_columns(values, prefix)
    The column names seg_dummies(expr, values, prefix) creates, in order (a list).
-#}
{% macro seg_dummy_columns(values, prefix) -%}
    {{ return(adapter.dispatch('seg_dummy_columns', 'customer_segmentation')(values, prefix)) }}
{%- endmacro %}

{% macro default__seg_dummy_columns(values, prefix) -%}
    {%- set names = [] -%}
    {%- for value in values -%}
        {%- do names.append(customer_segmentation.seg_column_name(prefix, value)) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#-
    seg_literal(value)
    A SQL literal for a vocabulary value: null as null, numbers as they are, anything else as a
    single-quoted string with embedded quotes doubled.
-#}
{% macro seg_literal(value) -%}
    {{ return(adapter.dispatch('seg_literal', 'customer_segmentation')(value)) }}
{%- endmacro %}

{% macro default__seg_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- endif -%}
    {%- if value is number and value is not boolean -%}
        {{ return(value | string) }}
    {%- endif -%}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{%- endmacro %}
