-- Course-platform customers as exported: renamed, typed, nothing else. One row per file
-- row; the file has no id, so customer_id is the row's position in the file (1 = first
-- data row). Blanks and numbers that do not parse become null (screened in
-- int_course__features); region and channel stay integer codes.
{{ config(enabled=customer_segmentation.seg_features_model_selected('int_course__features')) }}

with

source as (

    select * from {{ source('course_platform', 'customers') }}

),

renamed as (

    select
        cast(ordinality as integer) as customer_id,
        try_cast(nullif(trim(minutes_watched), '') as double) as minutes_watched,
        case when nullif(trim(minutes_watched), '') is null then 1 else 0 end as minutes_watched_is_blank,
        try_cast(nullif(trim(clv), '') as double) as clv,
        try_cast(nullif(trim(region), '') as integer) as region,
        try_cast(nullif(trim(channel), '') as integer) as channel

    from source

)

select * from renamed
