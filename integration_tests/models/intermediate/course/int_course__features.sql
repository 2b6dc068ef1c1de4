-- One row per staged course-platform customer: a quarantine reason (null = usable) and
-- the numeric features of the course cases. Code names come from the lookup seeds
-- course_regions / course_channels; the dummy vocabularies and valid ranges from
-- var('segmentation').course. Nothing about them is hard-coded here.
{{ config(enabled=customer_segmentation.seg_features_model_selected('int_course__features')) }}

{%- set course = var('segmentation')['course'] %}
{%- set categories = course['categories'] %}
{%- set ranges = course['valid_ranges'] %}

{#- Checks every usable row passes, in the order their reasons are reported. -#}
{%- set checks = [
    ['region_name is not null', 'unknown_region'],
    ['channel_name is not null', 'unknown_channel'],
    ['clv is not null', 'missing_clv'],
    [customer_segmentation.seg_range_condition('clv', ranges['clv']), 'invalid_clv'],
    ['minutes_watched is not null or minutes_watched_is_blank = 1', 'unreadable_minutes_watched'],
    [customer_segmentation.seg_range_condition('minutes_watched_filled', ranges['minutes_watched']),
     'invalid_minutes_watched'],
] %}

with

customers as (

    select * from {{ ref('stg_course__customers') }}

),

regions as (

    select * from {{ ref('course_regions') }}

),

channels as (

    select * from {{ ref('course_channels') }}

),

named as (

    -- A code missing from its lookup seed (or null) gets no name and is quarantined.
    -- Blank minutes = bought but not watched yet: 0 minutes (flagged).
    select
        customers.*,
        regions.region_name,
        channels.channel_name,
        case
            when customers.minutes_watched_is_blank = 1 then 0 else customers.minutes_watched
        end as minutes_watched_filled
    from customers
    left join regions on customers.region = regions.region_code
    left join channels on customers.channel = channels.channel_code

),

screened as (

    select
        *,
        {{ customer_segmentation.seg_quarantine_reason(checks) }} as quarantine_reason
    from named

)

select
    customer_id,
    quarantine_reason,
    cast(minutes_watched_filled as double) as minutes_watched,
    minutes_watched_is_blank as minutes_watched_was_blank,
    cast(clv as double) as clv,
    region,
    region_name,
    channel,
    channel_name,
    {{ customer_segmentation.seg_dummies('region_name', categories['region'], 'region') }},
    {{ customer_segmentation.seg_dummies('channel_name', categories['channel'], 'channel') }}
from screened
