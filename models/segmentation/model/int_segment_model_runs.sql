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

{%- set columns = [] %}
{%- for key in integers %}
    {%- do columns.append([key, key, 'bigint']) %}
{%- endfor %}
{%- for key in texts %}
    {%- do columns.append([key, key, none]) %}
{%- endfor %}
{%- do columns.append(['fitted_at', 'fitted_at', 'timestamp']) %}

{{ customer_segmentation.seg_pivot_model_rows('run_rows', [], 'run_key', 'run_value', columns) }}
