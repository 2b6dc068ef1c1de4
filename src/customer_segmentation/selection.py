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

stability, segment_stability, min_segment_share, max_segment_share: bootstrap stability of the
partition (ARI) and of its least stable segment (Jaccard), and the smallest and largest segment's share
of the rows (stability.py). They do not vote; the actionable rule reads them.

Two choices, both kept in the table (is_statistical_choice, is_actionable_choice):
- statistical: the vote above (for gmm: the lowest BIC). Silhouette, Calinski-Harabasz and
  Davies-Bouldin favour small k, so on real customer data this is often 2 coarse groups.
- actionable: among the k whose every segment is reproducible (segment_stability >=
  min_segment_stability) and holds between min_segment_share and max_segment_share of the rows
  (meets_rule), the one the same criteria vote for (gmm: the lowest BIC): segments a marketer can act
  on, with the best structure among them. A group of a few outliers is below min_segment_share, so it
  never makes k. None when no k meets the rule. (Not simply the largest such k: a large round group
  split in two can be split the same way on every resample, so stability alone would admit it.)
k_choice (actionable, the default, or statistical) says which one a case without a fixed k uses
(is_recommended); if no k meets the rule, the statistical choice is used and the reason says so.
`reason` explains the choice in one sentence, stored with the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

from . import ward
from .phases import timed
from .sampling import sample_rows, single_threaded
from .segmenters import SEGMENTERS, KMeans, for_spec
from .spec import SegmentationSpec
from .stability import stability_scores

CRITERIA = ("elbow", "silhouette", "calinski_harabasz", "davies_bouldin", "ward")
# Criteria that vote only for some algorithms (bic: gmm); their chosen_by_ column is always present.
EXTRA_CRITERIA = ("bic",)
# Columns of the sweep's fit of the case's algorithm itself (a segmenter with a k_criterion); NaN otherwise.
INFORMATION_CRITERIA = ("bic", "aic")


@dataclass(frozen=True)
class KChoice:
    table: pd.DataFrame  # one row per k: every index, the stability and shares, the choices
    k: int  # the recommendation the case's k_choice picks
    statistical_k: int
    actionable_k: int | None  # None: no k meets the actionable rule
    reason: str  # the choice in one sentence
    # Seconds of each k's fits in the sweep; kept out of `table`, which is identical run to run.
    fit_seconds: dict[int, float] = field(default_factory=dict)


def select_k(
    X: np.ndarray,
    spec: SegmentationSpec,
    tree: ward.WardTree | None = None,
    durations: dict[str, float] | None = None,
) -> KChoice:
    """Score every k of [k_min, k_max] and recommend one (module docstring).

    `tree` lets the caller reuse a Ward tree it already built on X with the same spec. Logs each k and
    each phase (phases.timed) and adds the seconds of the k_sweep and stability phases to `durations`."""
    with single_threaded():
        return _select_k(np.asarray(X, dtype=np.float64), spec, tree, durations)


def _select_k(
    X: np.ndarray, spec: SegmentationSpec, tree: ward.WardTree | None, durations: dict[str, float] | None
) -> KChoice:
    fit_seconds = {}
    with timed(spec.case, "k sweep", durations, "k_sweep") as sweep:
        if tree is None:
            tree = ward.build_tree(X, spec.ward_sample_size, spec.random_state)
        sil_rows = sample_rows(X.shape[0], spec.silhouette_sample_size, spec.random_state)
        rows = []
        for k in _ks(spec):
            with timed(spec.case, f"k sweep k={k}") as step:
                rows.append(_score_k(X, k, spec, sil_rows, tree))
                step.detail = f"inertia {rows[-1]['inertia']:.1f}, silhouette {rows[-1]['silhouette']:.3f}"
            fit_seconds[k] = step.seconds
        table = pd.DataFrame(rows)
        table["elbow_distance"] = elbow_distances(table["k"].to_numpy(), table["inertia"].to_numpy())
        table["ward_relative_gap"] = ward_gaps(tree, table["k"].to_numpy())
        sweep.detail = f"k={spec.k_min}..{spec.k_max} on {X.shape[0]} rows"
    with timed(spec.case, "stability", durations, "stability") as step:
        stability = stability_scores(X, table["k"].to_numpy(), spec)
        step.detail = f"{spec.stability_bootstraps} bootstraps per k on at most {spec.stability_sample_size} rows"
    for column in ("stability", "segment_stability", "min_segment_share", "max_segment_share"):
        table[column] = getattr(stability, column)
    statistical, picks = vote(table, spec)
    for criterion, k in picks.items():
        table[f"chosen_by_{criterion}"] = table["k"] == k
    table["votes"] = table[[f"chosen_by_{c}" for c in (*CRITERIA, *EXTRA_CRITERIA)]].sum(axis=1)
    table["meets_rule"] = meets_actionable_rule(table, spec)
    actionable, actionable_picks = vote(table[table["meets_rule"]], spec)
    k = actionable if spec.k_choice == "actionable" and actionable is not None else statistical
    table["is_statistical_choice"] = table["k"] == statistical
    table["is_actionable_choice"] = table["k"] == actionable
    table["is_recommended"] = table["k"] == k
    reason = explain_choice(spec, table, picks, actionable_picks)
    return KChoice(table, k, statistical, actionable, reason, fit_seconds)


