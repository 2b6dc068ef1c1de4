from customer_segmentation.dbt_model import fit_case


def model(dbt, session):
    dbt.config(materialized="incremental")  # append-only model history
    # dbt hands a Python model only the config keys its file reads with literal names.
    settings = dbt.config.get("segmentation_defaults"), dbt.config.get("segmentation")
    refit = dbt.config.get("segmentation_refit")
    standardized, scalers = dbt.ref("int_songs_gmm__standardized"), dbt.ref("int_segment_scalers")
    return fit_case(dbt, session, (*settings, refit), "songs_gmm", standardized, scalers)
