"""The production target (profiles.yml: prod): `dbt build` writes and tests in its own DuckDB file, then
publishes every mart in one commit to a DuckLake catalog that BI readers stay connected to. A reader is
never blocked and never sees two runs mixed; a build that fails or is killed publishes nothing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from project import PROJECT, connect, dbt_command, run_dbt
from published_reader import READ
from published_reader import connect as attach

RAW = PROJECT / "seeds" / "demo" / "raw_subscribers.csv"
READER = Path(__file__).with_name("published_reader.py")


def demo_build(**variables) -> list[str]:
    """The arguments of a `dbt build` of the demo alone with these vars (no unit tests)."""
    return ["build", "--exclude", "test_type:unit", "--vars", json.dumps({"segmentation_cases": ["demo"], **variables})]


def build(folder: Path, check: bool = True, **variables) -> subprocess.CompletedProcess:
    """A demo build on the prod target: build database <folder>/build.duckdb, published <folder>/published."""
    return run_dbt(demo_build(**variables), folder / "build.duckdb", check=check, published=folder / "published")


def export(folder: Path, name: str, change=None) -> str:
    """The demo subscribers, changed by `change` (a function of the frame), as a Parquet export."""
    frame = pd.read_csv(RAW, dtype=str, keep_default_na=False)
    path = folder / f"{name}.parquet"
    (change(frame) if change else frame).to_parquet(path, index=False)
    return str(path)


def published(folder: Path) -> dict:
    """What a BI reader sees now: the demo's model and customer count, and whether the marts agree."""
    con = attach(str(folder / "published.sqlite"))
    model_id, customers, consistent = con.execute(READ, {"case": "demo"}).fetchone()
    return {"model_id": model_id, "customers": customers, "consistent": consistent}


def after_refit(folder: Path) -> int:
    """The demo customers the build database scored last."""
    with connect(folder / "build.duckdb") as con:
        return con.sql("select count(*) from segment_assignments where case_name = 'demo'").fetchone()[0]


def fewer(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.iloc[100:]


def newcomers(frame: pd.DataFrame) -> pd.DataFrame:
    added = frame.iloc[:50].assign(subscriber_id=[f"N{i:06d}" for i in range(50)])
    return pd.concat([frame, added])


def test_readers_stay_connected_through_refreshes_and_see_one_run_at_a_time(tmp_path):
    build(tmp_path)
    first = published(tmp_path)
    assert first["consistent"] and first["customers"] > 9000

    stop, result = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(tmp_path / "published.sqlite"), "demo", str(stop), str(result)]
    )
    try:
        time.sleep(1)
        # A refit on an export with 100 fewer rows, then a nightly run with 50 newcomers.
        build(tmp_path, segmentation_refit=True, demo_subscribers_path=export(tmp_path, "fewer", fewer))
        refit = published(tmp_path)
        build(tmp_path, demo_subscribers_path=export(tmp_path, "newcomers", lambda frame: newcomers(fewer(frame))))
        nightly = published(tmp_path)
        # A refit whose audit fails (a segment-health test made an error): it fits a new version, publishes nothing.
        failed = build(
            tmp_path,
            check=False,
            segmentation_refit=True,
            segment_health={"severity": "error", "min_silhouette": 0.99},
            demo_subscribers_path=export(tmp_path, "all"),
        )
        time.sleep(1)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    seen = json.loads(result.read_text())

    assert published(tmp_path) == nightly  # BI keeps the last good refresh
    assert failed.returncode != 0 and "Not published" in failed.stdout
    with connect(tmp_path / "build.duckdb") as con:  # ... though the failed build's version is in the history
        versions = con.sql("select count(distinct model_id) from int_segment_model_history where case_name = 'demo'")
        assert versions.fetchone()[0] == 3
    assert refit["model_id"] != first["model_id"] and nightly["model_id"] == refit["model_id"]
    assert first["customers"] > refit["customers"] and nightly["customers"] > refit["customers"]
    print(f"reader: {seen['reads']} reads, {seen['connects']} new connections, states {seen['states']}")
    assert seen["errors"] == [] and seen["inconsistent"] == []
    assert seen["reads"] > 100 and seen["connects"] > 10
    assert [first["model_id"], first["customers"]] in seen["states"]
    assert [nightly["model_id"], nightly["customers"]] in seen["states"]


# Where a build is killed: the first console line of the node (or hook) during which kill -9 lands.
KILL_POINTS = {
    "features": r"START sql table model main\.int_demo__features ",
    "fit": r"START python incremental model main\.int_segment_model_history ",
    "scoring": r"START sql incremental model main\.int_segment_scores ",
    "publish": r"START hook: customer_segmentation\.on-run-end",
}


