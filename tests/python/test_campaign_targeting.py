"""The campaign's suppress and push lists (campaign__segment_targeting, campaign__targeting_summary): the
SQL bootstrap of the lift (seg_lift_intervals) against the same weights recomputed here from DuckDB's
hash, against a plain numpy bootstrap, across rebuilds; the labels against their rule; the summary
against a direct count; and the settings' error sentences."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from project import SHARED_DATA, query, reuse_or_build, run_dbt, scratch_copy, segmentation_vars

CAMPAIGN_VARS = {"segmentation_cases": ["campaign"]}
TARGETING_MODELS = ["campaign__segment_targeting", "campaign__targeting_summary"]
# The numpy comparison runs both bootstraps with this many replicates: at the mart's 1,000 the Monte-Carlo
# error of a 2.5 % point (~0.12 sd of the lift for the difference of two runs) would hide a 90 % interval
# (its ends lie 0.32 sd inside); at 20,000 it is 0.027 sd.
COMPARISON_REPLICATES = 20_000


def targeting_settings() -> dict:
    return segmentation_vars()["campaign"]["custom"]["targeting"]


def has_targeting(database: Path) -> bool:
    built = query(
        database,
        """
        select
            (select count(lift_low) from campaign__segment_targeting) as intervals,
            (select count(*) from campaign__targeting_summary) as summaries
    """,
    ).iloc[0]
    return bool(built.intervals > 0 and built.summaries == 1)


@pytest.fixture(scope="module")
def campaign_db(tmp_path_factory) -> Path:
    """The database the test command built, else a fresh build of the campaign case."""
    csv = SHARED_DATA / "marketing_campaign.csv"
    if not csv.exists():
        pytest.skip(f"shared data not found: {csv}")
    return reuse_or_build(tmp_path_factory, "campaign", has_targeting, ["build", "--vars", json.dumps(CAMPAIGN_VARS)])


def with_targeting(**settings) -> str:
    """--vars building the campaign case with these targeting settings (the rest as in dbt_project.yml)."""
    cases = copy.deepcopy(segmentation_vars())
    cases["campaign"]["custom"]["targeting"].update(settings)
    return json.dumps({**CAMPAIGN_VARS, "segmentation": cases})


def rebuild_targeting(database: Path, folder: Path, variables: str) -> Path:
    """A copy of `database` whose targeting marts are rebuilt with `variables`."""
    copy_path = scratch_copy(database, folder)
    run_dbt(["run", "--select", *TARGETING_MODELS, "--vars", variables], copy_path)
    return copy_path


@pytest.fixture(scope="module")
def wide(campaign_db, tmp_path_factory) -> tuple[Path, dict]:
    """The targeting marts rebuilt with COMPARISON_REPLICATES replicates and thresholds just inside the
    outermost intervals, so some segment is suppressed and one pushed at any k (settings to exercise the
    labels, not a recommendation); the database and its targeting settings."""
    marts = query(campaign_db, "select lift_low, lift_high from campaign__segment_targeting")
    settings = {
        **targeting_settings(),
        "bootstrap_replicates": COMPARISON_REPLICATES,
        "suppress_below_lift": round(float(marts.lift_high.min()) + 0.05, 3),
        "push_above_lift": round(float(marts.lift_low.max()) - 0.05, 3),
    }
    assert settings["suppress_below_lift"] < settings["push_above_lift"]
    return rebuild_targeting(campaign_db, tmp_path_factory.mktemp("wide"), with_targeting(**settings)), settings


@pytest.fixture(scope="module")
def straddling(campaign_db, tmp_path_factory) -> tuple[Path, dict]:
    """The targeting marts rebuilt with thresholds inside the intervals of the lowest and the highest
    segment - between the point lift and the far end - so a label from the point lift or from the wrong
    end of the interval differs from the right one; the database and its targeting settings."""
    marts = query(campaign_db, "select lift, lift_low, lift_high from campaign__segment_targeting order by lift")
    lowest, highest = marts.iloc[0], marts.iloc[-1]
    settings = {
        **targeting_settings(),
        "suppress_below_lift": round(float(lowest.lift + lowest.lift_high) / 2, 3),
        "push_above_lift": round(float(highest.lift_low + highest.lift) / 2, 3),
    }
    assert settings["suppress_below_lift"] < settings["push_above_lift"]
    return rebuild_targeting(campaign_db, tmp_path_factory.mktemp("straddling"), with_targeting(**settings)), settings


def members(database: Path) -> pd.DataFrame:
    """(customer_id, segment_id, response) of the usable, assigned campaign customers, by customer_id."""
    return query(
        database,
        """
        select assignments.customer_id, assignments.segment_id, cast(features.response as integer) as response
        from int_campaign__features as features
        inner join segment_assignments as assignments
            on assignments.case_name = 'campaign' and cast(features.customer_id as varchar) = assignments.customer_id
        where features.quarantine_reason is null
        order by assignments.customer_id
    """,
    )


def interval_marts(database: Path) -> pd.DataFrame:
    return query(database, "select * from campaign__segment_targeting order by segment_id").set_index("segment_id")


def replicate_lifts(customers: np.ndarray, responders: np.ndarray) -> np.ndarray:
    """Lift of every segment in every replicate from its drawn customers and responders (replicate x
    segment): the segment's rate over the replicate's overall rate, both from the same draw; nan where
    the segment drew no customer."""
    overall = responders.sum(axis=1) / customers.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return responders / customers / overall[:, None]


def percentile_interval(lifts: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) per column: the (1 -/+ confidence) / 2 quantiles, linear interpolation, nans left out."""
    low, high = np.nanquantile(lifts, [(1 - confidence) / 2, (1 + confidence) / 2], axis=0)
    return low, high


