{#-
    seg_one_row_per_input(model, input_model, id_column)
    Every input row is accounted for exactly once: model holds the same multiset of id_column
    values (null included) as input_model. id_column may be a list of columns (a composite key;
    a row with any of them null counts as a null id). Compared in one pass per side, by row count, null
    count and a sum of 64-bit hashes of the ids (seg_hash_number), so it costs no join or sort
    at 100 million rows; a different multiset changes the sum except with negligible probability.
    Returns one row with both sides' figures when they differ (find the ids with a full outer
    join on the id counts).
-#}
{% test seg_one_row_per_input(model, input_model, id_column) %}
{{ customer_segmentation.seg_check_one_row_per_input(model, input_model, id_column) }}
{% endtest %}


{% macro seg_check_one_row_per_input(model, input_model, id_column) %}
{%- set key = [id_column] if id_column is string else id_column %}
{%- set hashed = [] %}
{%- for column in key %}{% do hashed.append('cast(' ~ column ~ ' as varchar)') %}{% endfor %}

with

sides as (
    {%- for side, relation in [('input', input_model), ('model', model)] %}
    select
        '{{ side }}' as side,
        count(*) as n_rows,
        count(*) - count(case when {{ key | join(' is not null and ') }} is not null then 1 end) as null_ids,
        sum({{ customer_segmentation.seg_hash_number(hashed) }}) as id_checksum
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    input_side.n_rows as input_rows,
    model_side.n_rows as model_rows,
    input_side.null_ids as input_null_ids,
    model_side.null_ids as model_null_ids
from sides as input_side
cross join sides as model_side
where
    input_side.side = 'input'
    and model_side.side = 'model'
    and (
        input_side.n_rows != model_side.n_rows
        or input_side.null_ids != model_side.null_ids
        or input_side.id_checksum is distinct from model_side.id_checksum
    )

{% endmacro %}
