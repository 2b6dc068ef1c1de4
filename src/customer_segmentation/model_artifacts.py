"""Artifact rows of the projections and Gaussian mixtures, for SQL scoring (dbt_model.artifacts adds them).

Kinds (columns as in dbt_model.ARTIFACT_COLUMNS; segment ids as the caller numbers them):
- reduction (only with a reduction): text 'mean' (name = feature, value = mean_i) and text 'weight'
  (k = component j, name = feature, value = W[j, i]): component_j = sum_i (x_i - mean_i) W[j, i]
  over the standardised features (macros/scoring/seg_project.sql).
- reduced_centroid (only with a reduction): segment_id, name = component_j, value: the centroid in
  the reduced space, which scoring uses (nearest centroid after seg_project).
- projection_2d (always): the 2-D PCA of the standardised features, same layout as reduction.
- explained_variance: name 'reduction' or 'projection_2d', k = component j, value = its ratio
  (see reduction.py for what the ratio means per method).
Rows of the algorithm's own model (Segmenter.model_rows):
- gmm_component (gmm only): segment_id, name log_weight | weight | log_det_precision_cholesky.
- gmm_mean (gmm only): segment_id, name = model feature, value = component mean.
- gmm_precision_cholesky (gmm only): segment_id, name = row feature i, text = column feature j,
  value = P_c[i, j] of the upper-triangular precision Cholesky factor; only i <= j (every such
  entry for full / tied, only the diagonal for diag / spherical); absent entries are 0.
Model features are the clustering columns: the standardised features, or component_1..q with a
reduction (macros/scoring/seg_gmm_posteriors.sql).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .engine import Segmentation
from .reduction import LinearProjection

# Every kind of row the model history (int_segment_model_history) holds: dbt_model.artifacts writes the
# first ones, this module and Segmenter.model_rows the extension kinds, fit_cases the last two. The one
# list: the storage's accepted_values test must equal it, and each kind has its typed model table
# (models/segmentation/model/; tests/python/test_model_tables.py).
ARTIFACT_KINDS = (
    "segment",
    "centroid",
    "scaler_mean",
    "scaler_sd",
    "scaler_fill",
    "scaler_clip_low",
    "scaler_clip_high",
    "lineage",
    "k_selection",
    "metric",
    "ward_merge",
    "run",
    "reduction",
    "reduced_centroid",
    "projection_2d",
    "explained_variance",
    "gmm_component",
    "gmm_mean",
    "gmm_precision_cholesky",
    "rule_condition",
    "phase",
    "fit_error",
)


def extension_rows(result: Segmentation, segment_ids: Sequence[int] | None = None) -> list[dict]:
    """The rows of the kinds above; segment_ids[i] is the stored id of the engine's segment i + 1."""
    ids = [int(s) for s in (segment_ids if segment_ids is not None else range(1, result.k + 1))]
    features = [f.lower() for f in result.feature_names]
    model_features = [f.lower() for f in result.model_features]
    rows: list[dict] = []

    def add(artifact, segment_id=None, k=None, name=None, value=None, text=None):
        rows.append(dict(artifact=artifact, segment_id=segment_id, k=k, name=name, value=value, text=text))

    if result.reduction is not None:
        _projection_rows(add, "reduction", result.reduction, features)
        for segment_id, centroid in zip(ids, result.centroids, strict=True):
            for component, value in zip(model_features, centroid, strict=True):
                add("reduced_centroid", segment_id, name=component, value=float(value))
    if result.projection_2d is not None:
        _projection_rows(add, "projection_2d", result.projection_2d, features)
    for row in result.model.model_rows(model_features, ids):  # gmm_* (segmenters.py)
        add(**row)
    return rows


def _projection_rows(add, artifact: str, projection: LinearProjection, features: list[str]) -> None:
    for feature, mean in zip(features, projection.mean, strict=True):
        add(artifact, name=feature, value=float(mean), text="mean")
    for j, weights in enumerate(projection.components, start=1):
        for feature, weight in zip(features, weights, strict=True):
            add(artifact, k=j, name=feature, value=float(weight), text="weight")
    for j, ratio in enumerate(np.asarray(projection.explained_variance_ratio), start=1):
        add("explained_variance", k=j, name=artifact, value=float(ratio))
