"""fit_cases, the package's fit model: every case of the run fitted on its own, a failed case recorded
as a fit_error row with its sentence while the others are fitted all the same."""

import json

import duckdb
import numpy as np
import pandas as pd

from customer_segmentation.dbt_model import fit_cases
from sql_macros import package_defaults


def build(con, cases: dict[str, dict], rows: dict[str, np.ndarray]):
    """Relations shaped like int_segment_specs, int_segment_fit_inputs and int_segment_scalers."""
    specs = pd.DataFrame(
        [
            {"case_name": name, "settings": json.dumps(settings), "problem": None, "refit_requested": False}
            for name, settings in cases.items()
        ]
    )
    inputs, scalers = [], []
    for name, X in rows.items():
        for i, row in enumerate(X):
            inputs.append(
                {"case_name": name, "customer_id": str(i), "customer_id_number": float(i), "features": list(row)}
            )
        for position, feature in enumerate(cases[name]["features"], start=1):
            scalers.append({"case_name": name, "feature": feature, "feature_position": position, "mean_value": 0.0,
                            "sd_value": 1.0, "fill_value": np.nan, "feature_transform": None, "clip_low": np.nan,
                            "clip_high": np.nan, "n_rows": len(X)})  # fmt: skip
    con.register("specs_df", specs)
    con.register("inputs_df", pd.DataFrame(inputs))
    con.register("scalers_df", pd.DataFrame(scalers))
    return con.table("specs_df"), con.table("inputs_df"), con.table("scalers_df")


def settings(**overrides) -> dict:
    return {**package_defaults(), "id_column": "id", "features": ["a", "b"], "stability_bootstraps": 0, **overrides}


def blobs(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(centre, 0.3, size=(60, 2)) for centre in ([0, 0], [5, 5], [0, 5])])


def test_a_failing_case_is_recorded_and_the_others_are_fitted():
    con = duckdb.connect()
    cases = {
        "good": settings(k=3),
        "too_few_rows": settings(k=3),
        "bad_range": settings(k_min=5, k_max=3),
    }
    rows = {"good": blobs(0), "too_few_rows": blobs(1)[:2], "bad_range": blobs(2)}
    table = fit_cases(*build(con, cases, rows), history=None)
    errors = table[table.artifact == "fit_error"].set_index("case_name").text
    assert sorted(errors.index) == ["bad_range", "too_few_rows"]
    assert "k_max (3) must be at least k_min (5)" in errors["bad_range"]
    assert errors["too_few_rows"].startswith("case 'too_few_rows'")
    good = table[table.case_name == "good"]
    assert (good.artifact == "segment").sum() == 3 and good.model_id.str.startswith("good-v1-").all()


def test_a_case_without_rows_is_a_fit_error_not_a_crash():
    con = duckdb.connect()
    cases = {"good": settings(k=3), "empty": settings(k=3)}
    specs, inputs, scalers = build(con, cases, {"good": blobs(0), "empty": np.empty((0, 2))})
    table = fit_cases(specs, inputs, scalers, history=None)
    assert table[table.artifact == "fit_error"].text.tolist() == [
        "case 'empty': no usable rows to segment (all quarantined, or no input)"
    ]
    assert (table[table.case_name == "good"].artifact == "segment").sum() == 3
