{%- set metrics = ['inertia', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward_merge_height'] -%}
{%- set metrics = metrics + ['bic', 'aic', 'stability'] -%}
{%- set choices = ['elbow', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward', 'bic'] -%}
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
    {%- for choice in choices %}
        max(case when artifacts.name = 'chosen_by_{{ choice }}' then artifacts.value end) = 1 as chosen_by_{{ choice }},
    {%- endfor %}
    max(case when artifacts.name = 'is_recommended' then artifacts.value end) = 1 as is_recommended,
    artifacts.k = runs.chosen_k as is_chosen
from {{ ref('int_segment_artifacts') }} as artifacts
inner join runs on artifacts.model_id = runs.model_id
where artifacts.artifact = 'k_selection'
group by
    artifacts.case_name, artifacts.model_id, artifacts.model_version, artifacts.is_current, artifacts.k, runs.chosen_k
