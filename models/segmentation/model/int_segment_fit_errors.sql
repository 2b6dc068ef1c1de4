-- Every failed fit of every case (the 'fit_error' rows of the storage, which int_segment_artifacts
-- leaves out): when, and the sentence that says why.
select
    case_name,
    text as fit_error,
    -- stored as epoch seconds; microseconds since the epoch make a UTC timestamp, as the run's is
    make_timestamp(cast(round(value * 1000000) as bigint)) as failed_at
from {{ ref('int_segment_model_history') }}
where artifact = 'fit_error'
