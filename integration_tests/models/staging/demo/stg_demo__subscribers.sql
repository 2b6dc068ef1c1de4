-- Music-streaming demo subscribers as exported: renamed, typed and tidied, nothing else.
-- Every raw row is kept (duplicates and impossible values included); screening happens
-- in int_demo__features. A number is kept as its value and a flag that says it did not
-- parse, so int_demo__features tells a blank from a value that is not a number.

{#- var demo_subscribers_path: read an export (.csv with a header row, else Parquet; benchmarks, refresh
    tests) instead of the seed. The path reaches SQL as a quoted literal, never as text; a missing file
    or column stops the build with a sentence naming it. #}
{%- if var('demo_subscribers_path', none) %}
    {%- set export = customer_segmentation.seg_read_file(var('demo_subscribers_path'), [
        'subscriber_id', 'gender', 'age', 'education', 'marital_status', 'children', 'yearly_income',
        'hours_per_week', 'favourite_genre',
    ], 'demo_subscribers_path') %}
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
        {{ customer_segmentation.seg_number_columns('age', 'age', export) }},
        {{ customer_segmentation.seg_clean_category('education') }} as education,
        {{ customer_segmentation.seg_clean_category('marital_status') }} as marital_status,
        {{ customer_segmentation.seg_number_columns('children', 'children', export) }},
        {{ customer_segmentation.seg_number_columns('yearly_income', 'yearly_income', export) }},
        {{ customer_segmentation.seg_number_columns('hours_per_week', 'hours_per_week', export) }},
        {{ customer_segmentation.seg_clean_category('favourite_genre') }} as favourite_genre

    from source

)

select * from renamed
