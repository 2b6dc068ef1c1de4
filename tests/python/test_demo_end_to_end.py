"""End to end on the bundled demo: `dbt build`, then check the planted personas came back out."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from customer_segmentation.kmeans import assign
from project import PROJECT, ROOT, query, reuse_or_build, run_dbt, scratch_copy, segmentation_vars, standardized_points

DEMO = {"segmentation_cases": ["demo"]}  # the database may hold every case; these tests rebuild the demo
PERSONA_TRAITS = {  # a persona's defining trait, as it must appear in its segment's name
    "young_adults": "18–24",
    "young_families": "25–34",
    "affluent_professionals": "35–54",
    "empty_nesters": "55–64",
    "retirees": "65+",
}


def has_demo_tables(database: Path) -> bool:
    return query(database, "select count(*) as n from segment_assignments where case_name = 'demo'").n[0] > 0


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The database the test command built, else a fresh build of the demo."""
    return reuse_or_build(
        tmp_path_factory, "demo", has_demo_tables, ["build", "--vars", "{segmentation_cases: [demo]}"]
    )


@pytest.fixture()
def scratch_db(demo_db, tmp_path) -> Path:
    """A copy of the built database that a test may rebuild parts of."""
    return scratch_copy(demo_db, tmp_path)


def assignments_with_personas(database: Path) -> pd.DataFrame:
    truth = pd.read_csv(ROOT / "tests" / "fixtures" / "demo_personas.csv", dtype={"subscriber_id": str})
    truth = truth.drop_duplicates("subscriber_id")
    assigned = query(
        database, "select customer_id, segment_id, segment_name from segment_assignments where case_name = 'demo'"
    )
    return assigned.merge(truth, left_on="customer_id", right_on="subscriber_id")


def test_planted_personas_are_recovered(demo_db):
    rows = assignments_with_personas(demo_db)
    personas = rows[rows.persona.isin(PERSONA_TRAITS)]
    assert len(personas) > 8000
    assert adjusted_rand_score(personas.persona, personas.segment_id) >= 0.9


def test_five_extreme_incomes_keep_the_five_personas(tmp_path):
    """Five incomes of 99 million (within the valid range) neither take a segment of their own nor blur the
    personas: income is winsorised (the demo's transforms) and no segment may hold under 2% of customers."""
    raw = pd.read_csv(PROJECT / "seeds" / "demo" / "raw_subscribers.csv", dtype=str, keep_default_na=False)
    extreme = raw.head(5).assign(subscriber_id=[f"X{i:06d}" for i in range(5)], yearly_income="99000000")
    export = tmp_path / "subscribers.parquet"
    pd.concat([raw, extreme]).to_parquet(export, index=False)
    database = tmp_path / "extreme.duckdb"
    variables = {**DEMO, "demo_subscribers_path": str(export)}
    run_dbt(["build", "--exclude", "test_type:unit", "--vars", json.dumps(variables)], database)
    run = query(database, "select k, actionable_k from segment_model_runs where case_name = 'demo'")
    assert run.k.tolist() == run.actionable_k.tolist() == [5]
    rows = assignments_with_personas(database)
    personas = rows[rows.persona.isin(PERSONA_TRAITS)]
    assert adjusted_rand_score(personas.persona, personas.segment_id) >= 0.9
    summary = query(database, "select customers, share from segment_summary where case_name = 'demo'")
    assert summary.share.min() >= 0.02
    # Scored in SQL with the stored transform: income clipped to the model's 99th percentile of the
    # training incomes, then z-scored, then the nearest centroid - as computed here by hand.
    features = [f.lower() for f in segmentation_vars()["demo"]["features"]]
    model = "case_name = 'demo' and is_current"
    scaler = query(database, f"select * from int_segment_model_scalers where {model}").set_index("feature")
    incomes = query(database, "select yearly_income from int_demo__features where quarantine_reason is null")
    assert scaler["feature_transform"].dropna().to_dict() == {"yearly_income": "winsorize"}
    assert scaler.clip_high["yearly_income"] == pytest.approx(incomes.yearly_income.quantile(0.99), rel=1e-9)
    rows = query(database, "select * from int_demo__features where subscriber_id like 'X%' order by 1")
    clipped = (
        rows[features]
        .astype(float)
        .clip(scaler.clip_low[features].fillna(-np.inf), scaler.clip_high[features].fillna(np.inf), axis=1)
    )
    z = (clipped - scaler.mean_value[features]) / scaler.sd_value[features]
    centroids = query(database, f"select segment_id, feature, centroid_value from int_segment_centroids where {model}")
    centroids = centroids.pivot(index="segment_id", columns="feature", values="centroid_value")[features]
    by_hand = centroids.index[assign(z.to_numpy(), centroids.to_numpy())[0]]
    assigned = query(
        database, "select customer_id, segment_id from segment_assignments where customer_id like 'X%' order by 1"
    )
    assert assigned.customer_id.tolist() == rows.subscriber_id.tolist() == sorted(extreme.subscriber_id)
    assert assigned.segment_id.tolist() == by_hand.tolist()


