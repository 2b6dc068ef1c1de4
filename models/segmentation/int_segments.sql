-- One row per segment of every model version, with the generated name and the analyst's override
-- (the case's segment_names setting: {segment id: name}).
with overrides as (
    {%- set rows = [] %}
    {%- for case_name in customer_segmentation.seg_cases() %}
        {%- for segment_id, segment_name in customer_segmentation.seg_spec(case_name).segment_names.items() %}
            {%- do rows.append([case_name, segment_id, segment_name]) %}
        {%- endfor %}
    {%- endfor %}
    {%- for case_name, segment_id, segment_name in rows %}
        select
            {{ customer_segmentation.seg_literal(case_name) }} as case_name,
            {{ segment_id | int }} as segment_id,
            {{ customer_segmentation.seg_literal(segment_name) }} as segment_name
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as varchar) as case_name,
            cast(null as integer) as segment_id,
            cast(null as varchar) as segment_name
        where false
    {%- endfor %}
)

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
left join overrides
    on
        artifacts.case_name = overrides.case_name
        and artifacts.segment_id = overrides.segment_id
where artifacts.artifact = 'segment'
