from customer_segmentation.dbt_model import fit_case


def model(dbt, session):
    # Append-only model history: a new version when a refit is due, no rows otherwise.
    dbt.config(materialized="incremental")
    history = session.sql(f"select * from {dbt.this}") if dbt.is_incremental else None
    return fit_case(
        dbt.config.get("segmentation_defaults"),
        dbt.config.get("segmentation"),
        dbt.config.get("segmentation_refit"),
        "course",
        dbt.ref("int_course__standardized"),
        dbt.ref("int_segment_scalers"),
        history,
    )
