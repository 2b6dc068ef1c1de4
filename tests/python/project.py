"""Helpers for tests that run dbt on the project and read the DuckDB file it builds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
DBT = Path(sys.executable).with_name("dbt")
# The variants of campaign__response_model_results, in order (customer_segmentation.response_model).
RESPONSE_VARIANTS = [
    "features",
    "features_segments",
    "segments_only",
    "pca",
    "pca_segments",
    "subset",
    "subset_segments",
]


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


def project_vars() -> dict:
    """The `vars` of dbt_project.yml."""
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]


def segmentation_vars() -> dict:
    """vars.segmentation of dbt_project.yml: the settings of every case."""
    return project_vars()["segmentation"]


def holds(database: Path, is_built: Callable[[Path], bool]) -> bool:
    """True when `database` exists and is_built(database) is true; a query error (a missing table) is false."""
    if not database.exists():
        return False
    try:
        return bool(is_built(database))
    except Exception:  # noqa: BLE001 - any missing table means: not built
        return False


def reuse_or_build(tmp_path_factory, name: str, is_built: Callable[[Path], bool], build_args: list[str]) -> Path:
    """The database the test command built (env SEGMENTATION_DB) when is_built says it holds what the
    tests need; else a fresh `dbt <build_args>` into a temporary <name>.duckdb."""
    built = Path(os.environ.get("SEGMENTATION_DB", "__none__"))
    built = built if built.is_absolute() else ROOT / built
    if holds(built, is_built):
        return built
    database = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    run_dbt(build_args, database)
    return database


def scratch_copy(database: Path, folder: Path) -> Path:
    """A copy of `database` in `folder` that a test may rebuild parts of."""
    copy_path = folder / database.name  # same file name: DuckDB views refer to the catalog by it
    shutil.copy(database, copy_path)
    return copy_path
