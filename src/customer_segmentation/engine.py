"""Segment a standardised feature matrix: choose k, fit, relabel, score, name.

Results depend on row order (k-means++ draws row indices; samples are drawn by position),
so callers should pass rows in a fixed order (e.g. ORDER BY the id column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import ward
from .errors import SegmentationError
from .kmeans import assign, fit_kmeans
from .naming import name_segments
from .sampling import sample_rows, single_threaded
from .selection import cluster_scores, select_k
from .spec import SegmentationSpec

__all__ = ["Segmentation", "segment", "select_k", "validate_matrix"]


@dataclass
class Segmentation:
    algorithm: str
    k: int
    centroids: np.ndarray  # (k, p) in the input space; row i is segment id i + 1
    labels: np.ndarray  # (n,) segment ids 1..k: nearest centroid, ties to the lower id
    inertia: float  # within-cluster sum of squares of `labels` against `centroids`
    recommended_k: int
    k_selection: pd.DataFrame
    metrics: dict
    ward_merges: pd.DataFrame | None
    # Additions to the contract:
    sizes: np.ndarray  # (k,) rows per segment id, non-increasing
    names: list[str]  # name_segments of the centroids (meaningful when X is standardised)
    feature_names: tuple[str, ...]


def validate_matrix(X: np.ndarray, feature_names: Sequence[str], k_needed: int) -> None:
    """Raise SegmentationError, naming the culprit, if X cannot be clustered into k_needed."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise SegmentationError(f"the feature matrix must be 2-D (rows × features), got {X.ndim}-D")
    if X.shape[1] != len(feature_names):
        raise SegmentationError(f"the feature matrix has {X.shape[1]} columns but {len(feature_names)} feature names")
    if X.shape[0] == 0:
        raise SegmentationError("no usable rows: the feature matrix is empty (check the features model and filters)")
    if not np.issubdtype(X.dtype, np.number):
        raise SegmentationError(f"features must be numeric, got dtype {X.dtype}")
    for j, name in enumerate(feature_names):
        column = X[:, j]
        if not np.isfinite(column).all():
            bad = int((~np.isfinite(column)).sum())
            raise SegmentationError(
                f"feature '{name}' has {bad} NaN or infinite values; fill or filter them in the features model"
            )
        if (column == column[0]).all():
            raise SegmentationError(
                f"feature '{name}' is constant (standard deviation 0) and cannot separate "
                "segments; drop it from the case's features"
            )
    _check_enough_rows(X, k_needed)


def _check_enough_rows(X: np.ndarray, k_needed: int) -> None:
    if X.shape[0] < k_needed:
        raise SegmentationError(f"only {X.shape[0]} usable rows, fewer than k={k_needed}; lower k / k_max or add rows")
    # A head of the rows usually proves there are enough distinct rows; sort everything only if not.
    n_distinct = np.unique(X[:10_000], axis=0).shape[0]
    if n_distinct < k_needed:
        n_distinct = np.unique(X, axis=0).shape[0]
    if n_distinct < k_needed:
        raise SegmentationError(
            f"only {n_distinct} distinct feature rows, fewer than k={k_needed}; "
            "lower k / k_max or add more varied features"
        )


def segment(X: np.ndarray, feature_names: Sequence[str], spec: SegmentationSpec) -> Segmentation:
    """Run the k sweep, fit the final model on at most fit_sample_size rows, then assign
    every row of X to its nearest centroid."""
    X = np.asarray(X, dtype=np.float64)
    validate_matrix(X, feature_names, max(spec.k_max, spec.k or 0))
    with single_threaded():
        return _segment(X, tuple(feature_names), spec)


def _segment(X: np.ndarray, feature_names: tuple[str, ...], spec: SegmentationSpec) -> Segmentation:
    X_fit = X[sample_rows(X.shape[0], spec.fit_sample_size, spec.random_state)]
    tree = ward.build_tree(X_fit, spec.ward_sample_size, spec.random_state)
    k_selection, recommended_k = select_k(X_fit, spec, tree=tree)
    k = spec.k or recommended_k
    if spec.algorithm == "ward":
        centroids, n_restarts = _ward_centroids(X_fit, tree, k), 0
    else:
        fit = fit_kmeans(
            X_fit,
            k,
            n_init=spec.n_init,
            n_seeds=spec.n_seeds,
            random_state=spec.random_state,
            init=spec.kmeans_init,
        )
        centroids, n_restarts = fit.centroids, fit.n_restarts
    centroids = _order_by_size(X, centroids)
    labels, sq_dist = assign(X, centroids)
    sizes = np.bincount(labels, minlength=k)
    sil_rows = sample_rows(X.shape[0], spec.silhouette_sample_size, spec.random_state)
    inertia = float(sq_dist.sum())
    metrics = {  # scalars only, so callers can store them as numbers
        "inertia": inertia,
        **cluster_scores(X, labels, sil_rows),
        "silhouette_rows": int(sil_rows.size),
        "n_rows": int(X.shape[0]),
        "n_fit_rows": int(X_fit.shape[0]),
        "n_features": int(X.shape[1]),
        "n_restarts": int(n_restarts),
    }
    return Segmentation(
        algorithm=spec.algorithm,
        k=k,
        centroids=centroids,
        labels=labels + 1,
        inertia=inertia,
        recommended_k=recommended_k,
        k_selection=k_selection,
        metrics=metrics,
        ward_merges=ward.merges_table(tree),
        sizes=sizes,
        names=name_segments(centroids, feature_names, spec.name_max_traits, spec.feature_labels),
        feature_names=feature_names,
    )


def _ward_centroids(X_fit: np.ndarray, tree: ward.WardTree, k: int) -> np.ndarray:
    sample = X_fit[tree.sample_index]
    return ward.centroids(sample, ward.cut(tree, k), k)


def _order_by_size(X: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Centroids reordered so segment 1 is the largest; equal sizes are ordered by
    centroid coordinates, so ids do not depend on the fit's arbitrary cluster numbering."""
    sizes = np.bincount(assign(X, centroids)[0], minlength=len(centroids))
    order = sorted(range(len(centroids)), key=lambda j: (-sizes[j], tuple(centroids[j])))
    return centroids[order]
