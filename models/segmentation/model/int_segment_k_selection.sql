{%- set metrics = ['inertia', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward_merge_height'] -%}
{%- set metrics = metrics + ['bic', 'aic', 'stability', 'segment_stability'] -%}
{%- set metrics = metrics + ['min_segment_share', 'max_segment_share', 'fit_seconds'] -%}
{%- set metrics = metrics + ['elbow_distance', 'ward_relative_gap', 'votes'] -%}
{%- set flags = ['meets_rule'] -%}
{%- for criterion in ['elbow', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'ward', 'bic'] -%}
    {%- do flags.append('chosen_by_' ~ criterion) -%}
{%- endfor -%}
{%- set flags = flags + ['is_statistical_choice', 'is_actionable_choice', 'is_recommended'] -%}
-- One row per candidate k of every model version's k sweep (the 'k_selection' rows), one column per
-- index, and whether the fit chose that k.
with sweep_rows as (

    {{ customer_segmentation.seg_artifact_rows('k_selection', {
        'k': 'k', 'name': 'sweep_index', 'value': 'index_value',
    }) }}

),

indices as (

    {%- set columns = [] %}
    {%- for metric in metrics %}
        {%- do columns.append([metric, metric, none]) %}
    {%- endfor %}
    {%- for flag in flags %}
        {%- do columns.append([flag, flag, 'boolean']) %}
    {%- endfor %}
    {{ customer_segmentation.seg_pivot_model_rows('sweep_rows', ['k'], 'sweep_index', 'index_value', columns) }}

),

runs as (

    select
        model_id,
        k as chosen_k
    from {{ ref('int_segment_model_runs') }}

)

select
    indices.*,
    indices.k = runs.chosen_k as is_chosen
from indices
inner join runs on indices.model_id = runs.model_id
