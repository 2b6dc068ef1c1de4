{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ seg_close_membership_periods() }}"
    )
}}

-- One row per period a customer spent in one segment (valid_to null: the current one). A build
-- first closes the open periods that no longer hold (pre-hook: the customer moved or left), then
-- appends a period for every assignment without an open period in its segment. On the first
-- build that is every customer; afterwards only the movers and newcomers.
select
    assignments.case_name,
    assignments.customer_id,
    assignments.segment_id,
    assignments.segment_name,
    assignments.model_id,
    {{ seg_run_timestamp() }} as valid_from,
    cast(null as timestamp) as valid_to
from {{ ref('segment_assignments') }} as assignments
{%- if is_incremental() %}
where not exists (
    select 1
    from {{ this }} as history
    where
        history.valid_to is null
        and history.case_name = assignments.case_name
        and history.customer_id = assignments.customer_id
        and history.segment_id = assignments.segment_id
)
{%- endif %}
