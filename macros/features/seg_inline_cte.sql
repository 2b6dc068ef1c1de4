{#-
    seg_inline_cte()
    The hint between `<cte> as` and its body that makes the warehouse recompute a CTE at every
    reference instead of storing its rows once: `not materialized` where it is understood
    (DuckDB, Postgres), nothing elsewhere. For CTEs read more than once that are cheaper to
    recompute than to store (a scan and a few expressions over millions of rows).
-#}
{% macro seg_inline_cte() -%}
    {{ return(adapter.dispatch('seg_inline_cte', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__seg_inline_cte() -%}
{%- endmacro %}

{% macro duckdb__seg_inline_cte() -%}
    not materialized
{%- endmacro %}

{% macro postgres__seg_inline_cte() -%}
    not materialized
{%- endmacro %}
