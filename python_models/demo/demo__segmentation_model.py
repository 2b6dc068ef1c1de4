from customer_segmentation.dbt_model import fit_case


def model(dbt, session):
    # dbt hands a config value to a Python model only where the model file reads it by a literal key.
    defaults, cases = dbt.config.get("segmentation_defaults"), dbt.config.get("segmentation")
    return fit_case(defaults, cases, dbt.ref("int_demo__standardized"), "demo")
