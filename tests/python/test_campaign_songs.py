"""End to end on the real campaign and songs data (../shared/data): `dbt build`, then check the
rules the cases promise - no leakage, a stratified disjoint split, marts that recount, reproducible fits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from project import (
    RESPONSE_VARIANTS,
    SHARED_DATA,
    case_spec,
    query,
    reuse_or_build,
    run_dbt,
    scratch_copy,
    segmentation_vars,
    standardized_points,
)

CASES = ["demo", "campaign", "songs"]
CSVS = [SHARED_DATA / "marketing_campaign.csv", SHARED_DATA / "spotify_songs.csv"]
BUILD_VARS = json.dumps({"segmentation_cases": CASES})


def has_case_tables(database: Path) -> bool:
    built = query(
        database,
        """
        select
            (select count(*) from segment_assignments where case_name = 'campaign') as campaign,
            (select count(*) from segment_assignments where case_name = 'songs') as songs,
            (select count(*) from campaign__response_model_results) as results,
            (select count(*) from songs__similar_tracks) as similar
    """,
    ).iloc[0]
    return bool((built > 0).all())


@pytest.fixture(scope="session")
def cases_db(tmp_path_factory) -> Path:
    """The database the test command built (it builds every case), else a fresh build."""
    missing = [str(path) for path in CSVS if not path.exists()]
    if missing:
        pytest.skip(f"shared data not found: {', '.join(missing)}")
    return reuse_or_build(tmp_path_factory, "cases", has_case_tables, ["build", "--vars", BUILD_VARS])


@pytest.fixture()
def scratch_db(cases_db, tmp_path) -> Path:
    """A copy of the built database that a test may rebuild parts of."""
    return scratch_copy(cases_db, tmp_path)


# --- no leakage ---------------------------------------------------------------------------


def test_no_target_among_the_configured_features():
    for case_name, case in segmentation_vars().items():
        targets = {t.lower() for t in case.get("target_columns") or []}
        if case_name == "campaign":
            assert "response" in targets
            targets.add("response")
        assert not targets & {f.lower() for f in case["features"]}, case_name
    assert "popularity" in segmentation_vars()["songs"]["target_columns"]


def test_the_fitted_models_use_no_target(cases_db):
    used = query(
        cases_db,
        """
        select distinct case_name, feature from segment_centroids where case_name in ('campaign', 'songs')
    """,
    )
    campaign = set(used.feature[used.case_name == "campaign"])
    songs = set(used.feature[used.case_name == "songs"])
    assert campaign == set(segmentation_vars()["campaign"]["features"]) and "response" not in campaign
    assert songs == set(segmentation_vars()["songs"]["features"]) and "popularity" not in songs


# --- quarantine --------------------------------------------------------------------------


def test_campaign_quarantine_and_income_fill(cases_db):
    reasons = (
        query(
            cases_db,
            """
        select coalesce(quarantine_reason, 'usable') as reason, count(*) as n
        from int_campaign__features group by 1
    """,
        )
        .set_index("reason")
        .n.to_dict()
    )
    assert reasons == {
        "usable": 2232,
        "implausible_birth_year": 3,
        "invalid_marital_status": 4,
        "implausible_income": 1,
    }
    facts = query(
        cases_db,
        """
        select
            count(*) filter (where income_was_blank = 1) as filled,
            count(distinct income) filter (where income_was_blank = 1) as fill_values,
            max(reference_date) as reference_date,
            min(reference_date) as min_reference_date
        from int_campaign__features where quarantine_reason is null
    """,
    ).iloc[0]
    assert facts.filled == 24 and facts.fill_values == 1
    assert str(facts.reference_date)[:10] == str(facts.min_reference_date)[:10] == "2014-06-29"
    accounted = query(
        cases_db,
        """
        select
            (select count(*) from segment_assignments where case_name = 'campaign')
            + (select count(*) from segment_quarantine where case_name = 'campaign') as n
    """,
    ).n[0]
    assert accounted == 2240


def test_songs_quarantine(cases_db):
    reasons = (
        query(
            cases_db,
            """
        select coalesce(quarantine_reason, 'usable') as reason, count(*) as n from int_songs__features group by 1
    """,
        )
        .set_index("reason")
        .n.to_dict()
    )
    assert reasons == {"usable": 3859, "invalid_tempo": 3, "invalid_loudness": 4}


# --- response mart, split, results ---------------------------------------------------------


def test_response_mart_equals_a_direct_count(cases_db):
    direct = query(
        cases_db,
        """
        select f.customer_id, f.response, a.segment_id
        from int_campaign__features as f
        inner join segment_assignments as a
            on a.case_name = 'campaign' and cast(f.customer_id as varchar) = a.customer_id
        where f.quarantine_reason is null
    """,
    )
    expected = direct.groupby("segment_id").agg(customers=("response", "size"), responders=("response", "sum"))
    overall = direct.response.mean()
    mart = query(cases_db, "select * from campaign__segment_response order by segment_id").set_index("segment_id")
    assert mart.customers.sum() == 2232
    np.testing.assert_array_equal(mart.customers, expected.customers.loc[mart.index])
    np.testing.assert_array_equal(mart.responders, expected.responders.loc[mart.index])
    np.testing.assert_allclose(mart.lift, (expected.responders / expected.customers / overall).loc[mart.index])


# The suppress / push lists and their bootstrap intervals: test_campaign_targeting.py.


def test_split_is_stratified_disjoint_and_complete(cases_db):
    split = query(cases_db, "select * from campaign__response_model_split")
    usable = query(
        cases_db,
        """
        select cast(customer_id as varchar) as customer_id, response
        from int_campaign__features where quarantine_reason is null
    """,
    )
    assert split.customer_id.is_unique
    assert set(split.customer_id) == set(usable.customer_id)
    merged = split.merge(usable, on="customer_id")
    assert (merged.target == merged.response).all()
    positives, negatives = split.target.sum(), (1 - split.target).sum()
    for part, share in {"train": 0.6, "validation": 0.2, "test": 0.2}.items():
        rows = split[split.split == part]
        assert abs(len(rows) - share * len(split)) <= 2, part
        assert abs(rows.target.sum() - share * positives) <= 2, part
        assert abs((1 - rows.target).sum() - share * negatives) <= 2, part


def test_results_cover_every_variant_on_the_test_part(cases_db):
    results = query(cases_db, "select * from campaign__response_model_results").set_index("variant")
    assert set(results.index) == set(RESPONSE_VARIANTS)
    n_test = query(cases_db, "select count(*) as n from campaign__response_model_split where split = 'test'").n[0]
    assert (results.test_rows == n_test).all()
    model_id = query(
        cases_db,
        """
        select distinct model_id from segment_assignments where case_name = 'campaign'
    """,
    ).model_id.tolist()
    assert results.segmentation_model_id.unique().tolist() == model_id
    assert results.loc["features", "roc_auc"] > 0.75  # the features carry real signal


def test_same_seed_gives_the_same_response_model(cases_db, scratch_db):
    columns = "variant, c, threshold, accuracy, precision, recall, specificity, roc_auc, roc_auc_gain"
    before = query(cases_db, f"select {columns} from campaign__response_model_results order by variant")
    split_before = query(cases_db, "select customer_id, split from campaign__response_model_split order by 1")
    run_dbt(
        ["run", "--select", "campaign__response_model_split", "campaign__response_model_results", "--vars", BUILD_VARS],
        scratch_db,
    )
    after = query(scratch_db, f"select {columns} from campaign__response_model_results order by variant")
    split_after = query(scratch_db, "select customer_id, split from campaign__response_model_split order by 1")
    pd.testing.assert_frame_equal(split_before, split_after)
    pd.testing.assert_frame_equal(before, after)


# --- songs ------------------------------------------------------------------------------------


def test_similar_tracks_are_the_nearest_in_the_same_segment(cases_db):
    n = segmentation_vars()["songs"]["custom"]["similar_tracks"]
    features = segmentation_vars()["songs"]["features"]
    points = standardized_points(cases_db, "songs", features).rename(columns={"customer_id": "track_id"})
    assigned = query(
        cases_db, "select customer_id as track_id, segment_id from segment_assignments where case_name = 'songs'"
    )
    points = points.merge(assigned, on="track_id").set_index("track_id")
    similar = query(cases_db, "select * from songs__similar_tracks")
    sizes = points.segment_id.value_counts()
    counts = similar.groupby("track_id").size()
    expected_counts = np.minimum(n, sizes.loc[points.segment_id].to_numpy() - 1)
    np.testing.assert_array_equal(counts.reindex(points.index).fillna(0).to_numpy(), expected_counts)
    assert (points.segment_id.loc[similar.similar_track_id].to_numpy() == similar.segment_id.to_numpy()).all()
    # Brute force for a few tracks: the same neighbours in the same order.
    for track_id in points.index[::500]:
        same = points[points.segment_id == points.segment_id[track_id]].drop(index=track_id)
        distance = np.sqrt(((same[features] - points.loc[track_id, features]) ** 2).sum(axis=1))
        nearest = distance.sort_values(kind="stable").index[:n].tolist()
        got = similar[similar.track_id == track_id].sort_values("similarity_rank")
        assert got.similar_track_id.tolist() == nearest
        np.testing.assert_allclose(got.distance, distance.loc[nearest])


def test_song_segment_names_read_like_audio_traits(cases_db):
    names = query(cases_db, "select segment_name from segment_summary where case_name = 'songs'").segment_name
    assert len(names) == len(set(names)) >= 3
    traits = (
        "energy",
        "danceability",
        "acousticness",
        "valence",
        "loudness",
        "tempo",
        "speechiness",
        "instrumentalness",
        "liveness",
    )
    assert sum(any(t in name for t in traits) for name in names) >= len(names) - 1


@pytest.mark.parametrize("case_name", ["campaign", "songs"])
def test_refitting_with_the_same_seed_gives_the_stored_segments(cases_db, case_name):
    """The engine, run again on the standardised table with the case's spec, puts every row in the
    segment SQL assigned it to (the stored model's segments, same ids)."""
    from customer_segmentation import SegmentationSpec, segment

    spec = case_spec(cases_db, case_name)
    spec = SegmentationSpec(**{**spec.to_dict(), "features": tuple(spec.features)})  # the actionable k needs stability
    points = standardized_points(cases_db, case_name, spec.features)
    stored = query(
        cases_db,
        f"""
        select customer_id, segment_id from segment_assignments where case_name = '{case_name}' order by customer_id
    """,
    )
    stored = stored.set_index("customer_id").segment_id
    assert set(stored.index) == set(points.customer_id)
    result = segment(points[list(spec.features)].to_numpy(float), spec.features, spec)  # rows in id order, as the fit
    np.testing.assert_array_equal(result.labels, stored.loc[points.customer_id].to_numpy())


def test_kmeans_and_gmm_are_compared_on_the_same_tracks(cases_db):
    try:
        comparison = query(cases_db, "select * from songs__algorithm_comparison").set_index("algorithm")
    except Exception:  # noqa: BLE001 - songs_gmm not in this build
        pytest.skip("songs__algorithm_comparison not built (songs_gmm not in the run)")
    assert set(comparison.index) == {"kmeans", "gmm"}
    assert comparison.stability.between(0, 1).all() and comparison.silhouette.between(-1, 1).all()
    rows = query(
        cases_db,
        """
        select case_name, usable_rows from segment_model_runs where is_current and case_name like 'songs%'
    """,
    )
    assert rows.usable_rows.nunique() == 1  # same tracks
