"""One interface for every clustering algorithm, in scikit-learn's style, and the registry of them.

A segmenter stores its parameters at construction (validated there: an unknown name or a value the
algorithm cannot take raises SegmentationError), `fit(X)` returns the fitted segmenter, `predict(X)`
gives each row's 0-based cluster, and the fitted attributes end in an underscore:
- centers_: (k, q) the cluster centres (gmm: the component means);
- labels_: predict of the rows fitted. For Ward that is each row's nearest centre, as the engine and
  the SQL scoring assign rows, not the tree's cut, which may put a sampled row in another cluster;
- n_restarts_, n_trimmed_: initialisations tried, rows left out of the fit (metrics of the final fit);
- fit_metrics_: further metrics of the fit (gmm: bic, aic, ...).
The k sweep (selection.py), stability, the engine and the model artifacts use only this interface;
SEGMENTERS maps each `algorithm:` setting to its class.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np

from . import gmm, ward
from .errors import SegmentationError
from .kmeans import KMEANS_INITS, assign, fit_kmeans

if TYPE_CHECKING:
    from .spec import SegmentationSpec


def _int(minimum: int) -> tuple[str, Callable[[Any], bool]]:
    return f"an integer >= {minimum}", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= minimum


def _number(minimum: float) -> tuple[str, Callable[[Any], bool]]:
    return f"a number >= {minimum}", lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= minimum


def _share() -> tuple[str, Callable[[Any], bool]]:
    return "a number between 0 and 1", lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1


def _one_of(values: tuple) -> tuple[str, Callable[[Any], bool]]:
    return f"one of {', '.join(values)}", lambda v: v in values


class Segmenter(ABC):
    name: ClassVar[str]  # its `algorithm:` setting
    sql_scorer: ClassVar[str]  # the package macro (macros/scoring/) that assigns rows to its model in SQL
    # None: the k sweep's criteria vote on k. A name: the sweep also fits this algorithm per k and that
    # entry of its fit_metrics_ alone picks k (lowest wins).
    k_criterion: ClassVar[str | None] = None
    # Fits a Ward tree, quadratic in memory: on at most ward_sample_size rows of the sweep sample, the
    # engine builds it once for the sweep and the final fit; stability samples at most that many rows.
    uses_ward_tree: ClassVar[bool] = False
    # Its own parameters besides k and random_state: name -> (default, (valid values, test)).
    parameters: ClassVar[dict[str, tuple[Any, tuple[str, Callable[[Any], bool]]]]] = {}

    def __init__(self, k: int, *, random_state: int = 0, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.parameters))
        if unknown:
            takes = ", ".join(["k", "random_state", *self.parameters])
            raise SegmentationError(f"{self.name}: unknown parameter(s) {', '.join(unknown)}; it takes {takes}")
        values = {"k": (k, _int(1)), "random_state": (random_state, _int(0))}
        values.update({name: (params.get(name, default), rule) for name, (default, rule) in self.parameters.items()})
        for name, (value, (valid, test)) in values.items():
            if not test(value):
                raise SegmentationError(f"{self.name}: {name} must be {valid}, got {value!r}")
            setattr(self, name, value)

    @classmethod
    @abstractmethod
    def from_spec(cls, spec: SegmentationSpec, k: int, *, final: bool = False, warm_start=None, tree=None) -> Segmenter:
        """The segmenter of a case's settings: its final fit (`final`; `warm_start`: the previous model's
        centres, `tree`: the Ward tree of the sweep sample), else a fit of the k sweep or of stability."""

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("k", "random_state", *self.parameters)}

    def fit(self, X: np.ndarray) -> Self:
        X = np.asarray(X, dtype=np.float64)
        self.n_restarts_, self.n_trimmed_, self.fit_metrics_ = 0, 0, {}
        self.centers_ = self._fit(X)
        self.labels_ = self.predict(X)
        return self

    @abstractmethod
    def _fit(self, X: np.ndarray) -> np.ndarray:
        """Fit on X; return the (k, q) centres."""

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Nearest centre per row, ties to the lower index (as the SQL scoring)."""
        return assign(X, self.centers_)[0]

    def predict_proba(self, X: np.ndarray) -> np.ndarray | None:
        """(n, k) membership probabilities; None for a hard partition."""
        return None

    def reordered(self, order: np.ndarray | list[int]) -> Self:
        """The fitted segmenter with cluster order[i] as cluster i."""
        out = copy.copy(self)
        out.centers_, out.labels_ = self.centers_[order], np.argsort(order)[self.labels_]
        return out

    def traits(self, segment_means: np.ndarray) -> np.ndarray:
        """The (k, p) scores the segment names are made of (naming.py), from each segment's mean of the
        standardised features: by default those z-scores."""
        return segment_means

    def model_rows(self, model_features: list[str], segment_ids: list[int]) -> list[dict]:
        """Artifact rows (model_artifacts.py) its SQL scorer needs beyond the centroids; segment_ids[i]
        is the stored id of cluster i."""
        return []