# --- the SQL bootstrap, exactly --------------------------------------------------------------------


def poisson_thresholds() -> np.ndarray:
    """ceil(Poisson(1) cdf(w) * 2^53), w = 0..15, as seg_lift_intervals writes them. (An exact cdf
    could differ from this float sum by one unit of 2^-53 at a few w: a draw landing there has
    probability ~1e-16, so this is no loss of independence.)"""
    p, cdf, thresholds = math.exp(-1), 0.0, []
    for w in range(16):
        p = p / w if w else p
        cdf += p
        thresholds.append(math.ceil(cdf * 2**53))
    return np.array(thresholds, dtype=np.uint64)


def test_intervals_are_the_percentiles_of_the_hash_weights(campaign_db):
    """The weights recomputed from DuckDB's hash values with the documented formula reproduce the mart's
    intervals to rounding: the same resampling, both rates recomputed, the same quantiles."""
    settings = targeting_settings()
    replicates, seed, confidence = settings["bootstrap_replicates"], settings["random_state"], settings["confidence"]
    rows = members(campaign_db)
    hashes = query(
        campaign_db,
        f"""
        select hash(cast(customer_id as varchar), cast(replicate as bigint), cast({int(seed)} as bigint)) as h
        from (select customer_id from segment_assignments where case_name = 'campaign')
        cross join range(1, {int(replicates)} + 1) as draws (replicate)
        order by customer_id, replicate
    """,
    ).h.to_numpy(np.uint64)
    uniform = (hashes >> np.uint64(11)).reshape(len(rows), replicates)  # top 53 bits
    weights = np.searchsorted(poisson_thresholds(), uniform, side="right")  # smallest w with u < threshold(w)
    assert abs(weights.mean() - 1) < 0.01 and abs(weights.var() - 1) < 0.01  # Poisson(1)

    segments = np.sort(rows.segment_id.unique())
    in_segment = (rows.segment_id.to_numpy()[:, None] == segments).astype(np.int64)
    responded = rows.response.to_numpy()[:, None] * in_segment
    lifts = replicate_lifts(weights.T @ in_segment, weights.T @ responded)
    low, high = percentile_interval(lifts, confidence)

    mart = interval_marts(campaign_db)
    assert mart.index.tolist() == segments.tolist()
    np.testing.assert_allclose(mart.lift_low, low, rtol=1e-12)
    np.testing.assert_allclose(mart.lift_high, high, rtol=1e-12)
    np.testing.assert_array_equal(mart.lift_replicates, (~np.isnan(lifts)).sum(axis=0))


