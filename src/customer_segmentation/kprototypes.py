"""k-prototypes for mixed data (Huang 1997): numeric features by squared distance, categorical ones by mismatch.

The algorithm works on a numeric block (n, p) of standardised values and a categorical block (n, m) of
integer codes 0..L-1 into each column's vocabulary, -1 for a missing or unseen category. A prototype is a
numeric centre and one mode code per categorical column. The cost of a row x against prototype (c, mode) is

    sum_f (x_f - c_f)^2  +  gamma * #{categorical columns j : x_j = -1 or x_j != mode_j}

and a row belongs to the prototype of lowest cost, ties to the lower index. A missing or unseen category
mismatches every prototype: it adds gamma to every cost and never changes the assignment.

gamma weighs one categorical mismatch against the numeric squared distance. default_gamma is half the
mean standard deviation of the numeric columns (population sd; the middle of Huang's 1/3 to 2/3 and the
kmodes package's default): 0.5 on standardised features, the case setting `gamma`'s default.

The fit (fit_kprototypes) is a vectorised Lloyd iteration: assign every row, then move each prototype to
its rows' numeric mean and per column mode (ties to the lowest code, so a cluster without a known
category there takes code 0), until no row changes prototype, the cost falls by no more than tol
(relative), or max_iter rounds. Each of n_init restarts is seeded k-means++-style on the combined cost
from one numpy Generator(random_state); the lowest cost wins, ties keep the earlier restart. A cluster
left empty takes the row of highest cost (the lowest index among equals) from a cluster of more than one
row, so every run is deterministic.

The segmenter (KPrototypes) sees a case's categories as indicator columns: a categorical column of the
case becomes one 0/1 column per category of its vocabulary (the dummies `<column>__<value>` the features
model has), which the scaler divides by sqrt(2 / gamma) (macros/scaling/seg_scaler.sql), so a category
present is sqrt(gamma / 2) and one absent 0. In that space a prototype is its numeric centre and, per
categorical column, the indicator of its mode, and the squared distance of a row with one known category
per column to a prototype is exactly the cost above (two differing indicators add 2 * gamma / 2 = gamma).
A row without a known category in a column (every indicator 0) is gamma / 2 from every prototype there:
the same for all, so it never changes the assignment, as in the cost above. So the nearest prototype is
the nearest centre, and the SQL scorer of k-means (seg_nearest_centroid) scores k-prototypes exactly:
SQL assignment = predict on every row. The k sweep's indices, stability, refit matching of segment ids
and the 2-D map all work on this space, whose distances are the k-prototypes cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import SegmentationError
from .naming import MIN_Z
from .segmenters import Segmenter, _int, _number

DEFAULT_GAMMA_FACTOR = 0.5  # default_gamma: this times the mean numeric standard deviation
MISSING = -1  # the code of a missing or unseen category


@dataclass(frozen=True)
class PrototypesFit:
    centres: np.ndarray  # (k, p) numeric centres
    modes: np.ndarray  # (k, m) mode code per categorical column
    gamma: float  # the weight the fit used
    cost: float  # total cost of the fit rows against the prototypes
    n_iter: int  # Lloyd rounds of the winning restart
    n_init: int  # restarts tried


def default_gamma(numeric: np.ndarray) -> float:
    """0.5 × the mean (population) standard deviation of the numeric columns; 1.0 when there is no numeric
    column or none varies (k-modes: any positive gamma gives the same partition)."""
    numeric = np.asarray(numeric, dtype=np.float64)
    mean_sd = float(numeric.std(axis=0).mean()) if numeric.shape[1] else 0.0
    return DEFAULT_GAMMA_FACTOR * mean_sd if mean_sd > 0 else 1.0


def assign_prototypes(
    numeric: np.ndarray, categorical: np.ndarray, centres: np.ndarray, modes: np.ndarray, gamma: float
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the lowest-cost prototype per row (ties: the lowest index) and that cost."""
    return _assign(*_columns(numeric, categorical), centres, modes, gamma)


