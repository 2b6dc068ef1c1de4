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
    cast(max(case when artifact = 'run' and name = 'fitted_at' then text end) as timestamp) as fitted_at
from {{ ref('int_segment_artifacts') }}
group by case_name, model_id
