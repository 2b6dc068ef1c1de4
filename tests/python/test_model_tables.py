"""The typed model tables (models/segmentation/model/) and the long storage they read: one list of artifact
kinds (model_artifacts.ARTIFACT_KINDS) that the storage's accepted_values test repeats and every typed model
reads from, and no reader of the storage outside the typed models."""

from __future__ import annotations

import re

import yaml

from customer_segmentation.model_artifacts import ARTIFACT_KINDS
from project import ROOT

SEGMENTATION = ROOT / "models" / "segmentation"
TYPED = SEGMENTATION / "model"
STORAGE = ("int_segment_model_history", "int_segment_artifacts")
# The kinds a typed model reads: seg_artifact_rows('x', ...) or seg_artifact_rows(['x', 'y'], ...), or a
# filter artifact = 'x' (int_segment_fit_errors, on the history itself).
KIND_FILTER = re.compile(r"(?:seg_artifact_rows\(\s*|artifact\s*=\s*)(?:'([a-z_0-9]+)'|\[([^\]]*)\])")


def storage_kinds() -> list[str]:
    """The accepted_values of int_segment_model_history.artifact, in the YAML's order."""
    models = yaml.safe_load((SEGMENTATION / "_int_segmentation__models.yml").read_text())["models"]
    (history,) = [model for model in models if model["name"] == "int_segment_model_history"]
    (column,) = [column for column in history["columns"] if column["name"] == "artifact"]
    (accepted,) = [test["accepted_values"] for test in column["data_tests"] if "accepted_values" in test]
    return accepted["arguments"]["values"]


def kinds_read(sql: str) -> set[str]:
    kinds = set()
    for single, listed in KIND_FILTER.findall(sql):
        kinds |= {single} if single else set(re.findall(r"'([a-z_0-9]+)'", listed))
    return kinds


def typed_models() -> dict[str, str]:
    return {path.stem: path.read_text() for path in sorted(TYPED.glob("*.sql"))}


def test_the_storage_accepts_exactly_the_artifact_kinds():
    assert storage_kinds() == list(ARTIFACT_KINDS)
    assert len(set(ARTIFACT_KINDS)) == len(ARTIFACT_KINDS)


def test_every_kind_is_read_by_a_typed_model_and_every_kind_read_exists():
    read = {name: kinds_read(sql) for name, sql in typed_models().items()}
    every_read = set().union(*read.values())
    assert every_read <= set(ARTIFACT_KINDS), every_read - set(ARTIFACT_KINDS)
    assert every_read == set(ARTIFACT_KINDS), set(ARTIFACT_KINDS) - every_read
    # int_segment_fit_errors reads the history; the others its current-flagged view.
    assert read["int_segment_fit_errors"] == {"fit_error"}


def test_only_typed_models_read_the_storage():
    readers = []
    for folder in ("models", "macros"):
        for path in (ROOT / folder).rglob("*.sql"):
            text = path.read_text()
            for name in STORAGE:
                if re.search(rf"ref\(\s*'{name}'\s*\)", text):
                    readers.append((path.relative_to(ROOT).as_posix(), name))
    allowed = {
        ("models/segmentation/int_segment_artifacts.sql", "int_segment_model_history"),
        ("macros/history/seg_artifact_rows.sql", "int_segment_artifacts"),
    }
    outside = [(path, name) for path, name in readers if not path.startswith("models/segmentation/model/")]
    assert set(outside) <= allowed, outside
    callers = {
        path.relative_to(ROOT).parent.as_posix()
        for folder in ("models", "macros")
        for path in (ROOT / folder).rglob("*.sql")
        if "customer_segmentation.seg_artifact_rows(" in path.read_text()
    }
    assert callers == {"models/segmentation/model"}, callers


def test_every_typed_model_is_documented_with_a_primary_key():
    documented = yaml.safe_load((TYPED / "_int_segment_model__models.yml").read_text())["models"]
    by_name = {model["name"]: model for model in documented}
    assert set(by_name) == set(typed_models())
    for name, model in by_name.items():
        sql_columns = {column["name"] for column in model["columns"]}
        assert all(column.get("description") for column in model["columns"]), name
        tests = model.get("data_tests", [])
        keys = [test["seg_unique_combination"] for test in tests if "seg_unique_combination" in test]
        if name != "int_segment_fit_errors":  # an error log, no key
            assert keys and set(keys[0]["arguments"]["columns"]) <= sql_columns, name
