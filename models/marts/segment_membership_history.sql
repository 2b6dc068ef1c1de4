{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ customer_segmentation.seg_close_membership_periods() }}"
    )
}}

-- One row per period a customer spent in one segment (valid_to null: the current one). A build
-- first closes the open periods that no longer hold (pre-hook: the customer moved or left), then
-- appends a period for every assignment without an open period in its segment. The first build
-- opens one for every customer; later builds look only at the rows scored since the last change,
-- so a nightly run costs what changed, not a copy of every customer.
with

changed as (

    {% if is_incremental() -%}
        select * from {{ customer_segmentation.seg_membership_changes() }} as changes
    {%- else -%}
        select * from {{ ref('int_segment_scores') }}
    {%- endif %}

)

select
    changed.case_name,
    changed.customer_id,
    changed.segment_id,
    segments.segment_name,
    changed.model_id,
    {{ customer_segmentation.seg_run_timestamp() }} as valid_from,
    cast(null as timestamp) as valid_to
from changed
inner join {{ ref('int_segments') }} as segments
    on
        changed.model_id = segments.model_id
        and changed.segment_id = segments.segment_id
{%- if is_incremental() %}
where not exists (
    select 1
    from {{ this }} as history
    where
        history.valid_to is null
        and history.case_name = changed.case_name
        and history.customer_id = changed.customer_id
        and history.segment_id = changed.segment_id
)
{%- endif %}
