"""k-means: best of several seeded scikit-learn fits, plus the seeding of scikit-learn <= 1.2."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from sklearn.cluster import KMeans

LEGACY_INIT = "k-means++-sklearn-1.2"
KMEANS_INITS = ("k-means++", LEGACY_INIT)  # the legacy seeding reproduces old results
WARM_START_SEED = -1  # KMeansFit.seed of a fit refined from the previous model's centroids


# Rounds of leaving out the rows of too-small clusters and fitting again (fit_kmeans, min_share).
TRIM_ROUNDS = 3


@dataclass(frozen=True)
class KMeansFit:
    centroids: np.ndarray  # (k, p), in the input space
    inertia: float  # on the rows fitted (all but the trimmed ones)
    seed: int  # the seed whose fit won
    n_restarts: int  # k-means++ initialisations tried over all seeds
    n_trimmed: int = 0  # rows left out of the fit as members of clusters under min_share


def derive_seeds(random_state: int, n_seeds: int) -> list[int]:
    """Seeds random_state, random_state + 1, ...: the first is random_state itself,
    so n_seeds=1 is exactly a plain KMeans(random_state=random_state)."""
    return [random_state + i for i in range(n_seeds)]


def fit_kmeans(
    X: np.ndarray,
    k: int,
    *,
    n_init: int,
    n_seeds: int,
    random_state: int,
    init: str,
    warm_start: np.ndarray | None = None,
    warm_start_tolerance: float = 0.01,
    min_share: float = 0.0,
) -> KMeansFit:
    """Fit once per seed (n_init restarts each) and keep the lowest inertia; ties keep the
    earlier seed, so the result is deterministic. With `warm_start` (previous centroids), the
    fit refined from them wins unless the best fresh fit's inertia is lower by more than
    `warm_start_tolerance` (relative): segments then move only as far as the data did.

    min_share: a cluster holding fewer than this share of X's rows is not a segment but a few
    outlying rows that captured a centre (e.g. five incomes of 99 million). Its rows are left out and
    the k centres are fitted again on the rest (up to TRIM_ROUNDS times); assigned by nearest
    centre, the left-out rows then join the closest real segment."""
    fit = _fit_best(X, k, n_init, n_seeds, random_state, init, warm_start, warm_start_tolerance)
    kept = np.ones(X.shape[0], dtype=bool)
    for _ in range(TRIM_ROUNDS if min_share > 0 else 0):
        labels = assign(X, fit.centroids)[0]
        tiny = np.bincount(labels, minlength=k) < min_share * X.shape[0]
        if not tiny.any() or np.unique(X[kept & ~tiny[labels]], axis=0).shape[0] < k:
            break
        kept &= ~tiny[labels]
        fit = _fit_best(X[kept], k, n_init, n_seeds, random_state, init, warm_start, warm_start_tolerance)
    return replace(fit, n_trimmed=int((~kept).sum()))


def _fit_best(X, k, n_init, n_seeds, random_state, init, warm_start, warm_start_tolerance) -> KMeansFit:
    fit_one = _fit_legacy if init == LEGACY_INIT else _fit_modern
    best = None
    for seed in derive_seeds(random_state, n_seeds):
        centroids, inertia = fit_one(X, k, n_init, seed)
        if best is None or inertia < best.inertia:
            best = KMeansFit(centroids, float(inertia), seed, n_init * n_seeds)
    if warm_start is not None:
        km = KMeans(n_clusters=k, init=np.asarray(warm_start, dtype=np.float64), n_init=1, algorithm="lloyd").fit(X)
        if km.inertia_ <= best.inertia * (1 + warm_start_tolerance):
            best = KMeansFit(km.cluster_centers_, float(km.inertia_), WARM_START_SEED, best.n_restarts + 1)
    return best


def assign(X: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest centroid per row (ties: lowest index) and its squared distance.

    Sums squared differences directly rather than |x|^2 - 2x.c + |c|^2, to match the SQL
    scoring bit-for-bit as closely as floating point allows."""
    best = np.full(X.shape[0], np.inf)
    labels = np.zeros(X.shape[0], dtype=np.int64)
    for j, centre in enumerate(centroids):
        dist = ((X - centre) ** 2).sum(axis=1)
        closer = dist < best  # strict: an equal distance keeps the lower index
        best[closer] = dist[closer]
        labels[closer] = j
    return labels, best


