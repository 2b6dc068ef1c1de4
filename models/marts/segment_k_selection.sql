{%- set metrics = ['inertia', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward_merge_height'] -%}
{%- set metrics = metrics + ['bic', 'aic', 'stability', 'segment_stability'] -%}
{%- set metrics = metrics + ['min_segment_share', 'max_segment_share', 'fit_seconds'] -%}
{%- set flags = ['meets_rule'] -%}
{%- for criterion in ['elbow', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward', 'bic'] -%}
    {%- do flags.append('chosen_by_' ~ criterion) -%}
{%- endfor -%}
{%- set flags = flags + ['is_statistical_choice', 'is_actionable_choice', 'is_recommended'] -%}
with runs as (
    select
        model_id,
        cast(text as integer) as chosen_k
    from {{ ref('int_segment_artifacts') }}
    where artifact = 'run' and name = 'k'
)

select
    artifacts.case_name,
    artifacts.model_id,
    artifacts.model_version,
    artifacts.is_current,
    artifacts.k,
    {%- for metric in metrics %}
        max(case when artifacts.name = '{{ metric }}' then artifacts.value end) as {{ metric }},
    {%- endfor %}
    {%- for flag in flags %}
        max(case when artifacts.name = '{{ flag }}' then artifacts.value end) = 1 as {{ flag }},
    {%- endfor %}
    artifacts.k = runs.chosen_k as is_chosen
from {{ ref('int_segment_artifacts') }} as artifacts
inner join runs on artifacts.model_id = runs.model_id
where artifacts.artifact = 'k_selection'
group by
    artifacts.case_name, artifacts.model_id, artifacts.model_version, artifacts.is_current, artifacts.k, runs.chosen_k
