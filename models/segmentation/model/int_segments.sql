-- One row per segment of every model version, with the generated name and the analyst's override
-- (the case's segment_names setting: {segment id: name}).
with segment_rows as (
    {{ customer_segmentation.seg_artifact_rows('segment', {
        'segment_id': 'segment_id', 'text': 'generated_name', 'value': 'fit_rows',
    }) }}
),

overrides as (
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
    segment_rows.case_name,
    segment_rows.model_id,
    segment_rows.model_version,
    segment_rows.is_current,
    segment_rows.segment_id,
    segment_rows.generated_name,
    overrides.segment_name as override_name,
    cast(segment_rows.fit_rows as bigint) as fit_rows,
    coalesce(overrides.segment_name, segment_rows.generated_name) as segment_name,
    segment_rows.fit_rows / sum(segment_rows.fit_rows) over (partition by segment_rows.model_id) as fit_share
from segment_rows
left join overrides
    on
        segment_rows.case_name = overrides.case_name
        and segment_rows.segment_id = overrides.segment_id