def vote(table: pd.DataFrame, spec: SegmentationSpec) -> tuple[int | None, dict[str, int | None]]:
    """The k the criteria recommend among the table's rows, and each criterion's pick; None for no rows."""
    picks = {
        "elbow": _pick(table, "elbow_distance", np.nanargmax),
        "silhouette": _pick(table, "silhouette", np.nanargmax),
        "calinski_harabasz": _pick(table, "calinski_harabasz", np.nanargmax),
        "davies_bouldin": _pick(table, "davies_bouldin", np.nanargmin),
        "ward": _pick(table, "ward_relative_gap", np.nanargmax),
        "bic": _pick(table, "bic", np.nanargmin),
    }
    if table.empty:
        return None, picks
    criterion = SEGMENTERS[spec.algorithm].k_criterion
    if criterion is not None and picks[criterion] is not None:
        return picks[criterion], picks
    votes = sum((table["k"] == k).astype(int) for c, k in picks.items() if c in CRITERIA)
    return recommend_k(table.assign(votes=votes)), picks


def meets_actionable_rule(table: pd.DataFrame, spec: SegmentationSpec) -> pd.Series:
    """Per k: every segment reproducible and neither too small nor too large (NaN never meets it)."""
    return (
        (table["segment_stability"] >= spec.min_segment_stability)
        & (table["min_segment_share"] >= spec.min_segment_share)
        & (table["max_segment_share"] <= spec.max_segment_share)
    )


def actionable_rule(spec: SegmentationSpec) -> str:
    return (
        f"every segment reproducible (bootstrap Jaccard ≥ {spec.min_segment_stability:g}) and holding "
        f"{spec.min_segment_share:.0%}–{spec.max_segment_share:.0%} of customers"
    )


def explain_choice(spec: SegmentationSpec, table: pd.DataFrame, picks: dict, actionable_picks: dict) -> str:
    """The k a case uses, and why, in one sentence; a fixed k names both recommendations it overrides."""
    statistical = int(table.loc[table["is_statistical_choice"], "k"].iloc[0])
    candidates = table.loc[table["meets_rule"], "k"].tolist()
    rule, ks = actionable_rule(spec), f"{spec.k_min}..{spec.k_max}"
    statistical_text = f"{_voters(spec, picks, statistical)} {statistical}"
    if candidates:
        actionable = int(table.loc[table["is_actionable_choice"], "k"].iloc[0])
        actionable_text = (
            f"of the k with {rule} ({', '.join(map(str, candidates))}), "
            f"{_voters(spec, actionable_picks, actionable)} {actionable}"
        )
    elif spec.stability_bootstraps == 0:
        actionable_text = "the actionable rule cannot run without segment stability (stability_bootstraps is 0)"
    else:
        actionable_text = f"no k in {ks} has {rule}"
    if spec.k is not None:
        return f"k = {spec.k}: fixed by the case's k setting; over {ks} {statistical_text}, and {actionable_text}."
    if spec.k_choice == "statistical":
        return f"k = {statistical}: the statistical choice (over {ks} {statistical_text}); {actionable_text}."
    if not candidates:
        fallback = f"so the statistical choice is used (over {ks} {statistical_text})"
        return f"k = {statistical}: {actionable_text}, {fallback}."
    return f"k = {actionable}: {actionable_text}; over all of {ks} {statistical_text}."


def _voters(spec: SegmentationSpec, picks: dict, k: int) -> str:
    """'silhouette, ward pick' - the criteria whose pick is k (for gmm the BIC alone decides)."""
    criterion = SEGMENTERS[spec.algorithm].k_criterion
    if criterion is not None and picks[criterion] == k:
        return f"the lowest {criterion.upper()} picks"
    voters = [c for c in CRITERIA if picks[c] == k]
    if not voters:
        return "the best silhouette of the tied k picks"
    return f"{', '.join(voters)} {'picks' if len(voters) == 1 else 'pick'}"


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


def information_criteria(X: np.ndarray, k: int, spec: SegmentationSpec) -> dict:
    """BIC and AIC of the case's algorithm fitted with k clusters when its k_criterion decides (gmm), else NaN."""
    fitted = for_spec(spec, k).fit(X).fit_metrics_ if SEGMENTERS[spec.algorithm].k_criterion else {}
    return {name: fitted.get(name, np.nan) for name in INFORMATION_CRITERIA}


def _ks(spec: SegmentationSpec) -> range:
    return range(spec.k_min, spec.k_max + 1)


def _score_k(X: np.ndarray, k: int, spec: SegmentationSpec, sil_rows: np.ndarray, tree: ward.WardTree) -> dict:
    fit = KMeans(k, random_state=spec.random_state, n_init=spec.sweep_n_init, init=spec.kmeans_init).fit(X)
    labels = fit.labels_
    return {
        "k": k,
        "inertia": float(((X - fit.centers_[labels]) ** 2).sum(axis=1).sum()),
        **cluster_scores(X, labels, sil_rows),
        "ward_merge_height": ward.merge_height(tree, k),
        **information_criteria(X, k, spec),  # here, so a k's time in the sweep counts its mixture too
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
