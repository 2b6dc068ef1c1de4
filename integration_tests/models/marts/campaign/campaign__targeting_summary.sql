-- What the suppress and push lists of campaign__segment_targeting amount to, in one row: customers
-- and responders on each list and their shares, and a sentence saying so (or that every segment is
-- neutral), so BI and the case note read the same figures.
{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

{%- set settings = 'vars.segmentation.campaign.custom.targeting' %}
{%- set targeting = var('segmentation')['campaign']['custom']['targeting'] %}
{#- Only words here: the numbers are checked where they are used (campaign__segment_targeting). -#}
{%- set confidence = customer_segmentation.seg_number(targeting.get('confidence'), settings ~ '.confidence') %}
{%- set level = '%g%%' | format(confidence * 100) %}
{%- set below = '%g' | format(
    customer_segmentation.seg_number(targeting.get('suppress_below_lift'), settings ~ '.suppress_below_lift')
) %}
{%- set above = '%g' | format(
    customer_segmentation.seg_number(targeting.get('push_above_lift'), settings ~ '.push_above_lift')
) %}

with

lists as (

    select
        case_name,
        model_id,
        customers,
        responders,
        cast(targeting_action = 'suppress' as integer) as suppressed,
        cast(targeting_action = 'push' as integer) as pushed
    from {{ ref('campaign__segment_targeting') }}

),

totals as (

    select
        case_name,
        model_id,
        cast(count(*) as bigint) as segments,
        cast(sum(customers) as bigint) as customers,
        cast(sum(responders) as bigint) as responders,
        cast(sum(suppressed) as bigint) as segments_suppressed,
        cast(sum(customers * suppressed) as bigint) as customers_suppressed,
        cast(sum(responders * suppressed) as bigint) as responders_suppressed,
        cast(sum(pushed) as bigint) as segments_pushed,
        cast(sum(customers * pushed) as bigint) as customers_pushed,
        cast(sum(responders * pushed) as bigint) as responders_pushed
    from lists
    group by case_name, model_id

),

shares as (

    select
        *,
        customers_suppressed * 1.0 / customers as suppressed_customer_share,
        responders_suppressed * 1.0 / nullif(responders, 0) as suppressed_responder_share,
        customers_pushed * 1.0 / customers as pushed_customer_share,
        responders_pushed * 1.0 / nullif(responders, 0) as pushed_responder_share
    from totals

)

select
    case_name,
    model_id,
    segments,
    customers,
    responders,
    segments_suppressed,
    customers_suppressed,
    suppressed_customer_share,
    responders_suppressed,
    suppressed_responder_share,
    segments_pushed,
    customers_pushed,
    pushed_customer_share,
    responders_pushed,
    pushed_responder_share,
    case
        when segments_suppressed + segments_pushed = 0
            then
                {{ customer_segmentation.seg_literal(
                    "no segment's " ~ level ~ " lift interval lies below " ~ below ~ " or above " ~ above ~ " at k = "
                ) }}
                || segments || '; every segment is neutral'
        else
            'at k = ' || segments || ': '
            || concat_ws(
                '; ',
                {{ campaign_targeting_phrase('suppressed', 'suppress', 'below', below, level) }},
                {{ campaign_targeting_phrase('pushed', 'push', 'above', above, level) }},
                (segments - segments_suppressed - segments_pushed)
                || case when segments - segments_suppressed - segments_pushed = 1 then ' segment' else ' segments' end
                || ' neutral'
            )
    end as summary_text
from shares
