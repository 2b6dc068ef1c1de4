-- Suppression list of the next campaign: every segment labelled suppress / push / neutral by
-- its lift (segment response rate / overall rate) and the thresholds in
-- var('segmentation').campaign.targeting.
{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

{%- set targeting = var('segmentation')['campaign']['custom']['targeting'] %}

select
    case_name,
    model_id,
    segment_id,
    segment_name,
    customers,
    responders,
    response_rate,
    lift,
    {{ customer_segmentation.seg_targeting_action(
        'lift', targeting['suppress_below_lift'], targeting['push_above_lift']
    ) }}
        as targeting_action,
    'suppress if lift < {{ targeting["suppress_below_lift"] }}, push if lift > {{ targeting["push_above_lift"] }}'
        as action_rule
from {{ ref('campaign__segment_response') }}
