-- Every case's model history (all versions), flagged with the case's current version.
with artifacts as (
    {{ seg_union_all_cases(seg_model_artifacts) }}
)

select
    *,
    model_version = max(model_version) over (partition by case_name) as is_current
from artifacts
