"""The nightly refresh on the demo: score-only runs, incremental scoring, refits with stable ids,
membership history and the segment health tests. Each test works on its own copy of the database."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.dbt_model import feature_drift, previous_model, training_scaler
from customer_segmentation.kmeans import assign
from project import PROJECT, case_spec, connect, project_vars, query, run_dbt, scratch_copy
from sql_macros import macro
from test_demo_end_to_end import demo_db  # noqa: F401 - shared session fixture

RAW = PROJECT / "seeds" / "demo" / "raw_subscribers.csv"
DEMO = {"segmentation_cases": ["demo"]}  # the database may hold every case; these tests rebuild the demo


@pytest.fixture()
def refresh_db(demo_db, tmp_path) -> Path:  # noqa: F811
    return scratch_copy(demo_db, tmp_path)


def export(frame: pd.DataFrame, folder: Path) -> str:
    path = folder / "subscribers.parquet"
    frame.to_parquet(path, index=False)
    return str(path)


def build(database: Path, check: bool = True, **variables):
    return run_dbt(
        ["build", "--exclude", "test_type:unit", "--vars", json.dumps({**DEMO, **variables})], database, check=check
    )


def raw() -> pd.DataFrame:
    return pd.read_csv(RAW, dtype=str, keep_default_na=False)


def scores(database: Path) -> pd.DataFrame:
    return query(database, "select * from int_segment_scores where case_name = 'demo'").set_index("customer_id")


def test_nightly_run_scores_only_new_and_changed_customers(refresh_db, tmp_path):
    before = scores(refresh_db)
    data = raw()
    usable = data[data.subscriber_id.isin(before.index)].drop_duplicates("subscriber_id", keep=False)
    changed = usable.subscriber_id.iloc[:40].tolist()
    removed = usable.subscriber_id.iloc[40:70].tolist()
    data.loc[data.subscriber_id.isin(changed), "hours_per_week"] = "55"
    data = data[~data.subscriber_id.isin(removed)]
    newcomers = usable.iloc[100:150].assign(subscriber_id=[f"N{i:06d}" for i in range(50)])
    # Scoring-time rules: a genre never seen in training goes to 'other', a blank income is filled.
    newcomers.loc[newcomers.index[0], ["favourite_genre", "yearly_income"]] = ["polka", ""]
    build(refresh_db, demo_subscribers_path=export(pd.concat([data, newcomers]), tmp_path))
    unseen = query(
        refresh_db,
        "select favourite_genre__other, income_was_blank, quarantine_reason "
        "from int_demo__features where subscriber_id = 'N000000'",
    ).iloc[0]
    assert unseen.favourite_genre__other == 1 and unseen.income_was_blank == 1 and unseen.quarantine_reason is None

    after = scores(refresh_db)
    assert after.model_id.nunique() == 1 and after.model_id.iloc[0] == before.model_id.iloc[0]  # no refit
    rescored = set(after.index[after.scored_at > before.scored_at.max()])
    # The median that fills blank incomes moved (checked here), yet the customers it fills are not
    # rescored: they score with the training median (blank_fill_flags), so only changed and new ones are.
    assert_scored_with_training_fill(refresh_db, "N000000")
    assert rescored == set(changed) | set(newcomers.subscriber_id)
    assert not set(removed) & set(after.index)
    moved = after.loc[changed].segment_id != before.loc[changed].segment_id
    assert moved.any()  # 55 h/week pulls most of them into another segment
    assert (after.loc[changed].previous_segment_id == before.loc[changed].segment_id).all()

    history = query(refresh_db, "select * from segment_membership_history where case_name = 'demo'")
    closed = history[history.valid_to.notna()]
    assert set(closed.customer_id) == set(np.array(changed)[moved.to_numpy()]) | set(removed)
    current = history[history.valid_to.isna()].set_index("customer_id").segment_id
    assert current.sort_index().to_dict() == after.segment_id.sort_index().to_dict()  # movers reopened


def assert_scored_with_training_fill(database: Path, customer_id: str) -> None:
    """The customer's blank income scores as the current model's training median, which differs from
    this build's (the median it holds in int_demo__features)."""
    model = query(database, "select * from int_segment_model_scalers where case_name = 'demo' and is_current")
    model = model.set_index("feature").sort_values("feature_position")
    row = query(database, f"select * from int_demo__features where subscriber_id = '{customer_id}'").iloc[0]
    trained = model.fill_value["yearly_income"]
    assert row.income_was_blank == 1 and pd.notna(trained) and row.yearly_income != trained
    values = row[model.index].astype(float)
    values["yearly_income"] = trained
    z = (values - model.mean_value) / model.sd_value
    centroids = query(
        database,
        "select segment_id, feature, centroid_value from int_segment_centroids where case_name = 'demo' and is_current",
    )
    centroids = centroids.pivot(index="segment_id", columns="feature", values="centroid_value")[model.index]
    (nearest,), (squared,) = assign(z.to_numpy()[None, :], centroids.to_numpy())
    scored = query(
        database,
        "select segment_id, distance_to_centroid from int_segment_scores "
        f"where case_name = 'demo' and customer_id = '{customer_id}'",
    ).iloc[0]
    assert scored.segment_id == centroids.index[nearest]
    assert scored.distance_to_centroid == pytest.approx(np.sqrt(squared), abs=1e-6)


