-- What became of each segment at each refit: kept (matched, with its centroid shift), new or vanished.
with lineage as (

    select * from {{ ref('int_segment_lineage') }}

),

runs as (

    select
        model_id,
        previous_model_id
    from {{ ref('int_segment_model_runs') }}

)

select
    lineage.case_name,
    lineage.model_id,
    lineage.model_version,
    runs.previous_model_id,
    lineage.previous_segment_id,
    lineage.segment_id,
    lineage.change_type,
    lineage.centroid_shift,
    lineage.is_current
from lineage
inner join runs on lineage.model_id = runs.model_id
