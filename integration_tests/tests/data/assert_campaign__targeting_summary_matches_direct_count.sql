-- campaign__targeting_summary agrees with a direct count: the customers and responders of the usable
-- rows of int_campaign__features joined to segment_assignments, counted per label of
-- campaign__segment_targeting, and their shares. Returns a row when any figure disagrees or the summary
-- has no row.
{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

with

direct as (

    select
        count(distinct assignments.segment_id) as segments,
        count(*) as customers,
        sum(features.response) as responders,
        count(*) filter (where targeting.targeting_action = 'suppress') as customers_suppressed,
        coalesce(sum(features.response) filter (where targeting.targeting_action = 'suppress'), 0)
            as responders_suppressed,
        count(*) filter (where targeting.targeting_action = 'push') as customers_pushed,
        coalesce(sum(features.response) filter (where targeting.targeting_action = 'push'), 0)
            as responders_pushed,
        count(distinct assignments.segment_id) filter (where targeting.targeting_action = 'suppress')
            as segments_suppressed,
        count(distinct assignments.segment_id) filter (where targeting.targeting_action = 'push')
            as segments_pushed
    from {{ ref('int_campaign__features') }} as features
    inner join {{ ref('segment_assignments') }} as assignments
        on
            assignments.case_name = 'campaign'
            and cast(features.customer_id as varchar) = assignments.customer_id
    left join {{ ref('campaign__segment_targeting') }} as targeting
        on assignments.segment_id = targeting.segment_id
    where features.quarantine_reason is null

)

select
    direct.*,
    targeting_summary.summary_text
from direct
left join {{ ref('campaign__targeting_summary') }} as targeting_summary on true
where
    targeting_summary.case_name is null
    or targeting_summary.segments != direct.segments
    or targeting_summary.customers != direct.customers
    or targeting_summary.responders != direct.responders
    or targeting_summary.segments_suppressed != direct.segments_suppressed
    or targeting_summary.customers_suppressed != direct.customers_suppressed
    or targeting_summary.responders_suppressed != direct.responders_suppressed
    or targeting_summary.segments_pushed != direct.segments_pushed
    or targeting_summary.customers_pushed != direct.customers_pushed
    or targeting_summary.responders_pushed != direct.responders_pushed
    or abs(targeting_summary.suppressed_customer_share - direct.customers_suppressed * 1.0 / direct.customers) > 1e-9
    or abs(targeting_summary.pushed_customer_share - direct.customers_pushed * 1.0 / direct.customers) > 1e-9
    or abs(targeting_summary.suppressed_responder_share - direct.responders_suppressed * 1.0 / direct.responders) > 1e-9
    or abs(targeting_summary.pushed_responder_share - direct.responders_pushed * 1.0 / direct.responders) > 1e-9