def test_history_catches_up_on_a_scoring_run_it_missed(refresh_db, tmp_path):
    before = scores(refresh_db)
    data = raw()
    usable = data[data.subscriber_id.isin(before.index)].drop_duplicates("subscriber_id", keep=False)
    changed = usable.subscriber_id.iloc[:40].tolist()
    data.loc[data.subscriber_id.isin(changed), "hours_per_week"] = "55"
    variables = json.dumps({**DEMO, "demo_subscribers_path": export(data, tmp_path)})
    run_dbt(["build", "--exclude", "test_type:unit", "segment_membership_history", "--vars", variables], refresh_db)
    run_dbt(["build", "--select", "segment_membership_history", "--vars", variables], refresh_db)
    after = scores(refresh_db)
    moved = set(after.index[after.segment_id != before.segment_id.reindex(after.index)])
    assert moved  # 55 h/week moves some of them
    history = query(refresh_db, "select * from segment_membership_history where case_name = 'demo'")
    assert set(history[history.valid_to.notna()].customer_id) == moved
    current = history[history.valid_to.isna()].set_index("customer_id").segment_id
    assert current.sort_index().to_dict() == after.segment_id.sort_index().to_dict()


def test_an_export_with_whole_number_ids_keeps_them_numbers(refresh_db, tmp_path):
    reasons_sql = "select quarantine_reason, count(*) as n from int_demo__features group by all order by all"
    text_reasons, text_scores = query(refresh_db, reasons_sql), scores(refresh_db)
    data = raw()
    numbers = [int(text[1:]) if text.strip() else None for text in data.subscriber_id]  # "S000123" -> 123
    build(
        refresh_db, demo_subscribers_path=export(data.assign(subscriber_id=pd.array(numbers, dtype="Int64")), tmp_path)
    )
    staged = query(refresh_db, "select distinct typeof(subscriber_id) as type from stg_demo__subscribers")
    assert staged.type.tolist() == ["BIGINT"]
    # The same rows are screened (duplicates, blanks, impossible values) and the same customers scored.
    assert query(refresh_db, reasons_sql).equals(text_reasons)
    after = scores(refresh_db)
    assert sorted(after.index) == sorted(str(int(text[1:])) for text in text_scores.index)
    assert (
        after.segment_id.to_numpy()
        == text_scores.segment_id.rename(lambda t: str(int(t[1:]))).reindex(after.index).to_numpy()
    ).all()


def test_refit_keeps_segment_ids_and_names(refresh_db, tmp_path):
    data = raw()
    sample = data.sample(frac=0.8, random_state=7)  # a different population of the same personas
    before = query(refresh_db, "select segment_id, segment_name from segment_summary where case_name = 'demo'")
    build(refresh_db, demo_subscribers_path=export(sample, tmp_path), segmentation_refit=["demo"])

    runs = query(refresh_db, "select * from segment_model_runs where case_name = 'demo' order by model_version")
    assert runs.model_version.tolist() == [1, 2]
    assert runs.refit_reason.iloc[1] == "requested"
    assert runs.previous_model_id.iloc[1] == runs.model_id.iloc[0]
    lineage = query(refresh_db, "select * from segment_lineage where is_current")
    assert (lineage.change_type == "kept").all() and (lineage.segment_id == lineage.previous_segment_id).all()
    after = query(refresh_db, "select segment_id, segment_name from segment_summary where case_name = 'demo'")
    pd.testing.assert_frame_equal(
        before.sort_values("segment_id", ignore_index=True), after.sort_values("segment_id", ignore_index=True)
    )
    old_centroids = query(refresh_db, "select count(*) as n from segment_centroids where not is_current").n[0]
    assert old_centroids > 0  # the previous version stays queryable


