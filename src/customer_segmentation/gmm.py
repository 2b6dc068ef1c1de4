"""Gaussian mixture models, stored so that SQL can reproduce the posteriors.

A fit is kept as, per component c: the mixing weight w_c, the mean mu_c and the upper-triangular
Cholesky factor P_c of its precision matrix (scikit-learn's `precisions_cholesky_`, expanded to
a (p, p) matrix for every covariance type: `tied` repeats the shared one, `diag` and `spherical`
are diagonal). The log-density of a row x under component c is

    log w_c - p/2 log(2 pi) + log det P_c - 1/2 sum_j y_cj^2,   y_cj = sum_{i <= j} (x_i - mu_ci) P_c[i, j]

(linear sums only, so SQL computes it; see macros/scoring/seg_gmm_posteriors.sql) and the
posteriors are its softmax over c. `log_densities` computes it in exactly that form, so the
engine's labels are what the SQL scoring gives, not a re-rounded scikit-learn predict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp
from sklearn.mixture import GaussianMixture

LOG_2PI = float(np.log(2 * np.pi))
# GaussianMixture covariance types (scikit-learn names).
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


@dataclass(frozen=True)
class GmmFit:
    covariance_type: str
    weights: np.ndarray  # (k,)
    means: np.ndarray  # (k, p)
    precisions_cholesky: np.ndarray  # (k, p, p), upper triangular
    converged: bool
    n_iter: int
    lower_bound: float  # per-row log-likelihood lower bound of the best restart
    bic: float  # on the rows the model was fitted on
    aic: float

    @property
    def k(self) -> int:
        return self.weights.size

    @property
    def log_weights(self) -> np.ndarray:
        return np.log(self.weights)

    @property
    def log_det_precision_cholesky(self) -> np.ndarray:
        """log det P_c = sum of the logs of its diagonal (P_c is triangular)."""
        return np.log(np.diagonal(self.precisions_cholesky, axis1=1, axis2=2)).sum(axis=1)

    def reordered(self, order: np.ndarray | list[int]) -> GmmFit:
        """The same model with component order[i] as component i."""
        order = np.asarray(order)
        return GmmFit(
            self.covariance_type,
            self.weights[order],
            self.means[order],
            self.precisions_cholesky[order],
            self.converged,
            self.n_iter,
            self.lower_bound,
            self.bic,
            self.aic,
        )


def fit_gmm(X: np.ndarray, k: int, *, covariance_type: str, n_init: int, random_state: int) -> GmmFit:
    """scikit-learn GaussianMixture (k-means initialised), best of n_init restarts."""
    model = GaussianMixture(
        n_components=k, covariance_type=covariance_type, n_init=n_init, random_state=random_state
    ).fit(X)
    return GmmFit(
        covariance_type=covariance_type,
        weights=model.weights_.copy(),
        means=model.means_.copy(),
        precisions_cholesky=expand_precisions_cholesky(model.precisions_cholesky_, covariance_type, k, X.shape[1]),
        converged=bool(model.converged_),
        n_iter=int(model.n_iter_),
        lower_bound=float(model.lower_bound_),
        bic=float(model.bic(X)),
        aic=float(model.aic(X)),
    )


def expand_precisions_cholesky(precisions_cholesky: np.ndarray, covariance_type: str, k: int, p: int) -> np.ndarray:
    """scikit-learn's precisions_cholesky_ of any covariance type as k (p, p) matrices."""
    pc = np.asarray(precisions_cholesky, dtype=np.float64)
    if covariance_type == "full":
        return pc.copy()
    if covariance_type == "tied":
        return np.repeat(pc[np.newaxis], k, axis=0)
    if covariance_type == "diag":
        return np.stack([np.diag(row) for row in pc])
    if covariance_type == "spherical":
        return np.stack([value * np.eye(p) for value in pc])
    raise ValueError(f"unknown covariance_type {covariance_type!r}")


def log_densities(X: np.ndarray, fit: GmmFit) -> np.ndarray:
    """(n, k) log w_c + log N(x | mu_c, Sigma_c), computed as the SQL scoring does."""
    n, p = X.shape
    out = np.empty((n, fit.k))
    log_w, log_det = fit.log_weights, fit.log_det_precision_cholesky
    for c in range(fit.k):
        y = (X - fit.means[c]) @ fit.precisions_cholesky[c]
        out[:, c] = log_w[c] - 0.5 * p * LOG_2PI + log_det[c] - 0.5 * (y * y).sum(axis=1)
    return out


def posteriors(X: np.ndarray, fit: GmmFit) -> np.ndarray:
    """(n, k) component probabilities of every row (rows sum to 1)."""
    log_density = log_densities(X, fit)
    return np.exp(log_density - logsumexp(log_density, axis=1, keepdims=True))


def predict(X: np.ndarray, fit: GmmFit) -> np.ndarray:
    """Most probable component per row, 0-based; ties go to the lower index."""
    return np.argmax(log_densities(X, fit), axis=1)
