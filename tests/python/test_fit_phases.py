"""The fit says what it is doing: every phase, and every k of the sweep, is logged as it ends (logger
customer_segmentation; on dbt's console and in logs/dbt.log in a build) and its seconds are stored with
the model version (segment_model_runs.<phase>_seconds, segment_k_selection.fit_seconds)."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest

from customer_segmentation import segment
from customer_segmentation.dbt_model import fit_cases, logs_to_dbt
from customer_segmentation.phases import logger
from project import case_spec, query, run_dbt
from specs import make_spec
from test_fit_cases import blobs, build, settings

ENGINE_PHASES = ["ward tree", "k sweep", "stability", "final fit", "naming"]
STORED_PHASES = ["sample_read", "ward_tree", "k_sweep", "stability", "final_fit", "naming", "rules", "artifacts"]
SECONDS = r"in \d+\.\d\d s"


def lines(records, pattern: str) -> list[str]:
    return [r.getMessage() for r in records if re.fullmatch(pattern, r.getMessage())]


def test_a_fit_logs_each_k_of_the_sweep_and_each_phase(caplog):
    X = blobs(0)
    spec = make_spec(case="blobs", id_column="id", features=["a", "b"], k_min=2, k_max=5, stability_bootstraps=2)
    with caplog.at_level(logging.INFO, logger="customer_segmentation"):
        result = segment(X, ["a", "b"], spec)
    for k in range(2, 6):
        assert len(lines(caplog.records, rf"blobs: k sweep k={k} {SECONDS} \(inertia .+, silhouette .+\)")) == 1
    for phase in ENGINE_PHASES:
        assert len(lines(caplog.records, rf"blobs: {phase} {SECONDS}( \(.+\))?")) == 1, phase
    assert len(caplog.records) == 4 + len(ENGINE_PHASES)  # nothing else, nothing twice
    assert set(result.phase_seconds) == {"ward_tree", "k_sweep", "stability", "final_fit", "naming"}
    assert sorted(result.k_fit_seconds) == [2, 3, 4, 5]
    assert all(s >= 0 for s in [*result.phase_seconds.values(), *result.k_fit_seconds.values()])


def test_fit_cases_stores_the_seconds_of_every_phase_with_the_version():
    table = fit_cases(*build(duckdb.connect(), {"good": settings(k=None, k_max=4)}, {"good": blobs(0)}), history=None)
    phases = table[table.artifact == "phase"]
    assert sorted(phases.name) == sorted(STORED_PHASES)
    assert (phases.value >= 0).all() and (phases.model_id == table.model_id.iloc[0]).all()
    per_k = table[(table.artifact == "k_selection") & (table.name == "fit_seconds")]
    assert sorted(per_k.k) == [2, 3, 4] and (per_k.value >= 0).all()


def test_the_dbt_handler_is_attached_once_and_removed():
    before = list(logger.handlers)
    for _ in range(2):  # two builds in one process (dbt's Python API)
        with logs_to_dbt():
            assert len(logger.handlers) == len(before) + 1 and logger.isEnabledFor(logging.INFO)
    assert logger.handlers == before


@pytest.fixture(scope="module")
def phases_build(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A fresh fit of the demo (the seeds and models up to the marts read) with its own log and target folders, as
    dbt.log appends and run_results.json is rewritten by every dbt command: (database, logs, target)."""
    folder = tmp_path_factory.mktemp("phases")
    database, logs, target = folder / "phases.duckdb", folder / "logs", folder / "target"
    selected = "+segment_model_runs +segment_k_selection"
    paths = ["--log-path", str(logs), "--target-path", str(target)]
    build = ["build", "--select", selected, "--resource-type", "seed", "model"]
    run_dbt([*build, *paths, "--vars", "{segmentation_cases: [demo]}"], database)
    return database, logs, target


def current_run(database: Path):
    return query(database, "select * from segment_model_runs where case_name = 'demo' and is_current").iloc[0]


def test_a_build_stores_phase_seconds_within_the_fit_nodes_time(phases_build):
    database, _, target = phases_build
    run = current_run(database)
    seconds = run[[f"{phase}_seconds" for phase in STORED_PHASES]]
    assert seconds.notna().all() and (seconds >= 0).all(), seconds
    results = json.loads((target / "run_results.json").read_text())["results"]
    (fit,) = [r for r in results if r["unique_id"] == "model.customer_segmentation.int_segment_model_history"]
    assert seconds.sum() <= fit["execution_time"]
    per_k = query(database, "select fit_seconds from segment_k_selection where case_name = 'demo' and is_current")
    assert per_k.fit_seconds.notna().all() and (per_k.fit_seconds >= 0).all()


def test_a_build_logs_a_line_per_k_of_the_sweep(phases_build):
    database, logs, _ = phases_build
    spec = case_spec(database, "demo")
    log = (logs / "dbt.log").read_text()
    for k in range(spec.k_min, spec.k_max + 1):
        assert len(re.findall(rf"\]: demo: k sweep k={k} {SECONDS} \(inertia", log)) == 1, k
    for phase in ["sample read", *ENGINE_PHASES, "segment rules", "artifacts"]:
        assert len(re.findall(rf"\]: demo: {phase} {SECONDS}", log)) == 1, phase


def test_a_version_that_is_not_refitted_keeps_its_seconds(phases_build, tmp_path):
    database = Path(shutil.copy(phases_build[0], tmp_path / "again.duckdb"))
    fitted = current_run(database)
    logs, target = tmp_path / "logs", tmp_path / "target"
    # The fit model again (nothing asks for a refit) and the models between it and segment_model_runs.
    selected = ["--select", "int_segment_model_history+,+segment_model_runs"]
    paths = ["--log-path", str(logs), "--target-path", str(target)]
    run_dbt(["run", *selected, *paths, "--vars", "{segmentation_cases: [demo]}"], database)
    log = (logs / "dbt.log").read_text()
    assert "OK created python incremental model main.int_segment_model_history" in log
    assert "demo: k sweep" not in log  # nothing was fitted, nothing logged
    assert query(database, "select count(distinct model_id) as n from segment_model_runs").n[0] == 1
    again = current_run(database)
    columns = [f"{phase}_seconds" for phase in STORED_PHASES]
    assert again.model_id == fitted.model_id and again[columns].notna().all()
    np.testing.assert_array_equal(again[columns].to_numpy(float), fitted[columns].to_numpy(float))
