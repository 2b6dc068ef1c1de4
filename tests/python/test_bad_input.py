"""Bad input in a demo export (issue #15): each hole is planted in an export of the bundled seed and
must be quarantined with a reason, warned about, or refused with one sentence that ends dbt's output."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from customer_segmentation import segment
from project import blank_fill_test, query, run_dbt, scratch_copy, segmentation_vars
from specs import make_spec
from test_demo_end_to_end import demo_db  # noqa: F401 - shared session fixture
from test_refresh import DEMO, build, raw

# id -> (changed columns, the quarantine reason it must get; None: usable)
PLANTED = {
    "S900001": ({"yearly_income": "50,000"}, "unparseable_yearly_income"),
    "S900002": ({"yearly_income": "$50k"}, "unparseable_yearly_income"),
    "S900003": ({"yearly_income": "abc"}, "unparseable_yearly_income"),
    "S900004": ({"age": "30.5"}, "fractional_age"),
    "S900005": ({"children": "1.6"}, "fractional_children"),
    "S900006": ({"gender": "Female\t"}, None),
    "S900007": ({"favourite_genre": "HIP-HOP"}, None),
    "S900008": ({"favourite_genre": "hip  hop"}, None),
    "S900009": ({"gender": "Non - Binary"}, None),
}
REASONS = "select quarantine_reason, count(*) as n from int_demo__features group by all order by all"


def dirty_export(folder: Path) -> Path:
    """The seed as text, plus a copy of its first (clean) row per planted hole."""
    data = raw()
    planted = [{**data.iloc[0].to_dict(), **changes, "subscriber_id": id_} for id_, (changes, _) in PLANTED.items()]
    path = folder / "subscribers.parquet"
    pd.concat([data, pd.DataFrame(planted)], ignore_index=True).to_parquet(path, index=False)
    return path


@pytest.fixture(scope="module")
def dirty_db(demo_db, tmp_path_factory) -> Path:  # noqa: F811
    database = scratch_copy(demo_db, tmp_path_factory.mktemp("dirty"))
    build(database, demo_subscribers_path=str(dirty_export(database.parent)))
    return database


def planted_features(database: Path) -> pd.DataFrame:
    ids = ", ".join(f"'{id_}'" for id_ in PLANTED)
    return query(database, f"select * from int_demo__features where subscriber_id in ({ids})").set_index(
        "subscriber_id"
    )


def last_error_line(stdout: str) -> str:
    """The last line dbt prints before its "Done." tally, without colours and timestamps."""
    lines = [
        re.sub(r"^\d\d:\d\d:\d\d\s+", "", line).strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", stdout).splitlines()
    ]
    return [line for line in lines if line and not line.startswith("Done.")][-1]


def test_a_number_that_does_not_parse_is_quarantined_not_filled(dirty_db):
    reasons = planted_features(dirty_db).quarantine_reason
    for id_ in ("S900001", "S900002", "S900003"):
        assert reasons[id_] == "unparseable_yearly_income", id_


def test_fractional_ages_and_children_are_quarantined_not_rounded(dirty_db):
    reasons = planted_features(dirty_db).quarantine_reason
    assert reasons["S900004"] == "fractional_age" and reasons["S900005"] == "fractional_children"


def test_tabs_hyphens_and_repeated_spaces_are_spacing(dirty_db):
    rows = planted_features(dirty_db)
    assert rows.loc[["S900006", "S900007", "S900008", "S900009"]].quarantine_reason.isna().all()
    assert rows.gender__female["S900006"] == 1 and rows.gender__non_binary["S900009"] == 1
    assert rows.favourite_genre__hip_hop["S900007"] == 1 and rows.favourite_genre__hip_hop["S900008"] == 1


def test_the_seed_rows_are_screened_as_before(demo_db, dirty_db):  # noqa: F811
    planted = pd.Series([reason for _, reason in PLANTED.values() if reason]).value_counts()
    after = query(dirty_db, REASONS).set_index("quarantine_reason", drop=False)
    before = query(demo_db, REASONS).set_index("quarantine_reason", drop=False)
    usable = len(PLANTED) - planted.sum()
    expected = before.n.add(planted, fill_value=0)
    expected[expected.index.isna()] += usable
    assert after.n.sort_index().tolist() == expected.sort_index().tolist()


def test_a_blank_fill_above_the_share_warns(demo_db, tmp_path):  # noqa: F811
    database = scratch_copy(demo_db, tmp_path)  # 287 of 10,012 seed incomes are blank: 2.9 %
    assert blank_fill_test(database, DEMO)["status"] == "pass"
    warned = blank_fill_test(database, DEMO, max_blank_fill_share=0.02)
    assert warned["status"] == "warn" and warned["failures"] == 1
    assert blank_fill_test(database, DEMO, max_blank_fill_share=0.02, severity="error")["status"] == "fail"


def test_a_csv_export_builds_like_the_seed(demo_db, tmp_path):  # noqa: F811
    database = scratch_copy(demo_db, tmp_path)
    path = tmp_path / "subscribers.csv"
    raw().to_csv(path, index=False)
    build(database, demo_subscribers_path=str(path))
    assert query(database, REASONS).equals(query(demo_db, REASONS))
    count = "select count(*) as n from segment_assignments where case_name = 'demo'"
    assert query(database, count).n[0] == query(demo_db, count).n[0]


def test_a_missing_export_is_one_sentence(demo_db, tmp_path):  # noqa: F811
    path = tmp_path / "nowhere.parquet"
    done = build(scratch_copy(demo_db, tmp_path), check=False, demo_subscribers_path=str(path))
    assert done.returncode != 0
    assert last_error_line(done.stdout) == f"demo_subscribers_path: no file '{path}'."


def test_a_renamed_column_is_one_sentence(demo_db, tmp_path):  # noqa: F811
    path = tmp_path / "subscribers.parquet"
    raw().rename(columns={"yearly_income": "income"}).to_parquet(path, index=False)
    done = build(scratch_copy(demo_db, tmp_path), check=False, demo_subscribers_path=str(path))
    assert done.returncode != 0
    assert last_error_line(done.stdout).startswith(f"demo_subscribers_path: '{path}' has no column 'yearly_income'")


def test_a_fixed_k_needs_only_k_usable_rows():
    names = ["a", "b"]
    spec = make_spec(case="t", id_column="id", features=tuple(names), k=2)  # k_max keeps its default, 10
    result = segment(np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0]]), names, spec)
    assert sorted(np.unique(result.labels, return_counts=True)[1]) == [1, 2]


def misspelt_k_max() -> dict:
    cases = copy.deepcopy(segmentation_vars())
    cases["demo"]["k_mx"] = 3
    return {"segmentation": cases}


@pytest.mark.parametrize(
    ("variables", "sentence"),
    [
        (  # refused by the engine's fit
            {"segmentation_defaults": {"k": 20000, "k_max": 20000}},
            "case 'demo': silhouette_sample_size must be at least 20001, got 5000",
        ),
        (  # refused by the settings check
            misspelt_k_max(),
            "case 'demo': unknown setting 'k_mx' in vars.segmentation.demo; did you mean 'k_max'? "
            "(settings are listed in the README).",
        ),
    ],
)
def test_a_problem_is_the_last_line_of_the_output(demo_db, tmp_path, variables, sentence):  # noqa: F811
    done = build(scratch_copy(demo_db, tmp_path), check=False, **variables)
    assert done.returncode != 0 and last_error_line(done.stdout) == sentence


def test_the_default_build_takes_whole_number_ids(demo_db, tmp_path):  # noqa: F811
    database = scratch_copy(demo_db, tmp_path)
    data = raw()
    data["subscriber_id"] = pd.array([int(t[1:]) if t.strip() else None for t in data.subscriber_id], dtype="Int64")
    path = tmp_path / "subscribers.parquet"
    data.to_parquet(path, index=False)
    run_dbt(["build", "--vars", json.dumps({**DEMO, "demo_subscribers_path": str(path)})], database)  # unit tests too


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_header_only_export_is_one_sentence(demo_db, tmp_path, suffix):  # noqa: F811
    path = tmp_path / f"subscribers.{suffix}"
    empty = raw().head(0)
    empty.to_csv(path, index=False) if suffix == "csv" else empty.to_parquet(path, index=False)
    done = run_dbt(
        ["build", "--vars", json.dumps({**DEMO, "demo_subscribers_path": str(path)})],
        scratch_copy(demo_db, tmp_path),
        check=False,
    )
    assert done.returncode != 0
    assert last_error_line(done.stdout) == f"demo_subscribers_path: '{path}' has no rows."


def sql_shaped_range() -> dict:
    cases = copy.deepcopy(segmentation_vars())
    cases["demo"]["valid_ranges"]["age"] = [18, "100) or (1 = 1"]
    return {"segmentation": cases}


@pytest.mark.parametrize(
    ("variables", "sentence"),
    [
        (
            {"segment_health": {"max_segment_churn": "0.2) or (1 = 1"}},
            'vars.segment_health.max_segment_churn must be a number, got "0.2) or (1 = 1".',
        ),
        (
            sql_shaped_range(),
            'the valid range maximum of age must be a number, got "100) or (1 = 1".',
        ),
    ],
)
def test_numbers_from_vars_never_reach_sql_as_text(tmp_path, variables, sentence):
    done = run_dbt(["parse", "--vars", json.dumps({**DEMO, **variables})], tmp_path / "parse.duckdb", check=False)
    assert done.returncode != 0 and sentence in done.stdout, done.stdout[-2000:]