def _columns(numeric, categorical) -> tuple[np.ndarray, np.ndarray]:
    """The blocks column by column ((p, n) and (m, n), contiguous): the cost loops over columns."""
    return np.ascontiguousarray(np.asarray(numeric, dtype=np.float64).T), np.ascontiguousarray(categorical.T)


def _costs(num_cols, cat_cols, centre, mode, gamma) -> np.ndarray:
    """(n,) cost of every row against one prototype: the squared numeric differences added feature by
    feature in column order, plus gamma times the mismatches (a missing code, -1, always mismatches)."""
    cost = np.zeros(num_cols.shape[1])
    for column, value in zip(num_cols, centre, strict=True):
        cost += (column - value) ** 2
    matches = np.zeros(cat_cols.shape[1], dtype=np.int64)
    for column, value in zip(cat_cols, mode, strict=True):
        if value >= 0:  # a mode of -1 matches nothing, a code of -1 no mode
            matches += column == value
    return cost + gamma * (len(cat_cols) - matches)


def _assign(num_cols, cat_cols, centres, modes, gamma) -> tuple[np.ndarray, np.ndarray]:
    best = np.full(num_cols.shape[1], np.inf)
    labels = np.zeros(num_cols.shape[1], dtype=np.int64)
    for j in range(len(centres)):
        cost = _costs(num_cols, cat_cols, centres[j], modes[j], gamma)
        closer = cost < best  # strict: an equal cost keeps the lower index
        best[closer] = cost[closer]
        labels[closer] = j
    return labels, best


def fit_kprototypes(
    numeric: np.ndarray,
    categorical: np.ndarray,
    k: int,
    *,
    gamma: float | None = None,
    n_init: int = 10,
    max_iter: int = 100,
    tol: float = 1e-4,
    random_state: int = 0,
) -> PrototypesFit:
    """Best of n_init seeded Lloyd fits (module docstring); gamma None: default_gamma(numeric)."""
    numeric, categorical = _blocks(numeric, categorical)
    if numeric.shape[0] < k:
        raise SegmentationError(f"kprototypes: only {numeric.shape[0]} rows, fewer than k={k}")
    gamma = default_gamma(numeric) if gamma is None else float(gamma)
    rng = np.random.default_rng(random_state)
    levels = np.maximum(categorical.max(axis=0, initial=MISSING) + 1, 1)  # codes per column: 0..levels-1
    num_cols, cat_cols = _columns(numeric, categorical)
    best = None
    for _ in range(n_init):
        centres, modes = _seed(num_cols, cat_cols, k, gamma, rng)
        fit = _lloyd(num_cols, cat_cols, centres, modes, gamma, levels, max_iter, tol)
        if best is None or fit[2] < best[2]:
            best = fit
    centres, modes, cost, n_iter = best
    return PrototypesFit(centres, modes, gamma, float(cost), n_iter, n_init)


def _blocks(numeric, categorical) -> tuple[np.ndarray, np.ndarray]:
    numeric = np.asarray(numeric, dtype=np.float64)
    codes = np.asarray(categorical)
    if numeric.ndim != 2 or codes.ndim != 2 or numeric.shape[0] != codes.shape[0]:
        raise SegmentationError(
            f"kprototypes: the numeric {numeric.shape} and categorical {codes.shape} blocks must be 2-D with one row "
            "per customer"
        )
    if not np.isfinite(numeric).all():
        raise SegmentationError("kprototypes: the numeric features must be finite")
    if codes.size and not (np.issubdtype(codes.dtype, np.number) and np.isfinite(codes).all()):
        raise SegmentationError("kprototypes: categorical codes must be integers >= -1")
    as_int = codes.astype(np.int64)
    if (as_int != codes).any() or (as_int < MISSING).any():
        raise SegmentationError("kprototypes: categorical codes must be integers >= -1 (-1: missing or unseen)")
    return numeric, as_int