def test_the_same_seed_gives_the_same_intervals(campaign_db, tmp_path):
    columns = "segment_id, lift_low, lift_high, lift_replicates, targeting_action, action_rule"
    before = query(campaign_db, f"select {columns} from campaign__segment_targeting order by segment_id")
    rebuilt = rebuild_targeting(campaign_db, tmp_path, json.dumps(CAMPAIGN_VARS))
    after = query(rebuilt, f"select {columns} from campaign__segment_targeting order by segment_id")
    pd.testing.assert_frame_equal(before, after)  # exactly: integer weights, integer sums
    summary = "select * from campaign__targeting_summary"
    pd.testing.assert_frame_equal(query(campaign_db, summary), query(rebuilt, summary))


# --- the SQL bootstrap against a plain one -----------------------------------------------------------


def plain_bootstrap(rows: pd.DataFrame, segments: np.ndarray, replicates: int, seed: int):
    """The textbook bootstrap: `replicates` resamples of the customers (n rows drawn with replacement);
    the customers and responders each segment drew in each (replicate x segment)."""
    rng = np.random.default_rng(seed)
    n, k = len(rows), len(segments)
    codes = np.searchsorted(segments, rows.segment_id.to_numpy())
    responses = rows.response.to_numpy().astype(float)
    customers, responders = np.zeros((replicates, k)), np.zeros((replicates, k))
    for start in range(0, replicates, 500):
        size = min(500, replicates - start)
        drawn = rng.integers(0, n, size=(size, n))
        cells = (codes[drawn] + k * np.arange(size)[:, None]).ravel()  # (replicate, segment) of each draw
        customers[start : start + size] = np.bincount(cells, minlength=size * k).reshape(size, k)
        responders[start : start + size] = np.bincount(
            cells, weights=responses[drawn].ravel(), minlength=size * k
        ).reshape(size, k)
    return customers, responders


def test_intervals_agree_with_a_plain_bootstrap(wide):
    """Both bootstraps at COMPARISON_REPLICATES: the ends agree within 4 standard errors of the difference
    of two independent percentile estimates, se = sqrt(2 q (1 - q) / B) / f, with the density f at the
    2.5 % point from a normal fit to the replicates (f = phi(1.96) / sd). Measured at k = 2, 4, 5, 6 with
    three numpy seeds: |diff| <= 2.1 se. The intervals of wrong formulas lie further out (the farthest end
    over the segments): the overall rate not resampled (a fixed denominator) 9.4-41 se, a 90 % interval
    12-14 se - asserted here, so the tolerance keeps its power at any k. A normal approximation (lift
    +- 1.96 sd) is 0.4-5 se away, too close to tell apart by Monte Carlo; the exact test above pins the
    percentiles."""
    database, settings = wide
    confidence = settings["confidence"]
    rows = members(database)
    mart = interval_marts(database)
    segments = mart.index.to_numpy()
    customers, responders = plain_bootstrap(rows, segments, COMPARISON_REPLICATES, settings["random_state"])
    lifts = replicate_lifts(customers, responders)
    low, high = percentile_interval(lifts, confidence)
    q = (1 - confidence) / 2
    density = NormalDist().pdf(NormalDist().inv_cdf(q)) / np.nanstd(lifts, axis=0)
    tolerance = 4 * np.sqrt(2 * q * (1 - q) / COMPARISON_REPLICATES) / density
    np.testing.assert_array_less(np.abs(mart.lift_low.to_numpy() - low), tolerance)
    np.testing.assert_array_less(np.abs(mart.lift_high.to_numpy() - high), tolerance)

    def caught(other: tuple[np.ndarray, np.ndarray]) -> bool:
        return bool((np.abs(other[0] - low) > tolerance).any() or (np.abs(other[1] - high) > tolerance).any())

    with np.errstate(invalid="ignore", divide="ignore"):
        fixed_denominator = responders / customers / rows.response.mean()
    assert caught(percentile_interval(fixed_denominator, confidence))
    assert caught(percentile_interval(lifts, 0.90))


# --- labels and summary -------------------------------------------------------------------------


def labels_follow_the_rule(database: Path, suppress_below: float, push_above: float) -> pd.DataFrame:
    mart = interval_marts(database)
    expected = np.where(
        mart.lift_high < suppress_below, "suppress", np.where(mart.lift_low > push_above, "push", "neutral")
    )
    assert mart.targeting_action.tolist() == expected.tolist()
    assert (
        mart.action_rule.str.contains(f"lies below {suppress_below:g} (lift_high < {suppress_below:g})", regex=False)
    ).all()
    assert (mart.action_rule.str.contains(f"lies above {push_above:g} (lift_low > {push_above:g})", regex=False)).all()
    return mart


