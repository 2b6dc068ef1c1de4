"""Bootstrap stability of a k: do fits on resampled data agree on the partition?

For each k: draw stability_bootstraps bootstrap samples (rows drawn with replacement) of a fixed
random subsample S of the data (at most stability_sample_size rows; for Ward also at most
ward_sample_size, as Ward is quadratic in memory), fit the case's algorithm with k clusters on
each, and label *all* rows of S with every fit (nearest centroid for k-means and Ward, most
probable component for gmm). The stability is the mean adjusted Rand index over all pairs of fits,
so every pair is compared on the same rows (no matching of shared bootstrap rows needed).
1 means every resample gives the same partition; values near 0 mean the partition is noise.
The same bootstrap samples serve every k, and every fit uses random_state, so the column is
deterministic. Fits use sweep_n_init restarts, as the k-selection sweep does.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from sklearn.metrics import adjusted_rand_score

from . import gmm, ward
from .kmeans import assign, fit_kmeans
from .sampling import sample_rows
from .spec import SegmentationSpec


def stability_scores(X: np.ndarray, ks: list[int] | np.ndarray, spec: SegmentationSpec) -> np.ndarray:
    """Mean pairwise adjusted Rand index per k (NaN for every k when stability is off)."""
    ks = [int(k) for k in ks]
    if spec.stability_bootstraps == 0:
        return np.full(len(ks), np.nan)
    size = spec.stability_sample_size
    if spec.algorithm == "ward":
        size = min(size, spec.ward_sample_size)
    S = X[sample_rows(X.shape[0], size, spec.random_state)]
    rng = np.random.default_rng(spec.random_state)
    boots = [rng.integers(0, S.shape[0], size=S.shape[0]) for _ in range(spec.stability_bootstraps)]
    distinct = [np.unique(S[idx], axis=0).shape[0] for idx in boots]
    scores = []
    for k in ks:
        if min(distinct) < k:  # some resample cannot form k clusters
            scores.append(np.nan)
            continue
        labelings = [fit_and_label(S[idx], S, k, spec) for idx in boots]
        scores.append(float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(labelings, 2)])))
    return np.array(scores)


def fit_and_label(train: np.ndarray, rows: np.ndarray, k: int, spec: SegmentationSpec) -> np.ndarray:
    """Fit the case's algorithm with k clusters on `train` and label `rows` with it."""
    if spec.algorithm == "gmm":
        fit = gmm.fit_gmm(
            train, k, covariance_type=spec.covariance_type, n_init=spec.sweep_n_init, random_state=spec.random_state
        )
        return gmm.predict(rows, fit)
    if spec.algorithm == "ward":
        tree = ward.build_tree(train, train.shape[0], spec.random_state)
        centroids = ward.centroids(train, ward.cut(tree, k), k)
    else:
        centroids = fit_kmeans(
            train, k, n_init=spec.sweep_n_init, n_seeds=1, random_state=spec.random_state, init=spec.kmeans_init
        ).centroids
    return assign(rows, centroids)[0]
