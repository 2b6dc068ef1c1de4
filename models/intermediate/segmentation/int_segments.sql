-- One row per segment of every model version, with the generated name and the analyst's override.
select
    artifacts.case_name,
    artifacts.model_id,
    artifacts.model_version,
    artifacts.is_current,
    artifacts.segment_id,
    artifacts.text as generated_name,
    overrides.segment_name as override_name,
    cast(artifacts.value as bigint) as fit_rows,
    coalesce(overrides.segment_name, artifacts.text) as segment_name,
    artifacts.value / sum(artifacts.value) over (partition by artifacts.model_id) as fit_share
from {{ ref('int_segment_artifacts') }} as artifacts
left join {{ ref('segment_name_overrides') }} as overrides
    on
        artifacts.case_name = overrides.case_name
        and artifacts.segment_id = overrides.segment_id
where artifacts.artifact = 'segment'
