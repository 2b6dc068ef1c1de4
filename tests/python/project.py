"""Helpers for tests that run dbt on integration_tests (the project that uses the package) and read the
DuckDB file it builds."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "integration_tests"
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


def dbt_command(args: list[str], database: Path, published: Path | None = None) -> tuple[list[str], dict]:
    """The dbt command line and environment that build into `database`; with `published` (a path prefix:
    <published>.sqlite catalog, <published>/ data), on the prod target, which publishes to that DuckLake."""
    env = {**os.environ, "SEGMENTATION_DB": str(database)}
    if published is not None:
        env["SEGMENTATION_PUBLISHED"] = str(published)
        args = [*args, "--target", "prod"]
    return [str(DBT), *args, "--profiles-dir", "profiles"], env


def run_dbt(
    args: list[str], database: Path, check: bool = True, project: Path = PROJECT, published: Path | None = None
) -> subprocess.CompletedProcess:
    """Runs dbt in `project` (integration_tests) against `database` (and `published`: see dbt_command);
    returns the finished process (output captured)."""
    command, env = dbt_command(args, database, published)
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}")
    return done


def blank_fill_test(database: Path, variables: dict, project: Path = PROJECT, **health) -> dict:
    """Runs the blank-fill test with these segment_health settings; its result (run_results.json)."""
    selected = ["test", "--select", "test_name:seg_blank_fill_share"]
    run_dbt([*selected, "--vars", json.dumps({**variables, "segment_health": health})], database, False, project)
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    (result,) = [result for result in results if result["unique_id"].startswith("test.")]  # not the run hooks
    return result


def vars_arg(**overrides) -> str:
    return json.dumps(overrides)


# The schema of the marts (the package's var segmentation_marts_schema), as integration_tests names it
# (its generate_schema_name keeps custom names) and as a project with dbt's default naming does.
MARTS_SCHEMAS = ["segments", "main_segments"]


@contextlib.contextmanager
def connect(database: Path, read_only: bool = True):
    """A connection to `database` whose unqualified names find the marts (MARTS_SCHEMAS) as well as the
    models of the main schema."""
    with duckdb.connect(str(database), read_only=read_only) as con:
        present = con.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database() and schema_name in ?",
            [MARTS_SCHEMAS],
        ).fetchall()
        con.execute(f"set search_path = '{','.join(['main', *(name for (name,) in present)])}'")
        yield con


def query(database: Path, sql: str):
    """A query on `database`, run from integration_tests as dbt runs: its views read files by relative paths."""
    with contextlib.chdir(PROJECT), connect(database) as con:
        return con.sql(sql).df()


def project_vars() -> dict:
    """The `vars` of integration_tests/dbt_project.yml."""
    return yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]


def segmentation_vars() -> dict:
    """vars.segmentation of integration_tests: the settings of every case (as written, not resolved)."""
    return project_vars()["segmentation"]


def case_spec(database: Path, case_name: str):
    """The engine spec of a case as the build resolved it (int_segment_specs)."""
    from customer_segmentation import SegmentationSpec

    settings = query(database, f"select settings from int_segment_specs where case_name = '{case_name}'").settings[0]
    return SegmentationSpec.from_settings(case_name, json.loads(settings))


def standardized_points(database: Path, case_name: str, features) -> pd.DataFrame:
    """The case's standardised rows as a fit reads them (int_segment_fit_inputs): customer_id and one
    column per feature, in the fit's row order (by id, numerically where ids are numbers)."""
    columns = ", ".join(f'features[{i}] as "{f.lower()}"' for i, f in enumerate(features, start=1))
    return query(
        database,
        f"select customer_id, {columns} from int_segment_fit_inputs where case_name = '{case_name}' "
        "order by customer_id_number nulls last, customer_id",
    )


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


def has_every_case(database: Path) -> bool:
    """Every case of integration_tests is segmented, and the case marts that need several cases are built."""
    cases = query(database, "select case_name from segment_cases where status = 'segmented'").case_name
    built = query(database, "select count(*) as n from songs__algorithm_comparison").n[0]
    return set(cases) >= set(segmentation_vars()) and built > 0


def scratch_copy(database: Path, folder: Path) -> Path:
    """A copy of `database` in `folder` that a test may rebuild parts of."""
    copy_path = folder / database.name
    shutil.copy(database, copy_path)
    return copy_path
