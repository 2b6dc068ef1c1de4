-- campaign__segment_response agrees with a direct count: per segment, the customers and
-- responders counted straight from int_campaign__features (usable rows) joined to
-- segment_assignments; and over all segments, the usable customers and responders of the
-- features model itself. Returns one row per disagreement.
{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

with

direct as (

    select
        assignments.segment_id,
        count(*) as customers,
        sum(features.response) as responders
    from {{ ref('int_campaign__features') }} as features
    inner join {{ ref('segment_assignments') }} as assignments
        on
            assignments.case_name = 'campaign'
            and cast(features.customer_id as varchar) = assignments.customer_id
    where features.quarantine_reason is null
    group by assignments.segment_id

),

mart as (

    select
        segment_id,
        customers,
        responders,
        response_rate,
        lift,
        overall_response_rate
    from {{ ref('campaign__segment_response') }}

),

per_segment as (

    select
        coalesce(direct.segment_id, mart.segment_id) as segment_id,
        'per segment' as check_name,
        direct.customers as direct_customers,
        mart.customers as mart_customers,
        direct.responders as direct_responders,
        mart.responders as mart_responders
    from direct
    full outer join mart on direct.segment_id = mart.segment_id
    where
        direct.segment_id is null
        or mart.segment_id is null
        or direct.customers != mart.customers
        or direct.responders != mart.responders
        or abs(mart.response_rate - direct.responders * 1.0 / direct.customers) > 1e-9
        or abs(mart.lift * mart.overall_response_rate - mart.response_rate) > 1e-9

),

totals as (

    select
        null as segment_id,
        'all usable customers' as check_name,
        (
            select count(*) from {{ ref('int_campaign__features') }}
            where quarantine_reason is null
        ) as direct_customers,
        (select sum(customers) from mart) as mart_customers,
        (
            select sum(response) from {{ ref('int_campaign__features') }}
            where quarantine_reason is null
        ) as direct_responders,
        (select sum(responders) from mart) as mart_responders

)

select * from per_segment
union all
select * from totals
where direct_customers != mart_customers or direct_responders != mart_responders
