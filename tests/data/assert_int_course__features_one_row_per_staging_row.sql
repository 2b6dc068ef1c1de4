-- Every staged customer is accounted for exactly once: int_course__features has one row
-- per customer_id of stg_course__customers and no other. Returns the ids whose counts differ.
{{ config(enabled=seg_features_model_selected('int_course__features')) }}

with

staged as (

    select
        customer_id,
        count(*) as staged_rows
    from {{ ref('stg_course__customers') }}
    group by customer_id

),

featured as (

    select
        customer_id,
        count(*) as feature_rows
    from {{ ref('int_course__features') }}
    group by customer_id

)

select
    coalesce(staged.customer_id, featured.customer_id) as customer_id,
    coalesce(staged.staged_rows, 0) as staged_rows,
    coalesce(featured.feature_rows, 0) as feature_rows
from staged
full outer join featured
    on staged.customer_id is not distinct from featured.customer_id
where coalesce(staged.staged_rows, 0) != coalesce(featured.feature_rows, 0)
