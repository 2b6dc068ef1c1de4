-- One row per case this run builds: whether it is segmented, by which model, and if not, why (the
-- problem in its settings or columns, or the sentence of a fit that failed in this run). The test
-- seg_cases_built turns every problem into an error naming it; the other cases build all the same.
with

specs as (

    select
        case_name,
        problem
    from {{ ref('int_segment_specs') }}

),

fit_errors as (

    select
        case_name,
        fit_error
    from {{ ref('int_segment_fit_errors') }}
    where failed_at >= {{ customer_segmentation.seg_run_timestamp() }}
    qualify row_number() over (partition by case_name order by failed_at desc) = 1

),

current_models as (

    select distinct
        case_name,
        model_id,
        model_version
    from {{ customer_segmentation.seg_current_model() }} as current_model

)

select
    specs.case_name,
    current_models.model_id,
    current_models.model_version,
    case
        when specs.problem is not null then 'invalid'
        when fit_errors.fit_error is not null and current_models.model_id is not null
            then 'fit_failed_previous_model_scores'
        when fit_errors.fit_error is not null then 'fit_failed'
        else 'segmented'
    end as status,
    coalesce(specs.problem, fit_errors.fit_error) as problem
from specs
left join fit_errors on specs.case_name = fit_errors.case_name
left join current_models on specs.case_name = current_models.case_name
