from customer_segmentation.response_model import ResponseModelSpec, split_membership


def model(dbt, session):
    # dbt hands a config value to a Python model only where the model file reads it by a literal key.
    spec = ResponseModelSpec.from_config(dbt.config.get("segmentation"), "campaign")
    usable = dbt.ref("int_campaign__features").filter("quarantine_reason is null")
    return split_membership(usable.df(), spec)
