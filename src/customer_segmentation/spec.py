"""What to segment and how: one validated, immutable spec per case."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .errors import SegmentationError
from .gmm import COVARIANCE_TYPES
from .kmeans import KMEANS_INITS
from .segmenters import SEGMENTERS

ALGORITHMS = tuple(SEGMENTERS)
# Linear reductions applied to the standardised features before clustering.
REDUCTION_METHODS = ("pca", "ica", "random_projection")
# Which recommendation of the k sweep a case without a fixed k uses (selection.py).
K_CHOICES = ("actionable", "statistical")
# Per-feature transforms applied in SQL before standardising (macros/scaling/seg_scaler.sql).
TRANSFORMS = ("winsorize", "log")
# numpy's legacy RandomState takes seeds below 2**32; seeds are random_state + i.
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class SegmentationSpec:
    """A case's engine settings. Defaults and the setting names live in one place, the dbt package's
    macro seg_settings; dbt resolves a case (seg_spec) and hands the result to from_settings, so
    nothing here has a default of its own."""

    case: str
    id_column: str
    features: tuple[str, ...]
    algorithm: str
    k: int | None  # None: use the k recommended by the sweep
    k_min: int
    k_max: int
    random_state: int
    n_init: int  # k-means++ restarts per seed
    n_seeds: int  # seeds random_state, random_state+1, ...; lowest inertia wins
    kmeans_init: str  # "k-means++", or "k-means++-sklearn-1.2" to reproduce old results
    silhouette_sample_size: int
    ward_sample_size: int
    fit_sample_size: int
    sweep_sample_size: int  # rows of the fit sample the k sweep (and Ward) run on
    # Run the k sweep (segment_k_selection, the Ward tree behind segment_ward_merges)? None: only
    # when k is null, since a fixed k needs no recommendation; true: also with a fixed k.
    k_sweep: bool | None
    # The actionable rule (selection.py): the k the criteria prefer among those whose every segment has a
    # bootstrap Jaccard stability >= min_segment_stability and a share of rows in [min_segment_share,
    # max_segment_share].
    k_choice: str
    min_segment_stability: float
    min_segment_share: float
    max_segment_share: float
    # {feature: winsorize | log}, applied in SQL before the z-scores; part of the model (a change refits).
    transforms: dict[str, str] = field(hash=False)
    # Winsorising clips a feature at these quantiles of the training rows (stored with the model).
    winsorize_quantiles: tuple[float, float]
    name_max_traits: int
    # Segment rules (rules.py): depth of the surrogate tree, rules kept per segment.
    rule_max_depth: int
    rules_per_segment: int
    sweep_n_init: int  # restarts per k in the k-selection sweep (one seed)
    # gmm only: GaussianMixture covariance_type; the final fit uses n_init restarts from
    # random_state (n_seeds does not apply to gmm).
    covariance_type: str
    # None, or {"method": "pca" | "ica" | "random_projection", "n_components": int}: cluster
    # on that linear projection of the standardised features instead of the features.
    reduction: dict[str, Any] | None = field(hash=False)
    # Bootstrap fits per k for the k-selection `stability` column (0: not computed), on a
    # sample of at most stability_sample_size rows of the fit sample.
    stability_bootstraps: int
    stability_sample_size: int
    # Refit (k-means): keep the fit refined from the previous model's centroids unless a fresh
    # fit's objective is lower by more than this fraction.
    refit_tolerance: float
    # A feature mean that moved more than this many training sds since the fit triggers a refit.
    refit_drift_threshold: float
    # hash=False keeps the frozen spec hashable despite the dict.
    feature_labels: dict[str, str] = field(hash=False)
    # kprototypes only: the columns (of `categories`) compared by mismatch; seg_spec has added their
    # dummies <column>__<value> to features, which the scaler sets to 0 or sqrt(gamma / 2).
    categorical_features: tuple[str, ...]
    gamma: float  # kprototypes: the cost of one categorical mismatch in squared standardised units

    def __post_init__(self) -> None:
        if isinstance(self.winsorize_quantiles, list):  # as JSON and YAML give it
            object.__setattr__(self, "winsorize_quantiles", tuple(self.winsorize_quantiles))
        _validate(self)

    @classmethod
    def from_settings(cls, case: str, settings: dict) -> SegmentationSpec:
        """The spec of `case` from its resolved settings (the dbt package's seg_spec: every setting
        present). Settings of the SQL side (source, brackets, profile_features, ...) are not the
        engine's and are left out here; seg_spec has validated every name and type."""
        if not isinstance(settings, dict):
            raise SegmentationError(f"case '{case}': settings must be a mapping of setting: value")
        names = [f.name for f in fields(cls) if f.name != "case"]
        missing = [name for name in names if name not in settings]
        if missing:
            raise SegmentationError(
                f"case '{case}': settings lack {', '.join(missing)}; resolve them with the package's seg_spec"
            )
        values = {name: settings[name] for name in names}
        values["features"] = tuple(values["features"] or ())
        values["categorical_features"] = tuple(values["categorical_features"] or ())
        values["feature_labels"] = dict(values["feature_labels"] or {})
        values["transforms"] = dict(values["transforms"] or {})
        values["reduction"] = (
            dict(values["reduction"]) if isinstance(values["reduction"], dict) else values["reduction"]
        )
        return cls(case=case, **values)

    @property
    def categorical_groups(self) -> tuple[tuple[int, ...], ...]:
        """Per categorical feature, the positions in features of its indicator columns (<column>__<value>)."""
        return tuple(
            tuple(j for j, feature in enumerate(self.features) if feature.startswith(f"{column}__"))
            for column in self.categorical_features
        )

    @property
    def runs_k_sweep(self) -> bool:
        return self.k is None if self.k_sweep is None else self.k_sweep

    @property
    def k_needed(self) -> int:
        """The largest k the fit tries: k_max when it sweeps (with a fixed k, that k too), else the fixed k."""
        return max(self.k_max, self.k or 0) if self.runs_k_sweep else self.k

    def parameters(self) -> str:
        """The settings that make a model (JSON): a change to one of them refits. The refresh policy
        (refit_drift_threshold) is left out: changing it changes when to refit, not the model."""
        settings = {key: value for key, value in self.to_dict().items() if key != "refit_drift_threshold"}
        return json.dumps(settings, sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable settings, for run metadata."""
        out = asdict(self)
        out["features"] = list(self.features)
        out["categorical_features"] = list(self.categorical_features)
        out["feature_labels"] = dict(self.feature_labels)
        out["transforms"] = dict(self.transforms)
        out["winsorize_quantiles"] = list(self.winsorize_quantiles)
        out["reduction"] = dict(self.reduction) if self.reduction is not None else None
        return out


def _validate(spec: SegmentationSpec) -> None:
    where = f"case '{spec.case}'"
    if not isinstance(spec.id_column, str) or not spec.id_column:
        raise SegmentationError(f"{where}: id_column must be a non-empty column name")
    _check_features(where, spec.features)
    if spec.algorithm not in ALGORITHMS:
        raise SegmentationError(f"{where}: unknown algorithm '{spec.algorithm}'; use one of {', '.join(ALGORITHMS)}")
    if spec.kmeans_init not in KMEANS_INITS:
        raise SegmentationError(
            f"{where}: unknown kmeans_init '{spec.kmeans_init}'; use one of {', '.join(KMEANS_INITS)}"
        )
    if spec.covariance_type not in COVARIANCE_TYPES:
        raise SegmentationError(
            f"{where}: unknown covariance_type '{spec.covariance_type}'; use one of {', '.join(COVARIANCE_TYPES)}"
        )
    _check_reduction(where, spec.reduction, len(spec.features))
    _check_categorical(where, spec)
    _check_k_rule(where, spec)
    _check_transforms(where, spec)
    _check_int(where, "k_min", spec.k_min, minimum=2)
    _check_int(where, "k_max", spec.k_max, minimum=2)
    if spec.k_max < spec.k_min:
        raise SegmentationError(f"{where}: k_max ({spec.k_max}) must be at least k_min ({spec.k_min})")
    if spec.k is not None:
        _check_int(where, "k", spec.k, minimum=2, hint="or null to use the recommended k")
    if spec.k_sweep not in (None, True, False):
        raise SegmentationError(f"{where}: k_sweep must be true, false or null (sweep only when k is null)")
    if spec.k_sweep is False and spec.k is None:
        raise SegmentationError(f"{where}: k_sweep is false but k is null: set k, or let the sweep recommend it")
    _check_int(where, "random_state", spec.random_state, minimum=0)
    for name in ("n_init", "n_seeds", "sweep_n_init", "name_max_traits", "rule_max_depth", "rules_per_segment"):
        _check_int(where, name, getattr(spec, name), minimum=1)
    _check_int(where, "stability_bootstraps", spec.stability_bootstraps, minimum=0, hint="0 turns stability off")
    if spec.stability_bootstraps == 1:
        raise SegmentationError(f"{where}: stability_bootstraps must be 0 (off) or at least 2 (fits to compare)")
    if spec.random_state + spec.n_seeds > MAX_SEED:
        raise SegmentationError(f"{where}: random_state must be below {MAX_SEED - spec.n_seeds}")
    # Samples of k rows or fewer cannot score (or, for Ward and the fit, form) k clusters.
    # A stability sample too small for some k just leaves that k's stability NaN.
    _check_int(where, "stability_sample_size", spec.stability_sample_size, minimum=2)
    for name in ("silhouette_sample_size", "ward_sample_size", "fit_sample_size", "sweep_sample_size"):
        _check_int(where, name, getattr(spec, name), minimum=spec.k_needed + 1)
    labels = spec.feature_labels
    if not isinstance(labels, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in labels.items()
    ):
        raise SegmentationError(f"{where}: feature_labels must map feature names to text labels")


def _check_k_rule(where: str, spec: SegmentationSpec) -> None:
    if spec.k_choice not in K_CHOICES:
        raise SegmentationError(f"{where}: unknown k_choice '{spec.k_choice}'; use one of {', '.join(K_CHOICES)}")
    for name in ("min_segment_stability", "min_segment_share", "max_segment_share"):
        value = getattr(spec, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise SegmentationError(f"{where}: {name} must be a number between 0 and 1, got {value!r}")
    if spec.min_segment_share >= spec.max_segment_share:
        raise SegmentationError(
            f"{where}: min_segment_share ({spec.min_segment_share}) must be below max_segment_share "
            f"({spec.max_segment_share})"
        )


def _check_transforms(where: str, spec: SegmentationSpec) -> None:
    for feature, transform in spec.transforms.items():
        if feature.lower() not in {f.lower() for f in spec.features}:
            raise SegmentationError(f"{where}: transforms names '{feature}', which is not one of the case's features")
        if transform not in TRANSFORMS:
            raise SegmentationError(
                f"{where}: unknown transform '{transform}' of '{feature}'; use one of {', '.join(TRANSFORMS)}"
            )
    low_high = spec.winsorize_quantiles
    if (
        not isinstance(low_high, tuple)
        or len(low_high) != 2
        or not all(isinstance(q, int | float) and not isinstance(q, bool) for q in low_high)
        or not 0 <= low_high[0] < low_high[1] <= 1
    ):
        raise SegmentationError(
            f"{where}: winsorize_quantiles must be [low, high] with 0 <= low < high <= 1, e.g. [0.01, 0.99]; "
            f"got {list(low_high) if isinstance(low_high, tuple) else low_high!r}"
        )


def _check_categorical(where: str, spec: SegmentationSpec) -> None:
    if spec.categorical_features and spec.algorithm != "kprototypes":
        raise SegmentationError(
            f"{where}: categorical_features are compared by mismatch only by algorithm kprototypes; with "
            f"{spec.algorithm}, list their dummies in features instead"
        )
    if spec.algorithm != "kprototypes":
        return
    if not spec.categorical_features:
        raise SegmentationError(
            f"{where}: algorithm kprototypes needs categorical_features (columns of categories to compare by "
            "mismatch); without them use kmeans"
        )
    if spec.reduction is not None:
        raise SegmentationError(f"{where}: kprototypes clusters the categories themselves; drop the reduction")
    for column, group in zip(spec.categorical_features, spec.categorical_groups, strict=True):
        if len(group) < 2:
            raise SegmentationError(f"{where}: categorical feature '{column}' has fewer than two dummies in features")
    gamma = spec.gamma
    if isinstance(gamma, bool) or not isinstance(gamma, int | float) or not gamma > 0:
        raise SegmentationError(f"{where}: gamma must be a number above 0, got {gamma!r}")


def _check_reduction(where: str, reduction: Any, n_features: int) -> None:
    if reduction is None:
        return
    example = "e.g. {method: pca, n_components: 3}, or null for none"
    if not isinstance(reduction, dict):
        raise SegmentationError(f"{where}: reduction must be a mapping ({example}), got {reduction!r}")
    unknown = sorted(set(map(str, reduction)) - {"method", "n_components"})
    if unknown:
        raise SegmentationError(
            f"{where}: unknown reduction setting(s) {', '.join(unknown)}; only method and n_components ({example})"
        )
    method = reduction.get("method")
    if method not in REDUCTION_METHODS:
        raise SegmentationError(
            f"{where}: unknown reduction method {method!r}; use one of {', '.join(REDUCTION_METHODS)}"
        )
    n_components = reduction.get("n_components")
    _check_int(where, "reduction.n_components", n_components, minimum=1)
    if n_components > n_features:
        raise SegmentationError(
            f"{where}: reduction.n_components ({n_components}) exceeds the number of features ({n_features}); "
            "a projection cannot have more components than features"
        )


def _check_features(where: str, features: Any) -> None:
    if not isinstance(features, tuple) or not features:
        raise SegmentationError(f"{where}: features is empty; list the columns to cluster on")
    bad = [f for f in features if not isinstance(f, str) or not f]
    if bad:
        raise SegmentationError(f"{where}: features must be column names, got {bad!r}")
    duplicates = sorted({f for f in features if features.count(f) > 1})
    if duplicates:
        raise SegmentationError(f"{where}: features listed more than once: {', '.join(duplicates)}")


def _check_int(where: str, name: str, value: Any, minimum: int, hint: str = "") -> None:
    # bool is an int subclass, but `k: true` is a mistake, not k=1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise SegmentationError(f"{where}: {name} must be an integer, got {value!r}" + (f" ({hint})" if hint else ""))
    if value < minimum:
        raise SegmentationError(f"{where}: {name} must be at least {minimum}, got {value}")