def _seed(num_cols, cat_cols, k, gamma, rng) -> tuple[np.ndarray, np.ndarray]:
    """k-means++ on the combined cost: each next seed row drawn in proportion to its cost to the nearest
    seed so far, the best of 2 + log(k) such draws (scikit-learn's greedy variant)."""
    n = num_cols.shape[1]
    rows = [int(rng.integers(n))]
    closest = _costs(num_cols, cat_cols, num_cols[:, rows[0]], cat_cols[:, rows[0]], gamma)
    n_trials = 2 + int(np.log(k))
    for _ in range(1, k):
        total = closest.sum()
        if total > 0:
            candidates = np.searchsorted(np.cumsum(closest), rng.uniform(size=n_trials) * total, side="right")
            candidates = np.minimum(candidates, n - 1)
        else:  # every row costs 0 to a seed: any row will do
            candidates = rng.integers(n, size=n_trials)
        best_pot, best_row, best_closest = np.inf, None, None
        for row in candidates:
            cost = np.minimum(closest, _costs(num_cols, cat_cols, num_cols[:, row], cat_cols[:, row], gamma))
            pot = cost.sum()
            if pot < best_pot:
                best_pot, best_row, best_closest = pot, int(row), cost
        rows.append(best_row)
        closest = best_closest
    return num_cols[:, rows].T.copy(), cat_cols[:, rows].T.copy()


def _lloyd(num_cols, cat_cols, centres, modes, gamma, levels, max_iter, tol):
    k = len(centres)
    labels, cost = _assign(num_cols, cat_cols, centres, modes, gamma)
    total, n_iter, done = cost.sum(), 0, False
    while not done and n_iter < max_iter:
        n_iter += 1
        labels = _fill_empty(labels, cost, k)
        centres, modes = _update(num_cols, cat_cols, labels, k, levels)
        new_labels, cost = _assign(num_cols, cat_cols, centres, modes, gamma)
        new_total = cost.sum()
        done = np.array_equal(new_labels, labels) or total - new_total <= tol * total
        labels, total = new_labels, new_total
    return centres, modes, total, n_iter


def _fill_empty(labels: np.ndarray, cost: np.ndarray, k: int) -> np.ndarray:
    """Labels where each empty cluster took the costliest row (lowest index among equals) of a cluster
    holding more than one row."""
    sizes = np.bincount(labels, minlength=k)
    if sizes.all():
        return labels
    labels, cost = labels.copy(), cost.copy()
    for j in np.flatnonzero(sizes == 0):
        movable = np.where(sizes[labels] > 1, cost, -np.inf)
        row = int(np.argmax(movable))
        sizes[labels[row]] -= 1
        sizes[j] += 1
        labels[row], cost[row] = j, 0.0
    return labels


def _update(num_cols, cat_cols, labels, k, levels) -> tuple[np.ndarray, np.ndarray]:
    """Per cluster the numeric mean and each column's mode: the most frequent known code, ties to the lowest
    (so code 0 when the cluster has no known code there)."""
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    centres = np.empty((k, len(num_cols)))
    for f, column in enumerate(num_cols):
        centres[:, f] = np.bincount(labels, weights=column, minlength=k) / sizes
    modes = np.empty((k, len(cat_cols)), dtype=np.int64)
    for j, (codes, n_levels) in enumerate(zip(cat_cols, levels, strict=True)):
        known = codes >= 0
        counts = np.bincount(labels[known] * n_levels + codes[known], minlength=k * n_levels).reshape(k, n_levels)
        modes[:, j] = counts.argmax(axis=1)
    return centres, modes


def _column_groups(v) -> bool:
    flat = [i for group in v for i in group] if isinstance(v, tuple) and all(isinstance(g, tuple) for g in v) else None
    return (
        flat is not None
        and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in flat)
        and (len(set(flat)) == len(flat))
    )


