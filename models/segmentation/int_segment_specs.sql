-- One row per case this run builds: its resolved settings (seg_spec), whether a refit is requested, and
-- the problem that keeps it out of the build (unknown setting, wrong type, missing column), if any.
{%- set cases = customer_segmentation.seg_selected_cases() %}
{%- set refit = var('segmentation_refit', false) %}
{%- for case_name in cases %}
    {%- set problems = customer_segmentation.seg_case_problems(case_name) %}
    {%- set requested = case_name in refit if refit is iterable and refit is not string else refit in [true, 'true'] %}
    select
        {{ customer_segmentation.seg_literal(case_name) }} as case_name,
        {{ 'cast(null as varchar)' if problems else customer_segmentation.seg_literal(tojson(customer_segmentation.seg_resolve(case_name))) }} as settings,
        {{ customer_segmentation.seg_literal(problems | join(' ')) if problems else 'cast(null as varchar)' }} as problem,
        {{ 'true' if requested else 'false' }} as refit_requested
    {% if not loop.last %}union all{% endif %}
{%- else %}
    select
        cast(null as varchar) as case_name,
        cast(null as varchar) as settings,
        cast(null as varchar) as problem,
        false as refit_requested
    where false
{%- endfor %}
