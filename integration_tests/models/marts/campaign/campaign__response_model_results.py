from customer_segmentation.response_model import ResponseModelSpec, compare_variants


def model(dbt, session):
    # dbt hands a config value to a Python model only where the model file reads it by a literal key.
    spec = ResponseModelSpec.from_config(dbt.config.get("segmentation"), "campaign")
    usable = dbt.ref("int_campaign__features").filter("quarantine_reason is null").df()
    segments = dbt.ref("segment_assignments").filter("case_name = 'campaign'").df()
    split = dbt.ref("campaign__response_model_split").df()
    return compare_variants(usable, segments, split, spec)
