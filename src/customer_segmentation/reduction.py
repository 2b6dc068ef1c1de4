"""Linear projections of the standardised features: the optional reduction before clustering
and the 2-D PCA map for scatter plots.

Every supported method is a linear map Z = (X - mean) @ components.T, stored as its mean and
matrix so SQL can project any row (macros/scoring/seg_project.sql):
- pca: scikit-learn PCA (mean = column means of the fit rows; components orthonormal).
- ica: FastICA(whiten="unit-variance"): mean = column means, components = unmixing @ whitening,
  so each component has unit variance on the fit rows.
- random_projection: GaussianRandomProjection; it does not centre, so mean = 0.
explained_variance_ratio: for PCA scikit-learn's explained_variance_ratio_; for ICA and random
projections the variance of each component on the fit rows divided by the total variance of X
(sum of its column variances), both population variances. Only PCA's ratios are shares of X's
variance that add up to at most 1; ICA's reflect the unit-variance scaling (1 / total each) and a
random projection's add up to about 1 on average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA, FastICA
from sklearn.random_projection import GaussianRandomProjection

from .errors import SegmentationError

COMPONENT_PREFIX = "component_"


@dataclass(frozen=True)
class LinearProjection:
    method: str  # pca | ica | random_projection
    mean: np.ndarray  # (p,) subtracted before projecting
    components: np.ndarray  # (q, p): row j maps the centred features to component j + 1
    explained_variance_ratio: np.ndarray  # (q,), see the module docstring

    @property
    def n_components(self) -> int:
        return self.components.shape[0]

    @property
    def component_names(self) -> tuple[str, ...]:
        return component_names(self.n_components)

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=np.float64) - self.mean) @ self.components.T


def component_names(n_components: int) -> tuple[str, ...]:
    return tuple(f"{COMPONENT_PREFIX}{j}" for j in range(1, n_components + 1))


def fit_reduction(X: np.ndarray, method: str, n_components: int, random_state: int) -> LinearProjection:
    """Fit the projection on X (the fit sample of standardised features)."""
    n, p = X.shape
    if n_components > min(n, p):
        raise SegmentationError(
            f"reduction.n_components ({n_components}) must be at most min(rows, features) = {min(n, p)}"
        )
    if method == "pca":
        model = PCA(n_components=n_components, random_state=random_state).fit(X)
        projection = LinearProjection(method, model.mean_.copy(), model.components_.copy(), np.empty(0))
        return _with_ratio(projection, model.explained_variance_ratio_.copy())
    if method == "ica":
        model = FastICA(n_components=n_components, whiten="unit-variance", random_state=random_state).fit(X)
        projection = LinearProjection(method, model.mean_.copy(), model.components_.copy(), np.empty(0))
    elif method == "random_projection":
        model = GaussianRandomProjection(n_components=n_components, random_state=random_state).fit(X)
        projection = LinearProjection(method, np.zeros(p), np.asarray(model.components_, dtype=np.float64), np.empty(0))
    else:
        raise SegmentationError(f"unknown reduction method {method!r}")
    return _with_ratio(projection, variance_ratio(X, projection))


def fit_projection_2d(X: np.ndarray, random_state: int) -> LinearProjection:
    """PCA on (at most) 2 components, for plotting segments; one component when p == 1."""
    return fit_reduction(X, "pca", min(2, X.shape[1], X.shape[0]), random_state)


def variance_ratio(X: np.ndarray, projection: LinearProjection) -> np.ndarray:
    total = X.var(axis=0).sum()
    return projection.transform(X).var(axis=0) / total


def _with_ratio(projection: LinearProjection, ratio: np.ndarray) -> LinearProjection:
    return LinearProjection(projection.method, projection.mean, projection.components, ratio)
