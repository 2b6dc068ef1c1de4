-- Music-streaming demo subscribers as exported: renamed, typed and tidied, nothing else.
-- Every raw row is kept (duplicates and impossible values included); screening happens
-- in int_demo__features. Numbers that do not parse become null.

{#- var demo_subscribers_path: read an export in Parquet (benchmarks, refresh tests) instead of the seed.
    The path reaches SQL as a quoted literal, never as text. #}
{%- if var('demo_subscribers_path', none) %}
    {%- set export = "read_parquet(" ~ customer_segmentation.seg_literal(var('demo_subscribers_path')) ~ ")" %}
{%- else %}
    {#- Without the database name: the view keeps working in a copied or renamed file. #}
    {%- set export = ref('raw_subscribers').include(database=false) %}
{%- endif %}

with

source as (

    select * from {{ export }}

),

renamed as (

    select
        {{ customer_segmentation.seg_clean_id('subscriber_id', export) }} as subscriber_id,
        {{ customer_segmentation.seg_clean_category('gender') }} as gender,
        try_cast(age as integer) as age,
        {{ customer_segmentation.seg_clean_category('education') }} as education,
        {{ customer_segmentation.seg_clean_category('marital_status') }} as marital_status,
        try_cast(children as integer) as children,
        try_cast(yearly_income as double) as yearly_income,
        try_cast(hours_per_week as double) as hours_per_week,
        {{ customer_segmentation.seg_clean_category('favourite_genre') }} as favourite_genre

    from source

)

select * from renamed
