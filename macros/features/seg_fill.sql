{#-
    seg_clean_category(expr)
    Text cleaning for a categorical column in staging: lower case, every run of spacing (spaces,
    tabs, line breaks) and hyphens one space, trimmed; an empty string becomes null ('HIP-HOP',
    'hip  hop' -> 'hip hop'). Nothing is mapped or renamed. Compare the result with vocabularies
    cleaned the same way (seg_clean_values).
-#}
{% macro seg_clean_category(expr) -%}
    {{ return(adapter.dispatch('seg_clean_category', 'customer_segmentation')(expr)) }}
{%- endmacro %}

{% macro default__seg_clean_category(expr) -%}
    nullif(trim(regexp_replace(lower(cast({{ expr }} as varchar)), '[\s-]+', ' ', 'g')), '')
{%- endmacro %}


{#-
    seg_clean_values(values)
    Vocabulary values cleaned like seg_clean_category cleans the data ('non-binary' -> 'non binary'),
    so values and vocabulary compare equal: a list, or a mapping (category_map) whose keys and values
    are both cleaned. Dummy names do not change: seg_column_name gives both spellings the same name.
-#}
{% macro seg_clean_values(values) -%}
    {{ return(adapter.dispatch('seg_clean_values', 'customer_segmentation')(values)) }}
{%- endmacro %}

{% macro default__seg_clean_values(values) -%}
    {%- if values is mapping -%}
        {%- set cleaned = {} -%}
        {%- for raw, replacement in values.items() -%}
            {%- set pair = customer_segmentation.seg_clean_values([raw, replacement]) -%}
            {%- do cleaned.update({pair[0]: pair[1]}) -%}
        {%- endfor -%}
        {{ return(cleaned) }}
    {%- endif -%}
    {%- set cleaned = [] -%}
    {%- for value in values -%}
        {%- do cleaned.append(modules.re.sub('[\\s-]+', ' ', (value | string).lower()).strip()) -%}
    {%- endfor -%}
    {{ return(cleaned) }}
{%- endmacro %}


{#-
    seg_clean_id(column, source)
    An id column for staging: kept as a whole number when `source` (a relation, or a table
    function such as read_parquet('...')) stores it as one, as trimmed text otherwise, with
    blanks -> null. Whole-number ids are several times cheaper to group, join and store than
    their text. Text while parsing, or when the source relation does not exist yet.
-#}
{% macro seg_clean_id(column, source) -%}
    {{ return(adapter.dispatch('seg_clean_id', 'customer_segmentation')(column, source)) }}
{%- endmacro %}

{% macro default__seg_clean_id(column, source) -%}
    {%- if customer_segmentation.seg_stored_type(source, column) == 'integer' -%}
        {{ column }}
    {%- else -%}
        nullif(trim(cast({{ column }} as varchar)), '')
    {%- endif -%}
{%- endmacro %}


{#-
    seg_fill_blank(expr, value, allowed=none)
    Text expression with blanks filled: null or whitespace-only -> value (a SQL
    expression; quote string literals: "'other'"). With allowed (a vocabulary list),
    anything not in it is replaced by value as well, so unknown categories and blanks
    both land in one bucket. The comparison is exact: clean the text first
    (seg_clean_category) when case or padding may differ.
-#}
{% macro seg_fill_blank(expr, value, allowed=none) -%}
    {{ return(adapter.dispatch('seg_fill_blank', 'customer_segmentation')(expr, value, allowed)) }}
{%- endmacro %}

{% macro default__seg_fill_blank(expr, value, allowed=none) -%}
    {%- if allowed is none -%}
        coalesce(nullif(trim({{ expr }}), ''), {{ value }})
    {%- else -%}
        {%- if allowed is string or allowed is not iterable or allowed | length == 0 -%}
            {{ exceptions.raise_compiler_error("seg_fill_blank: allowed must be a non-empty list, got " ~ allowed) }}
        {%- endif -%}
        case
            when ({{ expr }}) in (
                {%- for v in allowed -%}
                    {{ customer_segmentation.seg_literal(v) }}{{ ", " if not loop.last }}
                {%- endfor -%}
            ) then ({{ expr }})
            else {{ value }}
        end
    {%- endif -%}
{%- endmacro %}


{#-
    seg_fill_median(expr, relation, where=none)
    Numeric expression with nulls filled by the median (quantile_cont 0.5) of the
    non-null values of expr over `relation` (the CTE or table the select reads), restricted
    to the rows where the SQL condition `where` holds (e.g. 'quarantine_reason is null' so
    that rows about to be quarantined do not move the fill value). Null when no row
    qualifies. The median is a scalar subquery, one aggregate: a window over () would
    buffer every row in one partition, expensive at millions of rows.
-#}
{% macro seg_fill_median(expr, relation, where=none) -%}
    {{ return(adapter.dispatch('seg_fill_median', 'customer_segmentation')(expr, relation, where)) }}
{%- endmacro %}

{% macro default__seg_fill_median(expr, relation, where=none) -%}
    coalesce(
        {{ expr }},
        (select median({{ expr }}) from {{ relation }} as median_rows{% if where is not none %} where {{ where }}{% endif %})
    )
{%- endmacro %}
