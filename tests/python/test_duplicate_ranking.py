"""seg_ranked_rows ranks only repeated ids, and must agree with one row_number() window over every row."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from sql_macros import macro

ranked_rows = macro("features/seg_duplicates.sql", "default__seg_ranked_rows")
ORDER_BY = ["score desc nulls last", "label asc nulls last"]
FAILURE = "case when label = 'c' then 'bad_label' end"


def rows(seed: int, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, n // 2, n).astype(float)  # about half the ids repeat
    ids[rng.random(n) < 0.05] = np.nan  # missing ids are never duplicates of each other
    return pd.DataFrame(
        {
            "id": pd.array(ids, dtype="Int64"),
            "score": rng.integers(-3, 6, n),
            "label": rng.choice(["a", "b", "c"], n),
            "position": np.arange(n),  # only to line rows up; no tie-breaker uses it
        }
    )


def ranked(con, relation: str) -> pd.DataFrame:
    sql = ranked_rows(relation, "id", ORDER_BY, FAILURE)
    return con.execute(sql).df().sort_values("position", ignore_index=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ranks_match_a_window_over_every_row(seed):
    con = duckdb.connect()
    con.register("customers", rows(seed))
    got = ranked(con, "customers")
    expected = con.execute(f"""
        select *, {FAILURE} as value_failure,
            row_number() over (partition by id order by {FAILURE} is null desc, {", ".join(ORDER_BY)}) as duplicate_rank
        from customers order by position
    """).df()
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)  # every row once, repeated ids and missing ids included
    assert got.value_failure.equals(expected.value_failure)
    keyed = got.id.notna()
    # Rows tying on every tie-breaker may swap ranks; the kept row's values and the rank multiset may not.
    kept = ["id", "score", "label", "value_failure"]
    assert (
        got[keyed & (got.duplicate_rank == 1)][kept]
        .sort_values(kept)
        .reset_index(drop=True)
        .equals(expected[keyed & (expected.duplicate_rank == 1)][kept].sort_values(kept).reset_index(drop=True))
    )
    assert sorted(got[keyed].duplicate_rank) == sorted(expected[keyed].duplicate_rank)
    assert (got[~keyed].duplicate_rank == 1).all()


def test_a_row_passing_the_value_checks_beats_a_better_tie_breaker():
    con = duckdb.connect()
    con.register(
        "customers",
        pd.DataFrame(
            {
                "id": [7, 7, 8],
                "score": [5, 1, 5],
                "label": ["c", "a", "c"],
                "position": [0, 1, 2],
            }
        ),
    )
    got = ranked(con, "customers")
    assert got.duplicate_rank.tolist() == [2, 1, 1]
    assert got.value_failure.tolist() == ["bad_label", None, "bad_label"]
