with sizes as (
    select
        case_name,
        model_id,
        segment_id,
        count(*) as customers
    from {{ ref('segment_assignments') }}
    group by case_name, model_id, segment_id
)

select
    segments.case_name,
    segments.model_id,
    segments.segment_id,
    segments.segment_name,
    segments.generated_name,
    coalesce(sizes.customers, 0) as customers,
    coalesce(sizes.customers, 0) * 1.0
    / sum(coalesce(sizes.customers, 0)) over (partition by segments.case_name) as share
from {{ ref('int_segments') }} as segments
left join sizes
    on
        segments.case_name = sizes.case_name
        and segments.segment_id = sizes.segment_id
