{#-
    seg_id_checks(id_column, rank_column='duplicate_rank')
    The id checks of a features model, as [check, reason] pairs for seg_quarantine_reason,
    to put before its value checks: the id is present ('missing_<id_column>') and the row is
    the one kept of those sharing its id ('duplicate_<id_column>', rank_column = 1; rank it
    with seg_ranked_rows).
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
    seg_ranked_rows(relation, id_column, order_by, failure)
    A select of every row of `relation` plus value_failure (the SQL expression `failure`, e.g. a
    seg_quarantine_reason of the value checks; null = the row passes them) and duplicate_rank:
    of the rows sharing an id, 1 = the row kept (passing rows first, then the order_by
    tie-breakers). Only ids found more than once are ranked by a window; every other row is 1.
    `relation` is read three times: pass a table, a view or a cheap CTE.
-#}
{% macro seg_ranked_rows(relation, id_column, order_by, failure) -%}
    {{ return(adapter.dispatch('seg_ranked_rows', 'customer_segmentation')(relation, id_column, order_by, failure)) }}
{%- endmacro %}

{% macro default__seg_ranked_rows(relation, id_column, order_by, failure) -%}
    {%- if order_by is string -%}
        {{ exceptions.raise_compiler_error("seg_ranked_rows: order_by must be a list, got " ~ order_by) }}
    {%- endif -%}
    {#- A window over every row sorted all of them by id and tie-breakers: 6 s of the demo's
        10M-row features build, where a grouped count of the ids takes 1.5 s. The unique rows are
        an outer join, not `not exists`: read again under a scalar subquery (a median fill), DuckDB
        plans `not exists` as a delim join, 2 s more at 10M rows. -#}
    with duplicated_ids as (
        select {{ id_column }} as duplicated_id
        from {{ relation }}
        where {{ id_column }} is not null
        group by {{ id_column }}
        having count(*) > 1
    )

    select
        unique_rows.*,
        {{ failure }} as value_failure,
        1 as duplicate_rank
    from {{ relation }} as unique_rows
    left join duplicated_ids on unique_rows.{{ id_column }} = duplicated_ids.duplicated_id
    where duplicated_ids.duplicated_id is null

    union all

    select
        *,
        row_number() over (
            partition by {{ id_column }}
            order by
                {{ (['value_failure is null desc'] + order_by) | join(',\n                ') }}
        ) as duplicate_rank
    from (
        select
            repeated.*,
            {{ failure }} as value_failure
        from {{ relation }} as repeated
        where exists (select 1 from duplicated_ids where duplicated_ids.duplicated_id = repeated.{{ id_column }})
    ) as repeated_rows
{%- endmacro %}