def _fit_modern(X: np.ndarray, k: int, n_init: int, seed: int) -> tuple[np.ndarray, float]:
    km = KMeans(n_clusters=k, init="k-means++", n_init=n_init, random_state=seed, algorithm="lloyd")
    km.fit(X)
    return km.cluster_centers_, km.inertia_


def _fit_legacy(X: np.ndarray, k: int, n_init: int, seed: int) -> tuple[np.ndarray, float]:
    """KMeans.fit of scikit-learn <= 1.2: n_init seedings drawn in turn from one RandomState,
    each refined by Lloyd; a later run wins only if strictly better and a different partition."""
    random_state = np.random.RandomState(seed)
    # Old KMeans seeded on mean-centred data; centring changes the float rounding of distances.
    X_mean = X.mean(axis=0)
    Xc = X - X_mean
    sq_norms = _row_sq_norms(Xc)
    best = None
    for _ in range(n_init):
        init = legacy_kmeans_plusplus(Xc, k, sq_norms, random_state)
        km = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd").fit(Xc)
        if best is None or (km.inertia_ < best.inertia_ and not _same_partition(km.labels_, best.labels_)):
            best = km
    return best.cluster_centers_ + X_mean, best.inertia_


def legacy_kmeans_plusplus(
    X: np.ndarray, k: int, sq_norms: np.ndarray, random_state: np.random.RandomState
) -> np.ndarray:
    """scikit-learn 1.2's `_kmeans_plusplus` (dense data): the first centre is
    random_state.randint(n) (1.3+ draws it with choice(n, p=weights), shifting every later
    draw); each further centre is the best of 2 + int(log k) candidates drawn in proportion
    to the squared distance to the nearest chosen centre."""
    n_samples = X.shape[0]
    n_local_trials = 2 + int(np.log(k))
    centers = np.empty((k, X.shape[1]), dtype=X.dtype)
    center_id = random_state.randint(n_samples)
    centers[0] = X[center_id]
    closest_dist_sq = _sq_distances(centers[0, np.newaxis], X, sq_norms)
    current_pot = closest_dist_sq.sum()
    for c in range(1, k):
        rand_vals = random_state.uniform(size=n_local_trials) * current_pot
        cumsum = np.cumsum(closest_dist_sq, dtype=np.float64)  # = sklearn's stable_cumsum
        candidate_ids = np.searchsorted(cumsum, rand_vals)
        np.clip(candidate_ids, None, closest_dist_sq.size - 1, out=candidate_ids)
        distance_to_candidates = _sq_distances(X[candidate_ids], X, sq_norms)
        np.minimum(closest_dist_sq, distance_to_candidates, out=distance_to_candidates)
        candidates_pot = distance_to_candidates.sum(axis=1)
        best_candidate = np.argmin(candidates_pot)
        current_pot = candidates_pot[best_candidate]
        closest_dist_sq = distance_to_candidates[best_candidate]
        centers[c] = X[candidate_ids[best_candidate]]
    return centers


def _sq_distances(A: np.ndarray, X: np.ndarray, x_sq_norms: np.ndarray) -> np.ndarray:
    """Squared distances the way scikit-learn 1.2 computed them, same rounding included."""
    a_sq_norms = _row_sq_norms(A)[:, np.newaxis]
    distances = -2 * (A @ X.T)
    distances += a_sq_norms
    distances += x_sq_norms[np.newaxis, :]
    np.maximum(distances, 0, out=distances)
    return distances


def _row_sq_norms(X: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", X, X)  # as sklearn's row_norms, for identical rounding


def _same_partition(labels_a: np.ndarray, labels_b: np.ndarray) -> bool:
    """True when two labelings are the same partition up to renaming the clusters."""
    pairs = np.unique(np.stack([labels_a, labels_b]), axis=1).shape[1]
    return pairs == np.unique(labels_a).size == np.unique(labels_b).size
