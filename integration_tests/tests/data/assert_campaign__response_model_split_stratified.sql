-- The response model's split is disjoint, complete and stratified: every usable customer of
-- int_campaign__features is in exactly one part (and no one else is), and in every part the
-- responders and non-responders are each within 2 rows of their share of the part
-- (vars.segmentation.campaign.response_model: validation_share, test_share; train = the rest).
-- Returns one row per problem.
{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

{%- set settings = var('segmentation')['campaign']['custom']['response_model'] %}
{%- set validation_share = settings['validation_share'] %}
{%- set test_share = settings['test_share'] %}

with

usable as (

    select
        cast(customer_id as varchar) as customer_id,
        response
    from {{ ref('int_campaign__features') }}
    where quarantine_reason is null

),

split as (

    select * from {{ ref('campaign__response_model_split') }}

),

membership as (

    select
        coalesce(usable.customer_id, split.customer_id) as customer_id,
        case
            when usable.customer_id is null then 'in the split but not usable'
            when split.customer_id is null then 'usable but in no part'
            when usable.response != split.target then 'target differs from the features'
        end as problem
    from usable
    full outer join split on usable.customer_id = split.customer_id
    where
        usable.customer_id is null
        or split.customer_id is null
        or usable.response != split.target

),

duplicates as (

    select
        customer_id,
        'in ' || count(*) || ' parts' as problem
    from split
    group by customer_id
    having count(*) > 1

),

shares as (

    select
        'train' as split_name,
        {{ 1 - validation_share - test_share }} as expected_share
    union all
    select
        'validation' as split_name,
        {{ validation_share }} as expected_share
    union all
    select
        'test' as split_name,
        {{ test_share }} as expected_share

),

classes as (

    select
        target,
        count(*) as rows_in_class
    from split
    group by target

),

observed as (

    select
        split,
        target,
        count(*) as n_rows
    from split
    group by split, target

),

stratification as (

    select
        shares.split_name || ' / target ' || classes.target as customer_id,
        'has ' || coalesce(observed.n_rows, 0) || ' rows, expected about '
        || round(shares.expected_share * classes.rows_in_class, 1) as problem
    from shares
    cross join classes
    left join observed on shares.split_name = observed.split and classes.target = observed.target
    where abs(coalesce(observed.n_rows, 0) - shares.expected_share * classes.rows_in_class) > 2

)

select * from membership
union all
select * from duplicates
union all
select * from stratification
