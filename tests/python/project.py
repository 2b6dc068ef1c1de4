"""Helpers for tests that run dbt on the project and read the DuckDB file it builds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
DBT = Path(sys.executable).with_name("dbt")


def run_dbt(args: list[str], database: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Runs dbt in the project against `database`; returns the finished process (output captured)."""
    env = {**os.environ, "SEGMENTATION_DB": str(database)}
    done = subprocess.run(
        [str(DBT), *args, "--profiles-dir", "profiles"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if check and done.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}")
    return done


def vars_arg(**overrides) -> str:
    return json.dumps(overrides)


def query(database: Path, sql: str):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.sql(sql).df()