class KMeans(Segmenter):
    """Best of n_seeds seeded k-means fits (kmeans.fit_kmeans: warm start, trimming of tiny clusters)."""

    name, sql_scorer = "kmeans", "seg_nearest_centroid"
    parameters = {
        "n_init": (10, _int(1)),
        "n_seeds": (1, _int(1)),
        "init": ("k-means++", _one_of(KMEANS_INITS)),
        "min_share": (0.0, _share()),
        "warm_start": (None, ("None or (k, q) centres", lambda v: v is None or np.ndim(v) == 2)),
        "warm_start_tolerance": (0.01, _number(0)),
    }

    @classmethod
    def from_spec(cls, spec, k, *, final=False, warm_start=None, tree=None):
        # The sweep's and stability's fits: sweep_n_init restarts from one seed, tiny clusters trimmed.
        params = dict(n_init=spec.sweep_n_init, init=spec.kmeans_init, min_share=spec.min_segment_share)
        if final:
            params.update(
                n_init=spec.n_init,
                n_seeds=spec.n_seeds,
                # a warm start applies only when the previous model had the same k
                warm_start=warm_start if warm_start is not None and len(warm_start) == k else None,
                warm_start_tolerance=spec.refit_tolerance,
                # a k the sweep chose has no segment under min_segment_share; a fixed k is fitted as asked
                min_share=spec.min_segment_share if spec.k is None else 0.0,
            )
        return cls(k, random_state=spec.random_state, **params)

    def _fit(self, X):
        params = self.get_params()
        fit = fit_kmeans(X, params.pop("k"), **params)
        self.n_restarts_, self.n_trimmed_ = fit.n_restarts, fit.n_trimmed
        return fit.centroids


class Ward(Segmenter):
    """Ward's hierarchical clustering of at most sample_size rows of X, cut into k clusters; the centres
    are the clusters' means. `tree`: one already built on the X that fit receives (with these
    sample_size and random_state), reused instead of building it again."""

    name, sql_scorer, uses_ward_tree = "ward", "seg_nearest_centroid", True
    parameters = {
        "sample_size": (10_000, _int(2)),
        "tree": (None, ("None or a ward.WardTree", lambda v: v is None or isinstance(v, ward.WardTree))),
    }

    @classmethod
    def from_spec(cls, spec, k, *, final=False, warm_start=None, tree=None):
        return cls(k, random_state=spec.random_state, sample_size=spec.ward_sample_size, tree=tree)

    def _fit(self, X):
        self.tree_ = self.tree if self.tree is not None else ward.build_tree(X, self.sample_size, self.random_state)
        return ward.centroids(X[self.tree_.sample_index], ward.cut(self.tree_, self.k), self.k)


class GaussianMixture(Segmenter):
    """scikit-learn's GaussianMixture, best of n_init restarts; labels are the most probable component,
    computed as the SQL scoring does (gmm.py). mixture_: the fitted model, centers_ its means."""

    name, sql_scorer, k_criterion = "gmm", "seg_gmm_posteriors", "bic"
    parameters = {"n_init": (1, _int(1)), "covariance_type": ("full", _one_of(gmm.COVARIANCE_TYPES))}

    @classmethod
    def from_spec(cls, spec, k, *, final=False, warm_start=None, tree=None):
        n_init = spec.n_init if final else spec.sweep_n_init
        return cls(k, random_state=spec.random_state, n_init=n_init, covariance_type=spec.covariance_type)

    def _fit(self, X):
        self.mixture_ = gmm.fit_gmm(
            X, self.k, covariance_type=self.covariance_type, n_init=self.n_init, random_state=self.random_state
        )
        m, self.n_restarts_ = self.mixture_, self.n_init
        self.fit_metrics_ = dict(
            bic=m.bic, aic=m.aic, gmm_lower_bound=m.lower_bound, gmm_converged=float(m.converged), gmm_n_iter=m.n_iter
        )
        return m.means

    def predict(self, X):
        return gmm.predict(X, self.mixture_)

    def predict_proba(self, X):
        return gmm.posteriors(X, self.mixture_)

    def reordered(self, order):
        out = super().reordered(order)
        out.mixture_ = self.mixture_.reordered(order)
        return out

    def model_rows(self, model_features, segment_ids):
        """gmm_component, gmm_mean and gmm_precision_cholesky rows (model_artifacts.py)."""
        m, features, rows = self.mixture_, model_features, []

        def add(artifact, segment_id, name, value, text=None):
            rows.append(dict(artifact=artifact, segment_id=segment_id, name=name, value=float(value), text=text))

        p = len(features)
        triangle = [(i, j) for j in range(p) for i in range(j + 1) if i == j or m.covariance_type in ("full", "tied")]
        log_w, log_det = m.log_weights, m.log_det_precision_cholesky
        for c, segment_id in enumerate(segment_ids):
            add("gmm_component", segment_id, "weight", m.weights[c])
            add("gmm_component", segment_id, "log_weight", log_w[c])
            add("gmm_component", segment_id, "log_det_precision_cholesky", log_det[c])
            for feature, value in zip(features, m.means[c], strict=True):
                add("gmm_mean", segment_id, feature, value)
            for i, j in triangle:
                add("gmm_precision_cholesky", segment_id, features[i], m.precisions_cholesky[c, i, j], features[j])
        return rows


# An algorithm in a module of its own subclasses Segmenter, so it is imported once Segmenter exists.
from .kprototypes import KPrototypes  # noqa: E402

SEGMENTERS: dict[str, type[Segmenter]] = {cls.name: cls for cls in (KMeans, Ward, GaussianMixture, KPrototypes)}


def for_spec(spec: SegmentationSpec, k: int, **context: Any) -> Segmenter:
    """The case's segmenter with k clusters (Segmenter.from_spec)."""
    return SEGMENTERS[spec.algorithm].from_spec(spec, k, **context)
