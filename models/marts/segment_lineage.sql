-- What became of each segment at each refit: kept (matched, with its centroid shift), new or vanished.
with runs as (
    select
        model_id,
        max(case when name = 'previous_model_id' then text end) as previous_model_id
    from {{ ref('int_segment_artifacts') }}
    where artifact = 'run'
    group by model_id
)

select
    lineage.case_name,
    lineage.model_id,
    lineage.model_version,
    runs.previous_model_id,
    lineage.k as previous_segment_id,
    lineage.segment_id,
    lineage.name as change_type,
    lineage.value as centroid_shift,
    lineage.is_current
from {{ ref('int_segment_artifacts') }} as lineage
inner join runs on lineage.model_id = runs.model_id
where lineage.artifact = 'lineage'
