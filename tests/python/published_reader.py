"""A BI reader of the published marts, run as its own process while refreshes run: it stays connected to
the DuckLake catalog and reads in a loop (and every tenth read also opens a new connection) until the
stop file appears, then writes what it saw as JSON.

    python published_reader.py <catalog.sqlite> <case> <stop file> <result.json>

Each read is one query, so one snapshot of the catalog: it checks that the marts agree with each other
(one model everywhere, the same customer count, shares summing to 1)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

READ = """
with
assignments as (
    select count(*) as customers, count(distinct model_id) as models, min(model_id) as model_id
    from published.segments.segment_assignments where case_name = $case
),
summary as (
    select sum(customers) as customers, sum(share) as share, count(distinct model_id) as models,
        min(model_id) as model_id
    from published.segments.segment_summary where case_name = $case
),
profiles as (
    select sum(customers) as customers, count(distinct model_id) as models, min(model_id) as model_id
    from (select distinct model_id, segment_id, customers from published.segments.segment_profiles
          where case_name = $case)
),
memberships as (
    select count(*) as customers from published.segments.segment_membership_history
    where case_name = $case and valid_to is null
),
runs as (
    select min(model_id) as model_id, count(*) as current_models from published.segments.segment_model_runs
    where case_name = $case and is_current
),
cases as (
    select min(model_id) as model_id from published.segments.segment_cases where case_name = $case
)
select
    assignments.model_id,
    assignments.customers,
    assignments.models = 1 and summary.models = 1 and profiles.models = 1 and runs.current_models = 1
    and summary.model_id = assignments.model_id and profiles.model_id = assignments.model_id
    and runs.model_id = assignments.model_id and cases.model_id = assignments.model_id
    and summary.customers = assignments.customers and profiles.customers = assignments.customers
    and memberships.customers = assignments.customers
    and abs(summary.share - 1) < 1e-9 as consistent
from assignments, summary, profiles, memberships, runs, cases
"""


def connect(catalog: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    quoted = str(catalog).replace("'", "''")  # the path as a SQL string literal
    con.execute(f"attach 'ducklake:sqlite:{quoted}' as published (read_only)")
    return con


def main(catalog: str, case: str, stop_file: str, result_file: str) -> None:
    seen = {"reads": 0, "errors": [], "inconsistent": [], "connects": 0, "states": []}
    con = connect(catalog)
    while not Path(stop_file).exists():
        try:
            if seen["reads"] % 10 == 9:
                connect(catalog).execute(READ, {"case": case}).fetchone()
                seen["connects"] += 1
            model_id, customers, consistent = con.execute(READ, {"case": case}).fetchone()
            seen["reads"] += 1
            state = [model_id, customers]
            if state not in seen["states"]:
                seen["states"].append(state)
            if not consistent:
                seen["inconsistent"].append(state)
        except duckdb.Error as error:
            seen["errors"].append(str(error))
        time.sleep(0.01)
    Path(result_file).write_text(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:])
