{%- set texts = [
    'algorithm', 'k_choice', 'k_reason', 'refit_reason', 'previous_model_id', 'training_data_hash', 'parameters',
    'case_config', 'library_versions',
] -%}
{%- set integers = [
    'model_version', 'k', 'recommended_k', 'statistical_k', 'actionable_k', 'random_state', 'usable_rows', 'fit_rows',
] -%}
{%- set metrics = [
    'inertia', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'min_segment_share', 'max_segment_share',
] -%}
{#- The seconds of each phase of the fit (dbt_model.fit_case), like BigQuery ML's ML.TRAINING_INFO. -#}
{%- set phases = [
    'sample_read', 'reduction', 'ward_tree', 'k_sweep', 'stability', 'final_fit', 'naming', 'rules', 'artifacts',
] -%}
-- One row per model version of every case; the previous versions stay queryable.
select
    case_name,
    model_id,
    {%- for key in integers %}
        cast(max(case when artifact = 'run' and name = '{{ key }}' then text end) as bigint) as {{ key }},
    {%- endfor %}
    bool_or(is_current) as is_current,
    {%- for key in texts %}
        max(case when artifact = 'run' and name = '{{ key }}' then text end) as {{ key }},
    {%- endfor %}
    {%- for metric in metrics %}
        max(case when artifact = 'metric' and name = '{{ metric }}' then value end) as {{ metric }},
    {%- endfor %}
    cast(max(case when artifact = 'metric' and name = 'trimmed_rows' then value end) as bigint) as trimmed_rows,
    {%- for phase in phases %}
        max(case when artifact = 'phase' and name = '{{ phase }}' then value end) as {{ phase }}_seconds,
    {%- endfor %}
    cast(max(case when artifact = 'run' and name = 'fitted_at' then text end) as timestamp) as fitted_at
from {{ ref('int_segment_artifacts') }}
group by case_name, model_id
