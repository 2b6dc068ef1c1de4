"""Wiring between dbt Python models and the engine: read the fit sample, fit, return the model artifacts.

A dbt Python model returns one table, so a fit is returned as one long "artifacts" table
(see ARTIFACT_COLUMNS); SQL marts pivot it into typed tables (centroids, k-selection, runs...).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from importlib import metadata

import numpy as np
import pandas as pd

from customer_segmentation.engine import Segmentation, segment
from customer_segmentation.errors import SegmentationError
from customer_segmentation.spec import SegmentationSpec

ARTIFACT_COLUMNS = ["case_name", "model_id", "artifact", "segment_id", "k", "name", "value", "text"]
LIBRARIES = ["scikit-learn", "numpy", "pandas", "duckdb", "dbt-core", "dbt-duckdb"]


def spec_from_config(defaults_json: str, cases_json: str, case_name: str) -> SegmentationSpec:
    """The case's spec from the JSON-encoded vars that the model's YAML config passes in."""
    if not defaults_json or not cases_json:
        raise SegmentationError(
            f"case '{case_name}': the Python model's config lacks segmentation_defaults / segmentation "
            "(set them in its YAML as tojson(var(...)))"
        )
    return SegmentationSpec.from_vars(json.loads(defaults_json), json.loads(cases_json), case_name)


def read_fit_sample(relation, spec: SegmentationSpec) -> tuple[pd.DataFrame, int]:
    """At most fit_sample_size rows, chosen by a seeded hash of the id in SQL, ordered by id.

    Ordering by id makes the fit independent of how the warehouse happens to return rows.
    Returns the sample and the number of usable rows it was drawn from.
    """
    columns = [c.lower() for c in relation.columns]
    wanted = [spec.id_column, *spec.features]
    missing = [c for c in wanted if c.lower() not in columns]
    if missing:
        raise SegmentationError(
            f"case '{spec.case}': configured column(s) {', '.join(missing)} not found in the standardised "
            f"feature table (columns: {', '.join(columns)})"
        )
    id_sql = quote(spec.id_column)
    n_rows = relation.aggregate("count(*)").fetchone()[0]
    if n_rows > spec.fit_sample_size:
        relation = relation.order(f"hash({id_sql}, {int(spec.random_state)})").limit(spec.fit_sample_size)
    frame = relation.project(", ".join(quote(c) for c in wanted)).order(id_sql).df()
    return frame, n_rows


def quote(identifier: str) -> str:
    return '"' + identifier.lower().replace('"', '""') + '"'


def fit_case(defaults_json: str, cases_json: str, standardized, case_name: str) -> pd.DataFrame:
    """Everything a dbt Python model of a case does: spec, sample, fit, artifacts."""
    spec = spec_from_config(defaults_json, cases_json, case_name)
    frame, n_usable = read_fit_sample(standardized, spec)
    result = segment(feature_matrix(frame, spec), spec.features, spec)
    return artifacts(spec, model_identity(spec, frame), result, n_usable=n_usable, n_fit=len(frame))


def feature_matrix(frame: pd.DataFrame, spec: SegmentationSpec) -> np.ndarray:
    frame.columns = [c.lower() for c in frame.columns]
    features = [f.lower() for f in spec.features]
    if frame.empty:
        raise SegmentationError(f"case '{spec.case}': the feature table has no usable rows to segment")
    constant = [f for f in features if frame[f].isna().all()]
    if constant:
        raise SegmentationError(
            f"case '{spec.case}': feature(s) {', '.join(constant)} are constant (standard deviation 0), "
            "so they cannot be standardised: drop them from the case's features"
        )
    return frame[features].to_numpy(dtype=float)


def model_identity(spec: SegmentationSpec, frame: pd.DataFrame) -> str:
    """Deterministic model id: the same spec on the same data gives the same id."""
    digest = hashlib.sha256(json.dumps(spec.to_dict(), sort_keys=True).encode())
    digest.update(data_hash(frame).encode())
    return f"{spec.case}-{digest.hexdigest()[:12]}"


def data_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()


def artifacts(
    spec: SegmentationSpec,
    model_id: str,
    result: Segmentation,
    *,
    n_usable: int,
    n_fit: int,
) -> pd.DataFrame:
    rows: list[dict] = []

    def add(artifact, segment_id=None, k=None, name=None, value=None, text=None):
        rows.append(dict(artifact=artifact, segment_id=segment_id, k=k, name=name, value=value, text=text))

    features = [f.lower() for f in spec.features]
    segments = zip(result.centroids, result.names, result.sizes, strict=True)
    for segment_id, (centroid, name, size) in enumerate(segments, start=1):
        add("segment", segment_id, name="fit_rows", value=float(size), text=name)
        for feature, value in zip(features, centroid, strict=True):
            add("centroid", segment_id, name=feature, value=float(value))
    for record in result.k_selection.to_dict("records"):
        for metric, value in record.items():
            if metric != "k":
                add("k_selection", k=int(record["k"]), name=metric, value=float(value))
    for metric, value in result.metrics.items():
        add("metric", name=metric, value=float(value))
    if result.ward_merges is not None:
        for record in result.ward_merges.to_dict("records"):
            for column, value in record.items():
                if column != "step":
                    add("ward_merge", k=int(record["step"]), name=column, value=float(value))
    run = {
        "algorithm": result.algorithm,
        "k": result.k,
        "recommended_k": result.recommended_k,
        "random_state": spec.random_state,
        "usable_rows": n_usable,
        "fit_rows": n_fit,
        "parameters": json.dumps(spec.to_dict(), sort_keys=True),
        "library_versions": json.dumps({lib: metadata.version(lib) for lib in LIBRARIES}, sort_keys=True),
        "fitted_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
    }
    for key, value in run.items():
        add("run", name=key, text=str(value))
    table = pd.DataFrame(rows)
    table.insert(0, "model_id", model_id)
    table.insert(0, "case_name", spec.case)
    return table[ARTIFACT_COLUMNS].astype(
        {"segment_id": "Int64", "k": "Int64", "value": "float64", "text": "string", "name": "string"}
    )