def killed_build(folder: Path, point: str, **variables) -> None:
    """A demo build on the prod target, killed (SIGKILL, the whole process group) at `point`."""
    command, env = dbt_command(demo_build(**variables), folder / "build.duckdb", folder / "published")
    process = subprocess.Popen(
        command,
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    for line in process.stdout:
        if re.search(KILL_POINTS[point], line):
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, f"the build ended before {point}"


def test_a_killed_or_empty_refresh_publishes_nothing(tmp_path):
    build(tmp_path)
    before = published(tmp_path)
    with connect(tmp_path / "build.duckdb") as con:
        history = con.sql("select distinct model_id from int_segment_model_history").df()
    refit = {"segmentation_refit": True, "demo_subscribers_path": export(tmp_path, "fewer", fewer)}

    # A build of some marts alone (--select) would leave the others of an earlier run beside them.
    partial = run_dbt(
        [*demo_build(**refit), "--select", "segment_summary"],
        tmp_path / "build.duckdb",
        published=tmp_path / "published",
    )
    assert published(tmp_path) == before
    assert "Not published: this build did not make every mart" in partial.stdout

    for point in ["features", "fit", "scoring"]:
        killed_build(tmp_path, point, **refit)
        assert published(tmp_path) == before, point

    empty = build(tmp_path, check=False, demo_subscribers_path=export(tmp_path, "empty", lambda frame: frame.iloc[:0]))
    assert published(tmp_path) == before
    assert empty.returncode != 0 and "Not published" in empty.stdout

    killed_build(tmp_path, "publish", **refit)  # the commit is atomic: the old refresh or the new one
    during = published(tmp_path)
    assert during["consistent"] and during["customers"] in (before["customers"], after_refit(tmp_path))

    build(tmp_path, **refit)
    after = published(tmp_path)
    assert after["consistent"] and after["customers"] == after_refit(tmp_path) != before["customers"]
    with connect(tmp_path / "build.duckdb") as con:  # no committed version was lost
        kept = con.sql("select distinct model_id from int_segment_model_history").df()
        leftovers = con.sql("select table_name from duckdb_tables() where table_name like '%dbt_tmp%'").df()
    assert set(history.model_id) <= set(kept.model_id)
    assert leftovers.empty


def test_published_marts_are_tables_with_descriptions_in_their_own_schema(tmp_path):
    build(tmp_path)
    con = attach(str(tmp_path / "published.sqlite"))
    tables = con.sql(
        "select schema_name, table_name, comment from duckdb_tables() where database_name = 'published'"
    ).df()
    assert set(tables.schema_name) == {"segments"}
    assert {"segment_assignments", "segment_summary", "segment_cases", "demo__segment_profile"} <= set(
        tables.table_name
    )
    assert tables.comment.notna().all()
    described = con.sql(
        "select count(*) filter (where comment is not null) from duckdb_columns() "
        "where database_name = 'published' and table_name = 'segment_assignments'"
    ).fetchone()[0]
    assert described == 8
    # A Parquet reader reads the files the catalog lists (relative paths start at the catalog's folder).
    files = con.sql("select data_file from ducklake_list_files('published', 'segment_cases', schema => 'segments')")
    paths = [str(PROJECT / path) for (path,) in files.fetchall()]
    assert paths and duckdb.read_parquet(paths).df().case_name.tolist() == ["demo"]
    with connect(tmp_path / "build.duckdb") as build_db:
        schemas = build_db.sql(
            "select distinct schema_name from duckdb_tables() where table_name like 'segment_%' "
            "union all select distinct schema_name from duckdb_views() where view_name like 'segment_%'"
        ).df()
    assert set(schemas.schema_name) == {"segments"}


def test_a_renamed_copy_of_the_build_still_reads_its_views(tmp_path):
    run_dbt(
        demo_build(),
        tmp_path / "segmentation.duckdb",
    )
    copy = tmp_path / "copied.duckdb"
    copy.write_bytes((tmp_path / "segmentation.duckdb").read_bytes())
    with connect(copy) as con:
        views = con.sql("select view_name, sql from duckdb_views() where not internal").df()
        assert not views.sql.str.contains('"segmentation"').any(), views
        assert con.sql("select count(*) from segment_assignments").fetchone()[0] > 9000
        assert con.sql("select count(*) from int_segment_fit_inputs").fetchone()[0] > 9000
