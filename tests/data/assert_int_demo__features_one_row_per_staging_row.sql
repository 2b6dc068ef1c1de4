-- Every staging row is accounted for: per subscriber id (null ids included), int_demo__features
-- has exactly as many rows as stg_demo__subscribers. Returns the ids whose counts differ.

with

staged as (

    select
        subscriber_id,
        count(*) as staged_rows
    from {{ ref('stg_demo__subscribers') }}
    group by subscriber_id

),

featured as (

    select
        subscriber_id,
        count(*) as feature_rows
    from {{ ref('int_demo__features') }}
    group by subscriber_id

)

select
    coalesce(staged.subscriber_id, featured.subscriber_id) as subscriber_id,
    coalesce(staged.staged_rows, 0) as staged_rows,
    coalesce(featured.feature_rows, 0) as feature_rows
from staged
full outer join featured
    on staged.subscriber_id is not distinct from featured.subscriber_id
where coalesce(staged.staged_rows, 0) != coalesce(featured.feature_rows, 0)
