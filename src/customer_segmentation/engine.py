"""Segment a standardised feature matrix: choose k, fit, relabel, score, name.

With a `reduction`, the features are first projected (reduction.py) and everything - the Ward
tree, the k sweep, the fit, the labels and the quality metrics - works on the components; the
centroids are then in component space, while names come from the segment means of the original
standardised features. A 2-D PCA of the features (projection_2d) is always fitted for plots.
The algorithm is the case's segmenter (segmenters.py): with gmm, labels are the most probable
mixture component and the centroids are the component means.

Results depend on row order (k-means++ draws row indices; samples are drawn by position),
so callers should pass rows in a fixed order (e.g. ORDER BY the id column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import gmm, ward
from .errors import SegmentationError
from .naming import name_segments
from .phases import timed
from .reduction import LinearProjection, fit_projection_2d, fit_reduction
from .sampling import sample_rows, single_threaded
from .segmenters import SEGMENTERS, Segmenter
from .selection import KChoice, cluster_scores, select_k
from .spec import SegmentationSpec

__all__ = ["Segmentation", "segment", "select_k", "validate_matrix"]


@dataclass
class Segmentation:
    algorithm: str
    k: int
    # (k, q) in the clustering space: the input features, or the reduction's components;
    # row i is segment id i + 1. For gmm, the component means.
    centroids: np.ndarray
    # (n,) segment ids 1..k: nearest centroid, ties to the lower id (gmm: most probable component)
    labels: np.ndarray
    inertia: float  # within-cluster sum of squares of `labels` against `centroids`
    recommended_k: int  # the recommendation the case's k_choice picks (selection.py)
    statistical_k: int
    actionable_k: int | None  # None: no k meets the actionable rule (or no sweep)
    k_reason: str  # the k used and why, in one sentence
    k_selection: pd.DataFrame
    metrics: dict
    ward_merges: pd.DataFrame | None
    # Additions to the contract:
    sizes: np.ndarray  # (k,) rows per segment id, non-increasing
    names: list[str]  # name_segments of segment_means (meaningful when X is standardised)
    feature_names: tuple[str, ...]
    # (k, p) segment centres in the input features: the centroids, or with a reduction the mean
    # of each segment's rows of X.
    segment_means: np.ndarray | None = None
    reduction: LinearProjection | None = None  # the projection clustered on, if any
    projection_2d: LinearProjection | None = None  # 2-D PCA of the input features, for plots
    model: Segmenter | None = None  # the fitted segmenter, clusters in segment-id order
    probabilities: np.ndarray | None = None  # (n, k) posteriors, column i = segment i + 1 (gmm only)
    # Seconds per phase (reduction, ward_tree, k_sweep, stability, final_fit, naming: phases.timed)
    # and per k of the sweep.
    phase_seconds: dict[str, float] = field(default_factory=dict)
    k_fit_seconds: dict[int, float] = field(default_factory=dict)

    @property
    def mixture(self) -> gmm.GmmFit | None:
        """The Gaussian mixture, components in segment-id order (gmm only)."""
        return getattr(self.model, "mixture_", None)

    @property
    def model_features(self) -> tuple[str, ...]:
        """Names of the clustering-space columns: the features, or component_1..q."""
        return self.reduction.component_names if self.reduction is not None else self.feature_names


def validate_matrix(X: np.ndarray, feature_names: Sequence[str], k_needed: int, indicators: Sequence[int] = ()) -> None:
    """Raise SegmentationError, naming the culprit, if X cannot be clustered into k_needed. `indicators`:
    columns of category indicators, which may be constant (a category no row has)."""
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
        if j not in indicators and (column == column[0]).all():
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


def segment(
    X: np.ndarray, feature_names: Sequence[str], spec: SegmentationSpec, warm_start: np.ndarray | None = None
) -> Segmentation:
    """Run the k sweep, fit the final model on at most fit_sample_size rows, then assign
    every row of X to its nearest centroid. `warm_start`: the previous model's centroids in
    X's space; k-means keeps the fit refined from them unless a fresh fit is clearly better.
    Each phase is logged as it ends (phases.timed) and timed in phase_seconds."""
    X = np.asarray(X, dtype=np.float64)
    validate_matrix(X, feature_names, spec.k_needed, [j for group in spec.categorical_groups for j in group])
    with single_threaded():
        return _segment(X, tuple(feature_names), spec, warm_start)


def _segment(
    X: np.ndarray, feature_names: tuple[str, ...], spec: SegmentationSpec, warm_start: np.ndarray | None = None
) -> Segmentation:
    X_fit = X[sample_rows(X.shape[0], spec.fit_sample_size, spec.random_state)]
    durations: dict[str, float] = {}
    reduction = None
    if spec.reduction is not None:
        method, n_components = spec.reduction["method"], spec.reduction["n_components"]
        with timed(spec.case, "reduction", durations, "reduction") as step:
            reduction = fit_reduction(X_fit, method, n_components, spec.random_state)
            C, C_fit = reduction.transform(X), reduction.transform(X_fit)
            step.detail = f"{method} to {n_components} components"
        validate_matrix(C_fit, reduction.component_names, spec.k_needed)
        if warm_start is not None:  # previous centres in X's space, projected like the rows
            warm_start = reduction.transform(warm_start)
    else:
        C, C_fit = X, X_fit  # the clustering space
    # The k sweep ranks k on a smaller sample: its cost is (k_max - k_min + 1) fits.
    C_sweep = C_fit[sample_rows(C_fit.shape[0], spec.sweep_sample_size, spec.random_state)]
    # The Ward tree serves the sweep's ward criterion, segment_ward_merges and the ward algorithm.
    segmenter = SEGMENTERS[spec.algorithm]
    tree = None
    if spec.runs_k_sweep or segmenter.uses_ward_tree:
        with timed(spec.case, "ward tree", durations, "ward_tree") as step:
            tree = ward.build_tree(C_sweep, spec.ward_sample_size, spec.random_state)
            step.detail = f"{min(C_sweep.shape[0], spec.ward_sample_size)} rows"
    if spec.runs_k_sweep:
        choice = select_k(C_sweep, spec, tree=tree, durations=durations)
    else:  # a fixed k without a sweep: nothing to recommend
        reason = f"k = {spec.k}: fixed by the case's k setting (no k sweep; k_sweep: true shows the recommendations)."
        choice = KChoice(pd.DataFrame(), spec.k, spec.k, None, reason)
    k = spec.k or choice.k
    with timed(spec.case, "final fit", durations, "final_fit") as step:
        model = segmenter.from_spec(spec, k, final=True, warm_start=warm_start, tree=tree)
        model = model.fit(C_sweep if segmenter.uses_ward_tree else C_fit)  # Ward: the tree's rows
        # Segment 1 is the largest; equal sizes are ordered by centre coordinates, so ids do not
        # depend on the fit's arbitrary cluster numbering.
        model = model.reordered(_size_order(model.predict(C), model.centers_))
        centroids, labels, probabilities = model.centers_, model.predict(C), model.predict_proba(C)
        sq_dist = ((C - centroids[labels]) ** 2).sum(axis=1)
        sizes = np.bincount(labels, minlength=k)
        sil_rows = sample_rows(X.shape[0], spec.silhouette_sample_size, spec.random_state)
        inertia = float(sq_dist.sum())
        metrics = {  # scalars only, so callers can store them as numbers
            "inertia": inertia,
            **cluster_scores(C, labels, sil_rows),
            "silhouette_rows": int(sil_rows.size),
            "n_rows": int(X.shape[0]),
            "n_fit_rows": int(X_fit.shape[0]),
            "n_features": int(X.shape[1]),
            "n_restarts": int(model.n_restarts_),
            "trimmed_rows": int(model.n_trimmed_),
            "min_segment_share": float(sizes.min() / X.shape[0]),
            "max_segment_share": float(sizes.max() / X.shape[0]),
        }
        segment_means = centroids if reduction is None else _group_means(X, labels, k)
        projection_2d = fit_projection_2d(X_fit, spec.random_state)
        step.detail = f"k={k} on {C_fit.shape[0]} rows, inertia {inertia:.1f}, silhouette {metrics['silhouette']:.3f}"
    if reduction is not None:
        metrics["n_components"] = reduction.n_components
        metrics["reduction_explained_variance"] = float(reduction.explained_variance_ratio.sum())
    metrics.update(model.fit_metrics_)
    with timed(spec.case, "naming", durations, "naming") as step:
        names = name_segments(model.traits(segment_means), feature_names, spec.name_max_traits, spec.feature_labels)
        step.detail = f"{len(names)} segments"
    return Segmentation(
        algorithm=spec.algorithm,
        k=k,
        centroids=centroids,
        labels=labels + 1,
        inertia=inertia,
        recommended_k=choice.k,
        statistical_k=choice.statistical_k,
        actionable_k=choice.actionable_k,
        k_reason=choice.reason,
        k_selection=choice.table,
        metrics=metrics,
        ward_merges=ward.merges_table(tree) if tree is not None else None,
        sizes=sizes,
        names=names,
        feature_names=feature_names,
        segment_means=segment_means,
        reduction=reduction,
        projection_2d=projection_2d,
        model=model,
        probabilities=probabilities,
        phase_seconds=durations,
        k_fit_seconds=choice.fit_seconds,
    )


def _group_means(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """(k, p) mean of X's rows per 0-based label (NaN for an empty label)."""
    sums = np.zeros((k, X.shape[1]))
    np.add.at(sums, labels, X)
    counts = np.bincount(labels, minlength=k)[:, np.newaxis]
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def _size_order(labels: np.ndarray, centres: np.ndarray) -> list[int]:
    """Old cluster indices in new id order: largest first, equal sizes by centre coordinates."""
    sizes = np.bincount(labels, minlength=len(centres))
    return sorted(range(len(centres)), key=lambda j: (-sizes[j], tuple(centres[j])))
