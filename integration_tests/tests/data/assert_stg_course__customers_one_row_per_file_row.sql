-- stg_course__customers has exactly one row per data row of the file, numbered 1..n in
-- file order: as many rows as the source, ids 1..n without gaps or repeats.
-- Returns one row with the counts when that does not hold.
{{ config(enabled=customer_segmentation.seg_features_model_selected('int_course__features')) }}

with

file_rows as (

    select count(*) as n_rows from {{ source('course_platform', 'customers') }}

),

staged as (

    select
        count(*) as n_rows,
        count(distinct customer_id) as n_ids,
        min(customer_id) as first_id,
        max(customer_id) as last_id
    from {{ ref('stg_course__customers') }}

)

select
    file_rows.n_rows as file_rows,
    staged.n_rows as staged_rows,
    staged.n_ids,
    staged.first_id,
    staged.last_id
from file_rows
cross join staged
where
    staged.n_rows != file_rows.n_rows
    or staged.n_ids != file_rows.n_rows
    or staged.first_id != 1
    or staged.last_id != file_rows.n_rows
