{%- set metrics = ['inertia', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward_merge_height'] -%}
{%- set choices = ['elbow', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward'] -%}
with runs as (
    select
        case_name,
        cast(text as integer) as chosen_k
    from {{ ref('int_segment_artifacts') }}
    where artifact = 'run' and name = 'k'
)

select
    artifacts.case_name,
    artifacts.model_id,
    artifacts.k,
    {%- for metric in metrics %}
        max(case when artifacts.name = '{{ metric }}' then artifacts.value end) as {{ metric }},
    {%- endfor %}
    {%- for choice in choices %}
        max(case when artifacts.name = 'chosen_by_{{ choice }}' then artifacts.value end) = 1
        as chosen_by_{{ choice }},
    {%- endfor %}
    max(case when artifacts.name = 'is_recommended' then artifacts.value end) = 1 as is_recommended,
    artifacts.k = runs.chosen_k as is_chosen
from {{ ref('int_segment_artifacts') }} as artifacts
inner join runs on artifacts.case_name = runs.case_name
where artifacts.artifact = 'k_selection'
group by artifacts.case_name, artifacts.model_id, artifacts.k, runs.chosen_k
