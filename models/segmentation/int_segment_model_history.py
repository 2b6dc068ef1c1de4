from customer_segmentation.dbt_model import fit_cases


def model(dbt, session):
    dbt.config(materialized="incremental")  # append-only: every fitted version of every case
    history = session.sql(f"select * from {dbt.this}") if dbt.is_incremental else None
    cases, inputs, scalers = (
        dbt.ref("int_segment_specs"),
        dbt.ref("int_segment_fit_inputs"),
        dbt.ref("int_segment_scalers"),
    )
    return fit_cases(cases, inputs, scalers, history)