def test_refit_with_another_seed_still_matches_segments_by_centroid(refresh_db):
    cases = project_vars()["segmentation"]
    cases["demo"]["random_state"] = 7
    demo_rows = "select customer_id, segment_id from segment_assignments where case_name = 'demo' order by 1"
    before = query(refresh_db, demo_rows)
    build(refresh_db, segmentation=cases)
    runs = query(refresh_db, "select refit_reason from segment_model_runs where is_current and case_name = 'demo'")
    assert runs.refit_reason[0] == "configuration changed"
    after = query(refresh_db, demo_rows)
    assert (before.segment_id == after.segment_id).mean() > 0.99


def drifted(tmp_path: Path) -> str:
    """The demo export after a population shift: 40% of the subscribers grew 30 years older."""
    data = raw()
    age = pd.to_numeric(data.age, errors="coerce")
    older = (np.arange(len(data)) % 5 < 2) & age.between(18, 70)
    data.loc[older, "age"] = (age[older] + 30).astype(int).astype(str)
    return export(data, tmp_path)


def test_feature_drift_triggers_a_refit(refresh_db, tmp_path):
    build(refresh_db, demo_subscribers_path=drifted(tmp_path))
    runs = query(refresh_db, "select refit_reason from segment_model_runs where is_current and case_name = 'demo'")
    assert runs.refit_reason[0].startswith("feature drift")


def test_drift_without_refit_fails_the_health_tests(refresh_db, tmp_path):
    no_auto_refit = {"refit_drift_threshold": 1000}
    build(refresh_db, demo_subscribers_path=drifted(tmp_path), segmentation_defaults=no_auto_refit)  # warns
    # The engine's refit measure, on the model it would refit, is the health test's (seg_drift_in_sd).
    in_sd = macro("scaling/seg_scaler.sql", "seg_drift_in_sd")
    drift = in_sd("today.mean_value", "trained.mean_value", "trained.sd_value")
    health = query(
        refresh_db,
        f"select trained.model_id, max({drift}) as drift from int_segment_scalers as today"
        " inner join int_segment_model_scalers as trained using (case_name, feature)"
        " where trained.is_current and case_name = 'demo' group by trained.model_id",
    )
    spec = case_spec(refresh_db, "demo")
    with contextlib.chdir(PROJECT), connect(refresh_db) as con:
        model = previous_model(con.sql("select * from int_segment_model_history"), spec).model
        engine = feature_drift(model, training_scaler(con.sql("select * from int_segment_scalers"), spec).means)
    assert (model.model_id, engine) == (health.model_id[0], health.drift[0]) and engine > 0.5
    strict = {"severity": "error", "max_population_stability_index": 0.02}
    done = run_dbt(
        [
            "test",
            "--select",
            "test_name:seg_feature_drift test_name:seg_population_stability test_name:seg_segment_churn",
            "--vars",
            json.dumps({**DEMO, "segment_health": strict}),
        ],
        refresh_db,
        check=False,
    )
    failed = " ".join(line for line in done.stdout.splitlines() if " FAIL " in line)
    assert done.returncode != 0
    for test in ("seg_feature_drift", "seg_population_stability", "seg_segment_churn"):
        assert test in failed


def test_health_thresholds_can_fail_the_build(refresh_db):
    strict = {"severity": "error", "min_silhouette": 0.99}  # the other thresholds keep their defaults
    done = run_dbt(
        [
            "test",
            "--select",
            "test_name:seg_silhouette_floor",
            "--vars",
            json.dumps({**DEMO, "segment_health": strict}),
        ],
        refresh_db,
        check=False,
    )
    assert done.returncode != 0 and "FAIL" in done.stdout
    done = run_dbt(["test", "--select", "test_name:seg_silhouette_floor", "--vars", json.dumps(DEMO)], refresh_db)
    assert "PASS" in done.stdout


def test_the_export_path_is_a_literal_not_sql(refresh_db, tmp_path):
    """A path shaped like SQL is a file name that does not exist, not a filter on the export."""
    path = export(raw(), tmp_path)
    sql_shaped = f"{path}') where subscriber_id < 'S005000' --"
    done = build(refresh_db, check=False, demo_subscribers_path=sql_shaped)
    assert done.returncode != 0 and f"demo_subscribers_path: no file '{sql_shaped}'." in done.stdout
