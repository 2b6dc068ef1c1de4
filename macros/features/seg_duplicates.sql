{#-
    seg_id_checks(id_column, rank_column='duplicate_rank')
    The id checks of a features model, as [check, reason] pairs for seg_quarantine_reason,
    to put before its value checks: the id is present ('missing_<id_column>') and the row is
    the one kept of those sharing its id ('duplicate_<id_column>', rank_column = 1; rank it
    with seg_duplicate_rank).
-#}
{% macro seg_id_checks(id_column, rank_column='duplicate_rank') -%}
    {{ return(adapter.dispatch('seg_id_checks', 'customer_segmentation')(id_column, rank_column)) }}
{%- endmacro %}

{% macro default__seg_id_checks(id_column, rank_column='duplicate_rank') -%}
    {{ return([
        [id_column ~ ' is not null', 'missing_' ~ id_column],
        [rank_column ~ ' = 1', 'duplicate_' ~ id_column],
    ]) }}
{%- endmacro %}


{#-
    seg_duplicate_rank(id_column, order_by, failure_column='value_failure')
    Ranks the rows sharing an id, 1 = the row kept: rows passing the value checks
    (failure_column is null, e.g. a seg_quarantine_reason of the value checks) before failing
    ones, then by the order_by expressions (a list, e.g. ['enrolled_on asc nulls last']).
    Renders a row_number() window expression.
-#}
{% macro seg_duplicate_rank(id_column, order_by, failure_column='value_failure') -%}
    {{ return(adapter.dispatch('seg_duplicate_rank', 'customer_segmentation')(id_column, order_by, failure_column)) }}
{%- endmacro %}

{% macro default__seg_duplicate_rank(id_column, order_by, failure_column='value_failure') -%}
    {%- if order_by is string -%}
        {{ exceptions.raise_compiler_error("seg_duplicate_rank: order_by must be a list, got " ~ order_by) }}
    {%- endif -%}
    row_number() over (
        partition by {{ id_column }}
        order by
            {{ ([failure_column ~ ' is null desc'] + order_by) | join(',\n            ') }}
    )
{%- endmacro %}