def summary_is_a_direct_count(database: Path, mart: pd.DataFrame, settings: dict) -> pd.Series:
    rows = members(database).merge(mart.targeting_action.reset_index(), on="segment_id")
    summary = query(database, "select * from campaign__targeting_summary")
    assert len(summary) == 1
    summary = summary.iloc[0]
    assert summary.segments == len(mart) and summary.customers == len(rows)
    assert summary.responders == rows.response.sum()
    for action, label in {"suppress": "suppressed", "push": "pushed"}.items():
        chosen = rows[rows.targeting_action == action]
        assert summary[f"segments_{label}"] == chosen.segment_id.nunique()
        assert summary[f"customers_{label}"] == len(chosen)
        assert summary[f"responders_{label}"] == chosen.response.sum()
        assert summary[f"{label}_customer_share"] == pytest.approx(len(chosen) / len(rows))
        assert summary[f"{label}_responder_share"] == pytest.approx(chosen.response.sum() / rows.response.sum())
    level = f"{settings['confidence'] * 100:g}%"
    if summary.segments_suppressed + summary.segments_pushed == 0:
        assert summary.summary_text == (
            f"no segment's {level} lift interval lies below {settings['suppress_below_lift']:g} or above "
            f"{settings['push_above_lift']:g} at k = {len(mart)}; every segment is neutral"
        )
    else:
        assert summary.summary_text.startswith(f"at k = {len(mart)}: ")
    return summary


def test_labels_and_summary_with_the_project_thresholds(campaign_db):
    settings = targeting_settings()
    mart = labels_follow_the_rule(campaign_db, settings["suppress_below_lift"], settings["push_above_lift"])
    summary_is_a_direct_count(campaign_db, mart, settings)


def test_labels_and_summary_when_segments_clear_the_thresholds(wide):
    database, settings = wide
    mart = labels_follow_the_rule(database, settings["suppress_below_lift"], settings["push_above_lift"])
    assert {"suppress", "push"} <= set(mart.targeting_action)
    summary = summary_is_a_direct_count(database, mart, settings)
    lists = [("suppress", "suppressed", "below", "suppress_below_lift"), ("push", "pushed", "above", "push_above_lift")]
    for action, label, side, threshold in lists:
        n = summary[f"segments_{label}"]
        assert (
            f"{action} {n} segment{'' if n == 1 else 's'} whose 95% lift interval lies {side} "
            f"{settings[threshold]:g} ({summary[f'customers_{label}']} customers, "
            f"{100 * summary[f'{label}_customer_share']:.1f}% of all, "
            f"holding {100 * summary[f'{label}_responder_share']:.1f}% of responders)"
        ) in summary.summary_text


def test_labels_and_summary_when_intervals_straddle_the_thresholds(straddling):
    database, settings = straddling
    mart = labels_follow_the_rule(database, settings["suppress_below_lift"], settings["push_above_lift"])
    by_lift = mart.sort_values("lift")
    assert by_lift.targeting_action.iloc[[0, -1]].tolist() == ["neutral", "neutral"]
    summary_is_a_direct_count(database, mart, settings)


# --- settings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "value", "sentence"),
    [
        (
            "confidence",
            1.5,
            ".targeting.confidence must lie strictly between 0 and 1 (0.95 for a 95% interval), got 1.5.",
        ),
        ("bootstrap_replicates", 50, ".targeting.bootstrap_replicates must be a whole number of at least 100"),
        ("random_state", "x", '.targeting.random_state must be a number, got "x".'),
        ("push_above_lift", 0.4, "suppress_below <= push_above, got 0.5 and 0.4."),
    ],
)
def test_nonsense_settings_stop_the_build_with_a_sentence(tmp_path, setting, value, sentence):
    done = run_dbt(
        ["run", "--select", "campaign__segment_targeting", "--vars", with_targeting(**{setting: value})],
        tmp_path / "none.duckdb",
        check=False,
    )
    assert done.returncode != 0
    assert sentence in done.stdout, done.stdout[-3000:]
