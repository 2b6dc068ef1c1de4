-- Suppress / push lists of the next campaign: every segment with its response rate, lift (segment
-- rate / overall rate) and a bootstrap interval of the lift, labelled by where the whole interval
-- lies against the thresholds of var('segmentation').campaign.custom.targeting.
{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

{%- set settings = 'vars.segmentation.campaign.custom.targeting' %}
{%- set targeting = var('segmentation')['campaign']['custom']['targeting'] %}
{%- set suppress_below = customer_segmentation.seg_number(
    targeting.get('suppress_below_lift'), settings ~ '.suppress_below_lift'
) %}
{%- set push_above = customer_segmentation.seg_number(
    targeting.get('push_above_lift'), settings ~ '.push_above_lift'
) %}
{%- set replicates = targeting.get('bootstrap_replicates') %}
{%- set confidence = targeting.get('confidence') %}
{%- set seed = targeting.get('random_state') %}

with intervals as (

    {{ customer_segmentation.seg_lift_intervals(
        'campaign',
        var('segmentation')['campaign']['custom']['response_model']['target_column'],
        replicates,
        confidence,
        seed,
        settings,
    ) }}

)

{#- The numbers are checked by now (seg_lift_intervals, seg_targeting_action); '%g' writes 0.95 as 95. -#}
{%- set level = '%g%%' | format(confidence * 100) %}
{%- set rule = (
    'suppress if the ' ~ level ~ ' bootstrap interval of the lift lies below ' ~ ('%g' | format(suppress_below))
    ~ ' (lift_high < ' ~ ('%g' | format(suppress_below)) ~ '), push if it lies above '
    ~ ('%g' | format(push_above)) ~ ' (lift_low > ' ~ ('%g' | format(push_above)) ~ '), otherwise neutral; '
    ~ replicates | int ~ ' replicates resampling customers, seed ' ~ seed | int
) %}

select
    response.case_name,
    response.model_id,
    response.segment_id,
    response.segment_name,
    response.customers,
    response.responders,
    response.response_rate,
    response.lift,
    intervals.lift_low,
    intervals.lift_high,
    intervals.lift_replicates,
    {{ customer_segmentation.seg_targeting_action(
        'intervals.lift_low', 'intervals.lift_high', suppress_below, push_above
    ) }} as targeting_action,
    {{ customer_segmentation.seg_literal(rule) }} as action_rule
from {{ ref('campaign__segment_response') }} as response
left join intervals
    on
        response.model_id = intervals.model_id
        and response.segment_id = intervals.segment_id