def test_segment_names_mention_the_defining_traits(demo_db):
    rows = assignments_with_personas(demo_db)
    for persona, trait in PERSONA_TRAITS.items():
        name = rows[rows.persona == persona].segment_name.mode()[0]
        assert trait in name, f"{persona} landed in '{name}', which does not mention {trait}"


def test_every_input_row_is_assigned_or_quarantined(demo_db):
    raw = pd.read_csv(PROJECT / "seeds" / "demo" / "raw_subscribers.csv")
    counts = query(
        demo_db,
        """
        select
            (select count(*) from segment_assignments where case_name = 'demo') as assigned,
            (select count(*) from segment_quarantine where case_name = 'demo') as quarantined
    """,
    ).iloc[0]
    assert counts.assigned + counts.quarantined == len(raw)
    assert counts.quarantined > 0  # the generator plants dirt; it must be caught, not dropped


def test_sql_scoring_matches_python_prediction_for_every_row(demo_db):
    features = segmentation_vars()["demo"]["features"]
    points = standardized_points(demo_db, "demo", features).sort_values("customer_id")
    centroids = query(
        demo_db, "select segment_id, feature, centroid_standardized from segment_centroids where case_name = 'demo'"
    )
    matrix = centroids.pivot(index="segment_id", columns="feature", values="centroid_standardized")[features]
    nearest, _ = assign(points[features].to_numpy(), matrix.to_numpy())
    assigned = query(
        demo_db, "select customer_id, segment_id from segment_assignments where case_name = 'demo' order by customer_id"
    )
    assert assigned.customer_id.tolist() == points.customer_id.tolist()
    np.testing.assert_array_equal(assigned.segment_id.to_numpy(), matrix.index.to_numpy()[nearest])


def test_same_seed_gives_identical_segments(demo_db, scratch_db):
    demo_rows = "select customer_id, segment_id from segment_assignments where case_name = 'demo' order by 1"
    model = "select model_id from segment_model_runs where case_name = 'demo' and is_current"
    before, model_before = query(demo_db, demo_rows), query(demo_db, model).model_id[0]
    # Fresh scalers and a fresh fit (the model history dropped), not a refit warm-started from the
    # same centroids; the rounded scaler keeps the training-data hash, so the model id, identical.
    demo_only = ["--vars", json.dumps(DEMO)]
    run_dbt(
        ["build", "--select", "int_segment_scalers+", "--full-refresh", "--exclude", "test_type:data", *demo_only],
        scratch_db,
    )
    pd.testing.assert_frame_equal(before, query(scratch_db, demo_rows))
    assert query(scratch_db, model).model_id[0] == model_before


def build_with(database: Path, change) -> str:
    """Rebuilds the demo from its features on with a changed spec; returns dbt's output."""
    cases = copy.deepcopy(segmentation_vars())
    change(cases["demo"])
    done = run_dbt(
        [
            "build",
            "--select",
            "int_demo__features+",
            "--exclude",
            "test_type:unit",
            "--vars",
            json.dumps({**DEMO, "segmentation": cases}),
        ],
        database,
        check=False,
    )
    assert done.returncode != 0, "the bad configuration was accepted"
    return done.stdout


def test_unknown_column_is_a_clear_error(scratch_db):
    output = build_with(scratch_db, lambda spec: spec["features"].append("shoe_size"))
    assert "case 'demo': column 'shoe_size' is not in" in output


def test_constant_feature_is_a_clear_error(scratch_db):
    output = build_with(scratch_db, lambda spec: spec["features"].append("marital_status__other"))
    assert "marital_status__other" in output and "constant" in output


def test_more_segments_than_rows_is_a_clear_error(scratch_db):
    sizes = {
        name: 100000 for name in ("fit_sample_size", "silhouette_sample_size", "ward_sample_size", "sweep_sample_size")
    }
    output = build_with(scratch_db, lambda spec: spec.update(k=20000, k_max=20000, **sizes))
    assert "fewer than k=20000" in output


def test_no_usable_rows_is_a_clear_error(scratch_db):
    output = build_with(scratch_db, lambda spec: spec["valid_ranges"].update(age=[200, 300]))
    assert "no usable rows" in output
