-- The model history of every case this run builds (all versions), flagged with the case's current version.
with artifacts as (
    select *
    from {{ ref('int_segment_model_history') }}
    where artifact != 'fit_error' and case_name in ({{ customer_segmentation.seg_case_list() }})
)

select
    *,
    model_version = max(model_version) over (partition by case_name) as is_current
from artifacts
