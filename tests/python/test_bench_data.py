"""The benchmark's next-day export changes what it says it changes, and nothing else."""

import sys

import duckdb

from project import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate_customers import generate, next_day_query, write_parquet  # noqa: E402

N = 40_000


def test_next_day_export_drops_changes_and_adds_a_few_subscribers(tmp_path):
    generate(N, tmp_path / "today")
    write_parquet(next_day_query(str(tmp_path / "today" / "*.parquet"), N), tmp_path / "next")
    con = duckdb.connect()
    con.execute(f"create view today as select * from read_parquet('{tmp_path}/today/*.parquet')")
    con.execute(f"create view next as select * from read_parquet('{tmp_path}/next/*.parquet')")
    ids = "select distinct subscriber_id from {}"
    gone = con.sql(f"select count(*) from ({ids.format('today')} except {ids.format('next')})").fetchone()[0]
    new = con.sql(f"select count(*) from next where subscriber_id > {N}").fetchone()[0]
    assert 0.001 * N < gone < 0.004 * N  # ~0.2 %
    assert 0.003 * N < new < 0.008 * N  # ~0.5 %
    # A new subscriber is an existing row under id N + its id: same values, unseen id.
    assert (
        con.sql(f"""
        select count(*) from next join today on next.subscriber_id = today.subscriber_id + {N}
        where next.age is not distinct from today.age and next.gender is not distinct from today.gender
    """).fetchone()[0]
        >= new
    )
    # Kept subscribers (ids exported once): only hours_per_week may differ, by exactly +5, for ~1 %.
    kept = con.sql("""
        select
            count(*) as kept,
            count(*) filter (where next.hours_per_week is distinct from today.hours_per_week) as changed,
            count(*) filter (where next.hours_per_week is distinct from today.hours_per_week
                and next.hours_per_week - today.hours_per_week not between 4.999 and 5.001) as odd,
            count(*) filter (where next.age is distinct from today.age or next.gender is distinct from today.gender
                or next.yearly_income is distinct from today.yearly_income
                or next.favourite_genre is distinct from today.favourite_genre) as other_changes
        from today join next using (subscriber_id)
        where subscriber_id in (select subscriber_id from today group by all having count(*) = 1)
    """).fetchone()
    assert kept[0] > 0.99 * N
    assert 0.005 * N < kept[1] < 0.015 * N
    assert kept[2] == 0 and kept[3] == 0
