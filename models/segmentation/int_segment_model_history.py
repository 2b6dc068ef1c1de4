from customer_segmentation.dbt_model import fit_cases, logs_to_dbt


def model(dbt, session):
    dbt.config(materialized="incremental")  # append-only: every fitted version of every case
    history = session.sql(f"select * from {dbt.this}") if dbt.is_incremental else None
    cases, inputs, scalers = (
        dbt.ref("int_segment_specs"),
        dbt.ref("int_segment_fit_inputs"),
        dbt.ref("int_segment_scalers"),
    )
    with logs_to_dbt():  # each phase of each fit on dbt's console and in logs/dbt.log
        artifacts = fit_cases(cases, inputs, scalers, history)
    return artifacts  # dbt's parser wants the model's one return at the top of the function
