{%- set integers = [
    'k', 'recommended_k', 'statistical_k', 'actionable_k', 'random_state', 'usable_rows', 'fit_rows',
] -%}
{%- set texts = [
    'algorithm', 'k_choice', 'k_reason', 'refit_reason', 'previous_model_id', 'features', 'training_data_hash',
    'parameters', 'case_config', 'library_versions',
] -%}
-- One row per model version of every case: the metadata its fit stored (the 'run' rows), typed.
with run_rows as (

    {{ customer_segmentation.seg_artifact_rows('run', {'name': 'run_key', 'text': 'run_value'}) }}

)

select
    case_name,
    model_id,
    model_version,
    is_current,
    {%- for key in integers %}
        cast(max(case when run_key = '{{ key }}' then run_value end) as bigint) as {{ key }},
    {%- endfor %}
    {%- for key in texts %}
        max(case when run_key = '{{ key }}' then run_value end) as {{ key }},
    {%- endfor %}
    cast(max(case when run_key = 'fitted_at' then run_value end) as timestamp) as fitted_at
from run_rows
group by case_name, model_id, model_version, is_current
