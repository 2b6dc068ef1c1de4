{%- set metrics = [
    'inertia', 'silhouette', 'calinski_harabasz', 'davies_bouldin', 'min_segment_share', 'max_segment_share',
] -%}
{#- The seconds of each phase of the fit (dbt_model.fit_case), like BigQuery ML's ML.TRAINING_INFO. -#}
{%- set phases = [
    'sample_read', 'reduction', 'ward_tree', 'k_sweep', 'stability', 'final_fit', 'naming', 'rules', 'artifacts',
] -%}
-- One row per model version of every case; the previous versions stay queryable.
with runs as (

    select * from {{ ref('int_segment_model_runs') }}

),

metrics as (

    select
        model_id,
        {%- for metric in metrics %}
            max(case when metric = '{{ metric }}' then metric_value end) as {{ metric }},
        {%- endfor %}
        cast(max(case when metric = 'trimmed_rows' then metric_value end) as bigint) as trimmed_rows
    from {{ ref('int_segment_model_metrics') }}
    group by model_id

),

phases as (

    select
        model_id,
        {%- for phase in phases %}
            max(case when phase = '{{ phase }}' then phase_seconds end) as {{ phase }}_seconds
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_segment_model_phases') }}
    group by model_id

)

select
    runs.case_name,
    runs.model_id,
    runs.model_version,
    runs.k,
    runs.recommended_k,
    runs.statistical_k,
    runs.actionable_k,
    runs.random_state,
    runs.usable_rows,
    runs.fit_rows,
    runs.is_current,
    runs.algorithm,
    runs.k_choice,
    runs.k_reason,
    runs.refit_reason,
    runs.previous_model_id,
    runs.training_data_hash,
    runs.parameters,
    runs.case_config,
    runs.library_versions,
    {%- for metric in metrics %}
        metrics.{{ metric }},
    {%- endfor %}
    metrics.trimmed_rows,
    {%- for phase in phases %}
        phases.{{ phase }}_seconds,
    {%- endfor %}
    runs.fitted_at
from runs
left join metrics on runs.model_id = metrics.model_id
left join phases on runs.model_id = phases.model_id
