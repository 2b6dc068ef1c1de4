"""Course-platform case on real data (../shared/data/course_platform_customers.csv).

The course cases are built once per module: the test command's database (env SEGMENTATION_DB)
is reused when it already holds them, else they are built into a temporary DuckDB file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from project import SHARED_DATA, query, reuse_or_build, run_dbt, segmentation_vars, vars_arg

CSV = SHARED_DATA / "course_platform_customers.csv"
CASES = ["course", "course_published"]
N_CUSTOMERS = 3834
PUBLISHED_WCSS = 22653.658
# Profile columns of the marts, in the order of the published table's columns.
COLUMNS = [
    "minutes_watched", "clv", "region",
    "region__anglo_saxon", "region__western_europe", "region__rest_of_world",
    "channel__google", "channel__facebook", "channel__youtube", "channel__linkedin",
    "channel__twitter", "channel__instagram", "channel__friend", "channel__other",
]  # fmt: skip
# The published table (../shared/data/README.md): the reference. Keyed by name; N is the last
# but one value, share the last.
PUBLISHED = {
    "Instagram Explorers":
        [1299.33, 115.18, 1.19, 0.31, 0.19, 0.50, 0, 0, 0, 0, 0, 1, 0, 0, 289, 0.08],
    "LinkedIn Networkers":
        [1801.27, 91.12, 2.00, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 391, 0.10],
    "Friends' Influence":
        [2018.97, 109.12, 1.42, 0.29, 0, 0.71, 0, 0, 0, 0, 0, 0, 1, 0, 424, 0.11],
    "Google-YouTube Mix":
        [2326.89, 103.94, 2.00, 0, 0, 1, 0.35, 0, 0.54, 0, 0, 0, 0, 0.11, 939, 0.24],
    "Anglo-Saxon Multi-Channel":
        [1539.15, 136.33, 0.00, 1, 0, 0, 0.25, 0, 0.43, 0.18, 0, 0, 0, 0.14, 1055, 0.28],
    "European Multi-Channel":
        [1874.75, 157.92, 1.00, 0, 1, 0, 0.22, 0, 0.34, 0.19, 0, 0, 0.15, 0.11, 372, 0.10],
    "Twitter Devotees":
        [985.33, 93.15, 1.60, 0.17, 0.05, 0.78, 0, 0, 0, 0, 1, 0, 0, 0, 58, 0.02],
    "Facebook Followers":
        [2767.64, 108.26, 1.32, 0.29, 0.10, 0.61, 0, 1, 0, 0, 0, 0, 0, 0, 306, 0.08],
}  # fmt: skip


def has_course_tables(database: Path) -> bool:
    runs = query(database, "select distinct case_name from segment_model_runs").case_name.tolist()
    query(database, "select 1 from course__segment_profile, course_published__segment_profile limit 1")
    return all(case in runs for case in CASES)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The database the test command built, if it holds the course cases; else a fresh build."""
    if not CSV.exists():
        pytest.skip(f"{CSV} not found")
    build_args = ["build", "--vars", vars_arg(segmentation_cases=CASES)]  # the demo left out
    return reuse_or_build(tmp_path_factory, "course", has_course_tables, build_args)


def course_spec() -> dict:
    return segmentation_vars()["course"]


def profile(db: Path, case: str) -> pd.DataFrame:
    return query(db, f"select * from {case}__segment_profile order by segment_id")


def test_course_case_reaches_the_published_wcss(db):
    runs = query(db, "select * from segment_model_runs where case_name = 'course' and is_current")
    assert len(runs) == 1
    current = runs.iloc[0]
    print(f"course WCSS = {current.inertia:.3f} (published {PUBLISHED_WCSS})")
    assert current.algorithm == "kmeans" and current.k == 8
    assert current.inertia <= PUBLISHED_WCSS + 0.002


def test_course_published_reproduces_the_published_wcss(db):
    runs = query(db, "select inertia from segment_model_runs where case_name = 'course_published' and is_current")
    assert runs.inertia.tolist() == [pytest.approx(PUBLISHED_WCSS, abs=1e-3)]


def test_course_published_reproduces_the_published_table(db):
    ours = profile(db, "course_published")
    published = {row[-2]: (name, row) for name, row in PUBLISHED.items()}  # sizes are distinct
    assert sorted(ours.customers) == sorted(published)
    for _, segment in ours.iterrows():
        name, row = published[segment.customers]
        values = segment[COLUMNS + ["share"]].to_numpy(float)
        expected = np.array(row[:-2] + row[-1:], dtype=float)
        # "equal at 2 decimals": within half a unit of the published rounding
        off = np.abs(values - expected) > 0.005 + 1e-9
        wrong = {column: value for column, value, bad in zip(COLUMNS + ["share"], values, off, strict=True) if bad}
        assert not wrong, f"{name}: {wrong}"


