-- Retail customers of marketing_campaign.csv as exported: renamed to snake_case, typed,
-- categories trimmed and lower-cased, the enrolment date parsed (dd-mm-yyyy). One row
-- per file row, nothing filtered or mapped (screening is in int_campaign__features).
-- Values that do not parse become null. The constants Z_CostContact and Z_Revenue are
-- dropped.
{{ config(enabled=customer_segmentation.seg_features_model_selected('int_campaign__features')) }}

with

source as (

    select * from {{ source('marketing_campaign', 'customers') }}

),

renamed as (

    select
        try_cast(nullif(trim(id), '') as integer) as customer_id,
        try_cast(nullif(trim(year_birth), '') as integer) as birth_year,
        {{ customer_segmentation.seg_clean_category('education') }} as education,
        {{ customer_segmentation.seg_clean_category('marital_status') }} as marital_status,
        try_cast(nullif(trim(income), '') as double) as income,
        try_cast(nullif(trim(kidhome), '') as integer) as kids_at_home,
        try_cast(nullif(trim(teenhome), '') as integer) as teens_at_home,
        cast(try_strptime(nullif(trim(dt_customer), ''), '%d-%m-%Y') as date) as enrolled_on,
        try_cast(nullif(trim(recency), '') as integer) as recency_days,
        try_cast(nullif(trim(mntwines), '') as double) as spend_wines,
        try_cast(nullif(trim(mntfruits), '') as double) as spend_fruits,
        try_cast(nullif(trim(mntmeatproducts), '') as double) as spend_meat,
        try_cast(nullif(trim(mntfishproducts), '') as double) as spend_fish,
        try_cast(nullif(trim(mntsweetproducts), '') as double) as spend_sweets,
        try_cast(nullif(trim(mntgoldprods), '') as double) as spend_gold,
        try_cast(nullif(trim(numdealspurchases), '') as integer) as purchases_deals,
        try_cast(nullif(trim(numwebpurchases), '') as integer) as purchases_web,
        try_cast(nullif(trim(numcatalogpurchases), '') as integer) as purchases_catalog,
        try_cast(nullif(trim(numstorepurchases), '') as integer) as purchases_store,
        try_cast(nullif(trim(numwebvisitsmonth), '') as integer) as web_visits_month,
        try_cast(nullif(trim(acceptedcmp1), '') as integer) as accepted_cmp1,
        try_cast(nullif(trim(acceptedcmp2), '') as integer) as accepted_cmp2,
        try_cast(nullif(trim(acceptedcmp3), '') as integer) as accepted_cmp3,
        try_cast(nullif(trim(acceptedcmp4), '') as integer) as accepted_cmp4,
        try_cast(nullif(trim(acceptedcmp5), '') as integer) as accepted_cmp5,
        try_cast(nullif(trim(complain), '') as integer) as complained,
        try_cast(nullif(trim(response), '') as integer) as response

    from source

)

select * from renamed
