"""Choosing k: score every k in [k_min, k_max] by five criteria and take a vote.

Rules (each criterion picks one k):
- elbow: k-means inertia, both axes scaled to [0, 1]; the k farthest from the straight line
  joining the first and last points (the "knee"). Needs >= 3 values of k to be informative.
- silhouette: highest mean silhouette, on one fixed random sample of silhouette_sample_size
  rows (the same rows for every k, so scores are comparable).
- calinski_harabasz: highest; davies_bouldin: lowest.
- ward: on a Ward tree of at most ward_sample_size rows, h(k) is the height of the merge that
  leaves k clusters; picks the k with the largest relative jump (h(k-1) - h(k)) / h(k), i.e.
  where merging one cluster further would cost the most.
Recommended k: the k with most votes; a tie goes to the tied k with the best silhouette
(so the silhouette's own choice wins any tie it is part of).
k-means in the sweep uses sweep_n_init restarts from one seed: enough to rank k, cheaper
than the final fit.

Gaussian mixtures (algorithm gmm): for every k a GaussianMixture (the case's covariance_type,
sweep_n_init restarts) is fitted on the same rows, giving `bic` and `aic` (lower is better);
`chosen_by_bic` marks the lowest BIC and, for gmm, the BIC's choice is the recommended k (the
likelihood criterion of the model actually fitted; the other criteria are still reported and
counted in `votes`). For kmeans and ward no mixtures are fitted (that would multiply the sweep's
cost), so bic / aic are NaN and chosen_by_bic is false.

stability: mean pairwise adjusted Rand index of fits on bootstrap resamples (see stability.py);
reported as evidence, it does not vote. NaN when stability_bootstraps is 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

from . import gmm, ward
from .kmeans import assign, fit_kmeans
from .sampling import sample_rows, single_threaded
from .spec import SegmentationSpec
from .stability import stability_scores

CRITERIA = ("elbow", "silhouette", "calinski_harabasz", "davies_bouldin", "ward")
# Criteria that vote only for some algorithms (bic: gmm); their chosen_by_ column is always present.
EXTRA_CRITERIA = ("bic",)


def select_k(X: np.ndarray, spec: SegmentationSpec, tree: ward.WardTree | None = None) -> tuple[pd.DataFrame, int]:
    """The sweep table (one row per k) and the recommended k.

    `tree` lets the caller reuse a Ward tree it already built on X with the same spec."""
    with single_threaded():
        return _select_k(np.asarray(X, dtype=np.float64), spec, tree)


def _select_k(X: np.ndarray, spec: SegmentationSpec, tree: ward.WardTree | None) -> tuple[pd.DataFrame, int]:
    if tree is None:
        tree = ward.build_tree(X, spec.ward_sample_size, spec.random_state)
    sil_rows = sample_rows(X.shape[0], spec.silhouette_sample_size, spec.random_state)
    table = pd.DataFrame([_score_k(X, k, spec, sil_rows, tree) for k in _ks(spec)])
    table["elbow_distance"] = elbow_distances(table["k"].to_numpy(), table["inertia"].to_numpy())
    table["ward_relative_gap"] = ward_gaps(tree, table["k"].to_numpy())
    table["bic"], table["aic"] = information_criteria(X, table["k"].to_numpy(), spec)
    table["stability"] = stability_scores(X, table["k"].to_numpy(), spec)
    picks = {
        "elbow": _pick(table, "elbow_distance", np.nanargmax),
        "silhouette": _pick(table, "silhouette", np.nanargmax),
        "calinski_harabasz": _pick(table, "calinski_harabasz", np.nanargmax),
        "davies_bouldin": _pick(table, "davies_bouldin", np.nanargmin),
        "ward": _pick(table, "ward_relative_gap", np.nanargmax),
        "bic": _pick(table, "bic", np.nanargmin),
    }
    for criterion, k in picks.items():
        table[f"chosen_by_{criterion}"] = table["k"] == k
    table["votes"] = table[[f"chosen_by_{c}" for c in (*CRITERIA, *EXTRA_CRITERIA)]].sum(axis=1)
    recommended = picks["bic"] if spec.algorithm == "gmm" and picks["bic"] is not None else recommend_k(table)
    table["is_recommended"] = table["k"] == recommended
    return table, recommended


def elbow_distances(ks: np.ndarray, inertia: np.ndarray) -> np.ndarray:
    """Distance of each (k, inertia) point, both scaled to [0, 1], below the chord joining
    the first and last points; the maximum is the knee."""
    x = (ks - ks[0]) / max(ks[-1] - ks[0], 1)
    span = inertia[0] - inertia[-1]
    y = (inertia - inertia[-1]) / span if span > 0 else np.zeros_like(inertia)
    # The chord runs from (0, 1) to (1, 0): x + y = 1. Points below it have x + y < 1.
    return (1 - x - y) / np.sqrt(2)


def ward_gaps(tree: ward.WardTree, ks: np.ndarray) -> np.ndarray:
    heights = np.array([ward.merge_height(tree, int(k)) for k in ks])
    above = np.array([ward.merge_height(tree, int(k) - 1) for k in ks])
    with np.errstate(divide="ignore", invalid="ignore"):
        return (above - heights) / heights  # height 0 (duplicate rows) gives inf: k exact groups


def information_criteria(X: np.ndarray, ks: np.ndarray, spec: SegmentationSpec) -> tuple[np.ndarray, np.ndarray]:
    """BIC and AIC of a Gaussian mixture per k (gmm only; NaN for other algorithms)."""
    if spec.algorithm != "gmm":
        return np.full(ks.size, np.nan), np.full(ks.size, np.nan)
    fits = [
        gmm.fit_gmm(
            X, int(k), covariance_type=spec.covariance_type, n_init=spec.sweep_n_init, random_state=spec.random_state
        )
        for k in ks
    ]
    return np.array([f.bic for f in fits]), np.array([f.aic for f in fits])


def _ks(spec: SegmentationSpec) -> range:
    return range(spec.k_min, spec.k_max + 1)


def _score_k(X: np.ndarray, k: int, spec: SegmentationSpec, sil_rows: np.ndarray, tree: ward.WardTree) -> dict:
    fit = fit_kmeans(
        X,
        k,
        n_init=spec.sweep_n_init,
        n_seeds=1,
        random_state=spec.random_state,
        init=spec.kmeans_init,
    )
    labels, sq_dist = assign(X, fit.centroids)
    return {
        "k": k,
        "inertia": float(sq_dist.sum()),
        **cluster_scores(X, labels, sil_rows),
        "ward_merge_height": ward.merge_height(tree, k),
    }


def cluster_scores(X: np.ndarray, labels: np.ndarray, sil_rows: np.ndarray) -> dict:
    """Silhouette (on the given sample rows), Calinski-Harabasz and Davies-Bouldin;
    NaN when a score is undefined (fewer than two non-empty clusters)."""
    return {
        "silhouette": _safe(silhouette_score, X[sil_rows], labels[sil_rows]),
        "calinski_harabasz": _safe(calinski_harabasz_score, X, labels),
        "davies_bouldin": _safe(davies_bouldin_score, X, labels),
    }


def _safe(score: Callable, X: np.ndarray, labels: np.ndarray) -> float:
    n_clusters = np.unique(labels).size
    if n_clusters < 2 or n_clusters >= X.shape[0]:
        return float("nan")
    return float(score(X, labels))


def _pick(table: pd.DataFrame, column: str, arg: Callable) -> int | None:
    """The k chosen by one criterion; None (no vote) if it is undefined for every k."""
    values = table[column].to_numpy(dtype=float)
    if np.isnan(values).all():
        return None
    return int(table["k"].iloc[arg(values)])


def recommend_k(table: pd.DataFrame) -> int:
    """Most votes; a tie goes to the tied k with the best silhouette, then the smaller k."""
    tied = table[table["votes"] == table["votes"].max()]
    silhouette = tied["silhouette"].fillna(-np.inf).to_numpy()
    return int(tied["k"].iloc[int(np.argmax(silhouette))])  # argmax: first (smallest k) on ties
