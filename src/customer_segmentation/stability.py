"""Bootstrap stability of a k: do fits on resampled data agree on the partition and on each segment?

For each k: draw stability_bootstraps bootstrap samples (rows drawn with replacement) of a fixed
random subsample S of the data (at most stability_sample_size rows; for Ward also at most
ward_sample_size, as Ward is quadratic in memory), fit the case's algorithm with k clusters on
each, and label *all* rows of S with every fit (nearest centroid for k-means and Ward, most
probable component for gmm), so every pair of fits is compared on the same rows.
- stability: the mean adjusted Rand index over all pairs of bootstrap fits. 1 means every resample
  gives the same partition; values near 0 mean the partition is noise. A global index: splitting one
  of five clear groups in two at random still scores ~0.95, as the other four agree.
- segment_stability: Hennig's clusterwise stability (clusterboot): each segment of a reference fit
  on S is matched to its most similar cluster of every bootstrap fit (Jaccard index of their rows);
  a segment's stability is the mean over the fits, and the column holds the least stable segment's.
  An arbitrary split shows here (its halves score ~0.5-0.7): it is what "every segment is
  reproducible" means (Hennig: >= 0.75 stable, >= 0.85 highly stable).
The reference fit also labels every row of the data, giving the smallest and largest segment share.
k-means fits here, like the final fit of a k the sweep chose, leave out the rows of clusters under
min_segment_share and fit again (kmeans.fit_kmeans): a few outliers do not hold a segment of their own.
The sweep's indices (selection.py) stay those of plain k-means.
The same bootstrap samples serve every k, and every fit uses random_state, so the columns are
deterministic. Fits use sweep_n_init restarts, as the k-selection sweep does.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import contingency_matrix

from .sampling import sample_rows
from .segmenters import SEGMENTERS, for_spec
from .spec import SegmentationSpec


@dataclass(frozen=True)
class Stability:
    """Per k (arrays aligned with the ks asked for); NaN where not computed."""

    stability: np.ndarray  # mean pairwise ARI of the bootstrap fits
    segment_stability: np.ndarray  # the least stable segment's mean Jaccard index
    min_segment_share: np.ndarray  # smallest segment of the reference fit, share of the data's rows
    max_segment_share: np.ndarray


def stability_scores(X: np.ndarray, ks: list[int] | np.ndarray, spec: SegmentationSpec) -> Stability:
    """Bootstrap stability and segment shares per k (stability NaN for every k when it is off)."""
    ks = [int(k) for k in ks]
    size = spec.stability_sample_size
    if SEGMENTERS[spec.algorithm].uses_ward_tree:  # quadratic in memory
        size = min(size, spec.ward_sample_size)
    sample = sample_rows(X.shape[0], size, spec.random_state)
    S = X[sample]
    rng = np.random.default_rng(spec.random_state)
    boots = [rng.integers(0, S.shape[0], size=S.shape[0]) for _ in range(spec.stability_bootstraps)]
    n_distinct = np.unique(S, axis=0).shape[0]
    distinct = [np.unique(S[idx], axis=0).shape[0] for idx in boots]
    rows = {name: [] for name in ("stability", "segment_stability", "min_segment_share", "max_segment_share")}
    for k in ks:
        reference = fit_and_label(S, X, k, spec) if n_distinct >= k else None
        shares = np.bincount(reference, minlength=k) / X.shape[0] if reference is not None else [np.nan]
        rows["min_segment_share"].append(float(np.min(shares)))
        rows["max_segment_share"].append(float(np.max(shares)))
        if not boots or reference is None or min(distinct) < k:  # off, or some resample cannot form k clusters
            rows["stability"].append(np.nan)
            rows["segment_stability"].append(np.nan)
            continue
        labelings = [fit_and_label(S[idx], S, k, spec) for idx in boots]
        rows["stability"].append(float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(labelings, 2)])))
        rows["segment_stability"].append(least_stable_segment(reference[sample], labelings))
    return Stability(**{name: np.array(values, dtype=float) for name, values in rows.items()})


def least_stable_segment(reference: np.ndarray, labelings: list[np.ndarray]) -> float:
    """min over the reference's segments of the mean (over labelings) best-match Jaccard index."""
    jaccards = []
    for labels in labelings:
        overlap = contingency_matrix(reference, labels)  # reference segments x clusters, row counts
        union = overlap.sum(axis=1, keepdims=True) + overlap.sum(axis=0, keepdims=True) - overlap
        jaccards.append((overlap / union).max(axis=1))
    return float(np.mean(jaccards, axis=0).min())


def fit_and_label(train: np.ndarray, rows: np.ndarray, k: int, spec: SegmentationSpec) -> np.ndarray:
    """Fit the case's algorithm with k clusters on `train` and label `rows` with it."""
    return for_spec(spec, k).fit(train).predict(rows)
