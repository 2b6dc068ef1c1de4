"""Wiring between dbt Python models and the engine: read the fit sample, fit, return the model artifacts.

A dbt Python model returns one table, so a fit is returned as one long "artifacts" table
(see ARTIFACT_COLUMNS; its kinds: model_artifacts.ARTIFACT_KINDS); the typed model tables of
models/segmentation/model/ (centroids, k selection, runs...) read it, everything else reads them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

import numpy as np
import pandas as pd

from customer_segmentation.engine import Segmentation, segment
from customer_segmentation.errors import SegmentationError
from customer_segmentation.model_artifacts import ARTIFACT_KINDS, extension_rows
from customer_segmentation.phases import logger, timed
from customer_segmentation.rules import Rule, segment_rules
from customer_segmentation.spec import SegmentationSpec
from customer_segmentation.versioning import PreviousModel, SegmentMatch, match_segments

ARTIFACT_COLUMNS = ["case_name", "model_id", "model_version", "artifact", "segment_id", "k", "name", "value", "text"]
ARTIFACT_TYPES = {
    "case_name": "string",
    "model_id": "string",
    "model_version": "Int64",
    "artifact": "string",
    "segment_id": "Int64",
    "k": "Int64",
    "name": "string",
    "value": "float64",
    "text": "string",
}
# read_fit_sample pre-filters ~this many times fit_sample_size rows by hash before ranking them
# (at 100k rows the count's standard deviation is ~350, so 25% more never falls short in practice).
SAMPLE_MARGIN = 1.25
LIBRARIES = ["scikit-learn", "numpy", "pandas", "duckdb", "dbt-core", "dbt-duckdb"]


def fit_cases(cases, inputs, scalers, history) -> pd.DataFrame:
    """Everything the package's fit model does, for every case of the run (relations: int_segment_specs,
    int_segment_fit_inputs, int_segment_scalers, and the model history so far or None). A case whose
    settings have a problem is skipped (the test seg_cases_built names it); a case whose fit fails gets
    a `fit_error` row with the sentence, and the other cases are fitted all the same."""
    tables = []
    usable = cases.filter("problem is null").order("case_name").project("case_name, settings, refit_requested")
    for case_name, settings_json, refit_requested in usable.fetchall():
        try:
            settings = json.loads(settings_json)
            spec = SegmentationSpec.from_settings(case_name, settings)
            tables.append(fit_case(spec, settings, bool(refit_requested), inputs, scalers, history))
        except Exception as error:  # noqa: BLE001 - one case's failure must not stop the others
            message = str(error) if isinstance(error, SegmentationError) else repr(error)
            where = f"case '{case_name}'"
            tables.append(fit_error(case_name, message if message.startswith(where) else f"{where}: {message}"))
    return typed(pd.concat(tables, ignore_index=True)) if tables else empty_artifacts()


def fit_case(spec: SegmentationSpec, settings: dict, refit_requested: bool, inputs, scalers, history) -> pd.DataFrame:
    """A case's new model version when a refit is due (see refit_reasons); no rows otherwise, so the
    current model keeps scoring. `settings`: every resolved setting, stored with the model (case_config)."""
    case_inputs = inputs.filter(f"case_name = {sql_literal(spec.case)}")
    if not case_inputs.limit(1).fetchall():  # also on runs that only score; one row is enough to know
        raise SegmentationError(f"case '{spec.case}': no usable rows to segment (all quarantined, or no input)")
    scaler = training_scaler(scalers, spec)
    means, sds = scaler.means, scaler.sds
    previous = previous_model(history, spec)
    reasons = refit_reasons(spec, previous, refit_requested, means)
    if not reasons:
        return empty_artifacts()
    durations: dict[str, float] = {}
    with timed(spec.case, "sample read", durations, "sample_read") as step:
        frame, n_usable = read_fit_sample(case_inputs, spec)
        step.detail = f"{len(frame)} of {n_usable} rows"
    comparable = previous is not None and previous.features == [f.lower() for f in spec.features]
    warm = previous.model.centroids_in(means, sds) if comparable else None
    X = feature_matrix(frame, spec)
    result = segment(X, spec.features, spec, warm_start=warm)
    durations.update(result.phase_seconds)
    match = match_segments(previous.model, result.segment_means, result.names, means, sds) if comparable else None
    version = 1 if previous is None else previous.model.version + 1
    model_id = f"{spec.case}-v{version}-{model_fingerprint(spec, frame)[:10]}"
    run = {
        "model_version": version,
        "refit_reason": "; ".join(reasons),
        "previous_model_id": None if previous is None else previous.model.model_id,
        "training_data_hash": data_hash(frame),
        "case_config": json.dumps(settings, sort_keys=True, default=str),
    }
    # What is in each segment, stated in the features' own units (segment_rules).
    with timed(spec.case, "segment rules", durations, "rules") as step:
        rules = segment_rules(
            original_units(X, scaler),
            result.labels,
            [f.lower() for f in spec.features],
            max_depth=spec.rule_max_depth,
            max_rules=spec.rules_per_segment,
            random_state=spec.random_state,
        )
        step.detail = f"{len(rules)} rules"
    # Building the rows is the artifacts phase; dbt's write of the table that follows is not in it.
    with timed(spec.case, "artifacts", durations, "artifacts") as step:
        table = artifacts(spec, model_id, result, match, scaler, run, n_usable=n_usable, n_fit=len(frame), rules=rules)
        step.detail = f"{len(table)} rows of model {model_id}"
    return with_phases(table, durations)


def with_phases(table: pd.DataFrame, durations: dict[str, float]) -> pd.DataFrame:
    """The model version's rows (`table`) and one `phase` row per phase of its fit (name: the phase, value:
    its seconds), stored with it like its other artifacts (segment_model_runs.<phase>_seconds)."""
    phases = pd.DataFrame({"name": list(durations), "value": list(durations.values())})
    phases = phases.assign(artifact="phase", **table.iloc[0][["case_name", "model_id", "model_version"]])
    return typed(pd.concat([table, phases], ignore_index=True))


@contextlib.contextmanager
def logs_to_dbt() -> Iterator[None]:
    """While the dbt model fits, the engine's log records (phases.timed) go to dbt's console and logs/dbt.log:
    dbt shows no other package's logging by itself. Not propagated meanwhile: a root handler (some library
    calls logging.basicConfig) would print each line twice. The handler leaves when the block ends, so a
    process that runs several builds (dbt's Python API) never holds two."""
    from dbt_common.events import get_event_manager
    from dbt_common.events.event_handler import DbtEventLoggingHandler

    handler = DbtEventLoggingHandler(get_event_manager(), logging.INFO)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def original_units(X: np.ndarray, scaler: TrainingScaler) -> np.ndarray:
    """Standardised rows (int_segment_fit_inputs) back in the feature model's units: the z-score undone,
    then a log transform (winsorised values stay clipped; thresholds between them hold for the raw values)."""
    original = X * scaler.sds + scaler.means
    logged = np.array([transform == "log" for transform in scaler.transforms], dtype=bool)
    original[:, logged] = np.expm1(original[:, logged])
    return original


def fit_error(case_name: str, message: str) -> pd.DataFrame:
    """The row that records a failed fit: artifact fit_error, the sentence in text, the time in value."""
    row = dict.fromkeys(ARTIFACT_COLUMNS)
    row.update(case_name=case_name, artifact="fit_error", name="failed_at", text=message)
    row["value"] = datetime.now(UTC).timestamp()
    return typed(pd.DataFrame([row]))


def read_fit_sample(case_inputs, spec: SegmentationSpec) -> tuple[pd.DataFrame, int]:
    """At most fit_sample_size of the case's rows (int_segment_fit_inputs), chosen by a seeded hash of
    the id in SQL, ordered by id (numerically where ids are numbers), one column per feature.

    Ordering by id makes the fit independent of how the warehouse happens to return rows.
    Returns the sample and the number of usable rows it was drawn from.
    """
    columns = ", ".join(
        ["customer_id", "customer_id_number"]
        + [f"features[{i}] as {quote(feature)}" for i, feature in enumerate(spec.features, start=1)]
    )
    n_rows = case_inputs.aggregate("count(*)").fetchone()[0]
    size, rank = spec.fit_sample_size, f"hash(customer_id, {int(spec.random_state)})"

    def by_id(rows) -> pd.DataFrame:
        frame = rows.project(columns).order("customer_id_number nulls last, customer_id").df()
        return frame.drop(columns="customer_id_number")

    if n_rows <= size:
        return by_id(case_inputs), n_rows
    # The `size` smallest hashes. Sorting every row's hash cost 2.3 s at 10M rows, so first keep the
    # rows whose hash lies in the lowest share of its range that should hold SAMPLE_MARGIN x `size`.
    share = SAMPLE_MARGIN * size / n_rows
    candidates = case_inputs.filter(f"{rank} < {int(share * 2**64)}::ubigint") if share < 1 else case_inputs
    frame = by_id(candidates.order(rank).limit(size))
    if len(frame) < size:  # the hashes fell unevenly (vanishingly rare): rank every row
        frame = by_id(case_inputs.order(rank).limit(size))
    return frame, n_rows


def quote(identifier: str) -> str:
    return '"' + identifier.lower().replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


@dataclass(frozen=True)
class TrainingScaler:
    """This build's z-score parameters of a case's features (int_segment_scalers), in feature order."""

    means: np.ndarray
    sds: np.ndarray
    fills: np.ndarray  # NaN: the feature has no blank fill
    transforms: list[str | None]  # winsorize, log or None
    clip_lows: np.ndarray  # NaN unless winsorised
    clip_highs: np.ndarray


def training_scaler(scalers, spec: SegmentationSpec) -> TrainingScaler:
    table = scalers.filter(f"case_name = {sql_literal(spec.case)}").df().set_index("feature")
    table = table.loc[[f.lower() for f in spec.features]]
    return TrainingScaler(
        *(table[column].to_numpy(float) for column in ("mean_value", "sd_value", "fill_value")),
        transforms=[None if pd.isna(t) else str(t) for t in table["feature_transform"]],
        clip_lows=table["clip_low"].to_numpy(float),
        clip_highs=table["clip_high"].to_numpy(float),
    )


@dataclass(frozen=True)
class StoredModel:
    model: PreviousModel
    features: list[str]
    parameters: str


def previous_model(history, spec: SegmentationSpec) -> StoredModel | None:
    """The case's current model (int_segment_artifacts.is_current) before this fit, or None before the first."""
    if history is None:
        return None
    rows = history.filter(f"case_name = {sql_literal(spec.case)} and artifact != 'fit_error'").df()
    if rows.empty:
        return None
    rows = rows[rows.model_version == rows.model_version.max()]
    run = rows[rows.artifact == "run"].set_index("name").text
    centroids = rows[rows.artifact == "centroid"].pivot(index="segment_id", columns="name", values="value")
    features = json.loads(run["features"])
    scaler = rows[rows.artifact.isin(["scaler_mean", "scaler_sd"])]
    scaler = scaler.pivot(index="name", columns="artifact", values="value")
    segments = rows[rows.artifact == "segment"].set_index("segment_id").sort_index()
    return StoredModel(
        model=PreviousModel(
            model_id=str(rows.model_id.iloc[0]),
            version=int(rows.model_version.iloc[0]),
            segment_ids=segments.index.to_numpy(np.int64),
            names=segments.text.astype(str).tolist(),
            centroids=centroids.loc[segments.index, features].to_numpy(float),
            means=scaler.loc[features, "scaler_mean"].to_numpy(float),
            sds=scaler.loc[features, "scaler_sd"].to_numpy(float),
        ),
        features=features,
        parameters=str(run["parameters"]),
    )


def refit_reasons(spec, previous: StoredModel | None, refit_requested: bool, means) -> list[str]:
    """Why this build fits a new model version; empty: score with the current model.

    A refit is due on the first build, when asked (var segmentation_refit: true, or a list of
    cases), when the case's engine settings changed, or when a feature's mean has drifted by more
    than refit_drift_threshold training standard deviations (the feature-drift health test's measure).
    """
    if previous is None:
        return ["first fit"]
    reasons = []
    if refit_requested:
        reasons.append("requested")
    if previous.parameters != spec.parameters():
        reasons.append("configuration changed")
    elif (drift := feature_drift(previous.model, means)) > spec.refit_drift_threshold:
        reasons.append(f"feature drift {drift:.3f} sd")
    return reasons


def feature_drift(previous: PreviousModel, means: np.ndarray) -> float:
    """Largest shift of a feature's mean since training, in training sds (the health test's seg_drift_in_sd)."""
    return float(np.max(np.abs(means - previous.means) / previous.sds))


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


def model_fingerprint(spec: SegmentationSpec, frame: pd.DataFrame) -> str:
    """Deterministic: the same spec on the same data gives the same fingerprint."""
    digest = hashlib.sha256(spec.parameters().encode())
    digest.update(data_hash(frame).encode())
    return digest.hexdigest()


def data_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()


def empty_artifacts() -> pd.DataFrame:
    return typed(pd.DataFrame({column: [] for column in ARTIFACT_COLUMNS}))


def typed(table: pd.DataFrame) -> pd.DataFrame:
    unknown = set(table["artifact"]) - set(ARTIFACT_KINDS)
    if unknown:  # a kind no typed model reads would be stored and never used
        raise ValueError(f"artifact kinds not in model_artifacts.ARTIFACT_KINDS: {sorted(unknown)}")
    return table[ARTIFACT_COLUMNS].astype(ARTIFACT_TYPES)


def artifacts(
    spec: SegmentationSpec,
    model_id: str,
    result: Segmentation,
    match: SegmentMatch | None,
    scaler: TrainingScaler,
    run: dict,
    *,
    n_usable: int,
    n_fit: int,
    rules: Sequence[Rule] = (),
) -> pd.DataFrame:
    rows: list[dict] = []

    def add(artifact, segment_id=None, k=None, name=None, value=None, text=None):
        rows.append(dict(artifact=artifact, segment_id=segment_id, k=k, name=name, value=value, text=text))

    features = [f.lower() for f in spec.features]
    ids = match.segment_ids if match else np.arange(1, result.k + 1)
    names = match.names if match else result.names
    # segment_means: the centroids in the standardised features (with a reduction, the segment means)
    for segment_id, centroid, name, size in zip(ids, result.segment_means, names, result.sizes, strict=True):
        add("segment", int(segment_id), name="fit_rows", value=float(size), text=name)
        for feature, value in zip(features, centroid, strict=True):
            add("centroid", int(segment_id), name=feature, value=float(value))
    columns = (scaler.means, scaler.sds, scaler.fills, scaler.transforms, scaler.clip_lows, scaler.clip_highs)
    for position, (feature, mean, sd, fill, transform, low, high) in enumerate(
        zip(features, *columns, strict=True), start=1
    ):
        add("scaler_mean", k=position, name=feature, value=float(mean), text=transform)
        add("scaler_sd", k=position, name=feature, value=float(sd))
        # The value blanks were filled with in training (seg_blank_flags), and the winsorising bounds.
        for artifact, value in (("scaler_fill", fill), ("scaler_clip_low", low), ("scaler_clip_high", high)):
            if not np.isnan(value):
                add(artifact, k=position, name=feature, value=float(value))
    for change in match.lineage if match else []:
        add(
            "lineage",
            change["segment_id"],
            k=change["previous_segment_id"],
            name=change["change"],
            value=change["centroid_shift"],
        )
    for record in result.k_selection.to_dict("records"):
        for metric, value in record.items():
            if metric != "k":
                add("k_selection", k=int(record["k"]), name=metric, value=float(value))
    for k, seconds in result.k_fit_seconds.items():
        add("k_selection", k=k, name="fit_seconds", value=seconds)
    for metric, value in result.metrics.items():
        add("metric", name=metric, value=float(value))
    for rule in rules:  # one row per condition; result.labels are engine ids 1..k, stored as ids[i - 1]
        for condition in rule.conditions:
            segment_id = int(ids[rule.segment_id - 1])
            add("rule_condition", segment_id, rule.rule_number, condition.feature, condition.value, condition.operator)
    for row in extension_rows(result, ids):  # reduction, projection_2d, gmm_* (model_artifacts.py)
        add(**row)
    if result.ward_merges is not None:
        for record in result.ward_merges.to_dict("records"):
            for column, value in record.items():
                if column != "step":
                    add("ward_merge", k=int(record["step"]), name=column, value=float(value))
    run = {
        **run,
        "features": json.dumps(features),
        "algorithm": result.algorithm,
        "k": result.k,
        "recommended_k": result.recommended_k,
        "k_choice": spec.k_choice,
        "statistical_k": result.statistical_k,
        "actionable_k": result.actionable_k,
        "k_reason": result.k_reason,
        "random_state": spec.random_state,
        "usable_rows": n_usable,
        "fit_rows": n_fit,
        "parameters": spec.parameters(),
        "library_versions": json.dumps({lib: metadata.version(lib) for lib in LIBRARIES}, sort_keys=True),
        "fitted_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
    }
    for key, value in run.items():
        if value is not None:
            add("run", name=key, text=str(value))
    table = pd.DataFrame(rows)
    table.insert(0, "model_version", run["model_version"])
    table.insert(0, "model_id", model_id)
    table.insert(0, "case_name", spec.case)
    return typed(table)