class KPrototypes(Segmenter):
    """k-prototypes on X whose `categorical_groups` (one tuple of column indices per categorical column)
    hold the scaled indicators of the module docstring and whose other columns are standardised numeric
    features. centers_: the numeric centres and, per group, the indicator of the mode (sqrt(gamma / 2) at
    the mode's column, 0 elsewhere); gamma_: 2 * the indicator value, the gamma the scaler applied.
    Without categorical groups it is k-means with Lloyd's iteration."""

    name, sql_scorer = "kprototypes", "seg_nearest_centroid"  # nearest prototype = nearest centre
    parameters = {
        "categorical_groups": ((), ("a tuple of tuples of distinct column indices >= 0", _column_groups)),
        "n_init": (10, _int(1)),
        "max_iter": (100, _int(1)),
        "tol": (1e-4, _number(0)),
    }

    @classmethod
    def from_spec(cls, spec, k, *, final=False, warm_start=None, tree=None):
        n_init = spec.n_init if final else spec.sweep_n_init
        return cls(k, random_state=spec.random_state, categorical_groups=spec.categorical_groups, n_init=n_init)

    def _fit(self, X):
        numeric, codes, indicator = self._encode(X)
        fit = fit_kprototypes(
            numeric,
            codes,
            self.k,
            gamma=2 * indicator**2,
            n_init=self.n_init,
            max_iter=self.max_iter,
            tol=self.tol,
            random_state=self.random_state,
        )
        self.gamma_, self.n_restarts_ = fit.gamma, fit.n_init
        self.fit_metrics_ = dict(kprototypes_cost=fit.cost, kprototypes_gamma=fit.gamma, kprototypes_n_iter=fit.n_iter)
        centers = np.zeros((self.k, X.shape[1]))
        centers[:, self._numeric_columns(X)] = fit.centres
        for group, modes in zip(self.categorical_groups, fit.modes.T, strict=True):
            centers[np.arange(self.k), np.asarray(group)[modes]] = indicator
        return centers

    def traits(self, segment_means):
        """The numeric z-scores as they are, and each mode as the weakest trait a name takes (naming.MIN_Z),
        so names lead with the numeric traits that stand out, then the modes; a mode every segment shares
        tells no segment apart and is left out."""
        traits = np.array(segment_means, dtype=np.float64)
        for group in map(list, self.categorical_groups):
            modes = traits[:, group] > 0
            traits[:, group] = MIN_Z * (modes & ~modes.all(axis=0))
        return traits

    @property
    def _categorical_columns(self) -> list[int]:
        return [j for group in self.categorical_groups for j in group]

    def _numeric_columns(self, X) -> np.ndarray:
        return np.setdiff1d(np.arange(X.shape[1]), self._categorical_columns)

    def _encode(self, X) -> tuple[np.ndarray, np.ndarray, float]:
        """The numeric block, the category codes (position of the indicator within its group, -1 when
        none is set) and the indicator value sqrt(gamma / 2) shared by every categorical column."""
        X = np.asarray(X, dtype=np.float64)
        columns = self._categorical_columns
        if columns and max(columns) >= X.shape[1]:
            raise SegmentationError(
                f"kprototypes: categorical column {max(columns)} is outside X's {X.shape[1]} columns"
            )
        present = X[:, columns]
        values = np.unique(present[present != 0])
        if values.size > 1 or (values.size and values[0] < 0):
            raise SegmentationError(
                "kprototypes: every categorical indicator must be 0 or one positive value (sqrt(gamma / 2), "
                f"as the case's scaler sets it), got {values[:5].tolist()}"
            )
        codes = np.full((X.shape[0], len(self.categorical_groups)), MISSING)
        for g, group in enumerate(self.categorical_groups):
            set_ = X[:, list(group)] != 0
            if (set_.sum(axis=1) > 1).any():
                raise SegmentationError(f"kprototypes: a row has two categories set in columns {list(group)}")
            codes[set_.any(axis=1), g] = set_.argmax(axis=1)[set_.any(axis=1)]
        indicator = float(values[0]) if values.size else np.sqrt(0.5)  # no category anywhere: any gamma
        return X[:, self._numeric_columns(X)], codes, indicator