def test_course_names_carry_the_defining_traits(db):
    labels = course_spec()["feature_labels"]
    ours = profile(db, "course")
    assert ours.segment_name.is_unique
    for _, segment in ours.iterrows():
        # a trait every customer of the segment shares: one channel, or one region
        defining = [c for c in COLUMNS if "__" in c and segment[c] >= 0.99]
        assert defining, f"segment {segment.segment_id} has no defining channel or region"
        for column in defining:
            assert labels[column] in segment.segment_name, (segment.segment_name, column)
    names = " | ".join(ours.segment_name)
    for trait in ["Instagram", "LinkedIn", "Facebook", "Twitter", "Anglo-Saxon", "Western Europe"]:
        assert trait in names


def test_course_published_names_match_the_published_segments(db):
    ours = profile(db, "course_published").set_index("customers").segment_name
    for size, trait in [
        (289, "Instagram"),
        (391, "LinkedIn"),
        (424, "Friend"),
        (306, "Facebook"),
        (58, "Twitter"),
        (1055, "Anglo-Saxon"),
        (372, "Western Europe"),
        (939, "YouTube"),
    ]:
        assert trait in ours[size], (size, ours[size])


def test_every_customer_is_accounted_for(db):
    staged = query(db, "select * from stg_course__customers order by customer_id")
    features = query(db, "select * from int_course__features order by customer_id")
    assert len(staged) == len(features) == N_CUSTOMERS
    assert staged.customer_id.tolist() == list(range(1, N_CUSTOMERS + 1))
    assert features.customer_id.tolist() == staged.customer_id.tolist()
    # row order is the identity: customer 1 is the file's first data row, customer 3834 its last
    first, last = staged.iloc[0], staged.iloc[-1]
    assert (first.minutes_watched, first.clv, first.region, first.channel) == (3197, 205.42, 2, 4)
    assert np.isnan(last.minutes_watched) and (last.clv, last.region, last.channel) == (79, 0, 3)
    assert features.iloc[-1].minutes_watched == 0 and features.iloc[-1].minutes_watched_was_blank == 1
    assert features.minutes_watched_was_blank.sum() == 109
    assert features.quarantine_reason.isna().all()  # the real file is clean
    raw = pd.read_csv(CSV)
    np.testing.assert_array_equal(staged.clv.to_numpy(), raw.CLV.to_numpy())
    np.testing.assert_array_equal(staged.channel.to_numpy(), raw.channel.to_numpy())
    for case in CASES:
        assigned = query(db, f"select count(*) as n from segment_assignments where case_name = '{case}'").n[0]
        quarantined = query(db, f"select count(*) as n from segment_quarantine where case_name = '{case}'").n[0]
        assert assigned + quarantined == N_CUSTOMERS
        summary = query(db, f"select customers from segment_summary where case_name = '{case}'")
        assert summary.customers.sum() == N_CUSTOMERS and len(summary) == 8


def test_feature_correlations_match_pandas(db):
    ours = query(db, "select * from segment_feature_correlations where case_name = 'course'")
    assert len(ours) == len(COLUMNS) ** 2
    features = query(db, "select * from int_course__features where quarantine_reason is null")
    expected = features[COLUMNS].astype(float).corr()
    for row in ours.itertuples():
        assert row.correlation == pytest.approx(expected.loc[row.feature_a, row.feature_b], abs=1e-9)
    assert (ours.n_rows == N_CUSTOMERS).all()


def test_ward_merges_describe_the_top_of_the_tree(db):
    merges = query(db, "select * from segment_ward_merges where case_name = 'course' and is_current order by step")
    assert 0 < len(merges) <= 50
    assert merges.height.is_monotonic_increasing  # Ward merge heights never decrease
    assert merges.clusters_after.tolist() == list(range(len(merges), 0, -1))
    assert merges["size"].iloc[-1] == N_CUSTOMERS  # the last merge joins every sampled row


def test_a_run_without_the_demo_builds(tmp_path):
    """The bundled demo is a case like any other: leaving it out of the run leaves nothing failing."""
    if not CSV.exists():
        pytest.skip(f"{CSV} not found")
    database = tmp_path / "course_only.duckdb"
    done = run_dbt(["build", "--vars", vars_arg(segmentation_cases=["course"])], database)
    assert "ERROR=0" in done.stdout and "SKIP=0" in done.stdout
    cases = query(database, "select case_name, status from segment_cases")
    assert cases.to_dict("records") == [{"case_name": "course", "status": "segmented"}]
    assert query(database, "select distinct case_name from segment_assignments").case_name.tolist() == ["course"]
