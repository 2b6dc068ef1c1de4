"""Segment rules: short readable predicates that say what is in each segment (cf. Oracle OML4SQL's
cluster rules), learned from a shallow surrogate tree.

Per segment, a depth-limited decision tree separates the segment from the rest (one-vs-rest) on the
features in the units the rules are stated in; each leaf where the segment is the majority becomes a
rule: the conditions on the path from the root, merged per feature into the tightest bounds. A rule is
a description, not the model: customers are scored by the centroids, so a rule's precision and recall
are what tell how well it describes its segment (the SQL mart recomputes them on every customer).

Semantics are scikit-learn's: a node sends x <= threshold left, so a lower bound is exclusive (`>`) and
an upper bound inclusive (`<=`); a 0/1 feature reads `= 0` / `= 1`. Rendered as SQL, two bounds on one
feature are `f > lo and f <= hi` (not `between`, which would include lo).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.tree import DecisionTreeClassifier

OPERATORS = (">", "<=", "=")
# Leaves hold at least this share of the rows: a rule about a handful of customers describes nothing.
MIN_LEAF_SHARE = 0.01
SIGNIFICANT_DIGITS = 3
# Values within this distance of 0 or 1 count as 0 / 1: features converted back from z-scores carry
# rounding noise (0.9999999999999998).
BINARY_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Condition:
    feature: str
    operator: str  # one of OPERATORS
    value: float


@dataclass(frozen=True)
class Rule:
    segment_id: int
    rule_number: int  # 1.. within the segment, by recall
    conditions: tuple[Condition, ...]
    # On the rows the rule was learned from, after rounding (evidence; the mart recomputes them):
    support: int  # rows matching the rule
    precision: float  # share of the matching rows in the segment
    recall: float  # share of the segment's rows matching the rule


def segment_rules(
    X: np.ndarray,
    labels: np.ndarray,
    feature_names: Sequence[str],
    *,
    max_depth: int,
    max_rules: int,
    random_state: int,
    min_leaf_share: float = MIN_LEAF_SHARE,
) -> list[Rule]:
    """Up to `max_rules` rules per segment id of `labels`, ordered by segment id then rule number.

    X: (n, p) in the units the rules are stated in; labels: (n,) segment ids; feature_names: p names.
    A segment where no leaf of its tree holds a majority of it (too small or too mixed) gets no rule.
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    names = [str(name) for name in feature_names]
    if X.ndim != 2 or X.shape != (labels.shape[0], len(names)):
        raise ValueError(f"X must be (n, {len(names)}) with one label per row; got X {X.shape}, labels {labels.shape}")
    binary = [_is_binary(X[:, j]) for j in range(X.shape[1])]
    min_leaf = max(1, math.ceil(min_leaf_share * X.shape[0]))
    rules: list[Rule] = []
    for segment_id in np.unique(labels):
        target = labels == segment_id
        if target.all():  # one segment: nothing to tell it apart from
            continue
        tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf, random_state=random_state)
        tree.fit(X, target)
        leaves, candidates = tree.apply(X), []
        for leaf, path in _leaf_paths(tree.tree_):
            covered = leaves == leaf
            if target[covered].mean() <= 0.5:  # the leaf does not predict the segment
                continue
            conditions = _conditions(path, names, binary)
            if not conditions:  # the root itself (no split helped): not a description
                continue
            matches = evaluate(conditions, X, names)
            hits = int((matches & target).sum())
            if hits == 0:
                continue
            support = int(matches.sum())
            candidates.append((hits / int(target.sum()), hits / support, leaf, conditions, support))
        # By recall, then precision; the leaf id only breaks exact ties, deterministically.
        candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
        for number, (recall, precision, _, conditions, support) in enumerate(candidates[:max_rules], start=1):
            rules.append(Rule(int(segment_id), number, conditions, support=support, precision=precision, recall=recall))
    return rules


def render_rule(rule: Rule | Sequence[Condition]) -> str:
    """The rule as a SQL predicate on plain column names, e.g. `age > 24.5 and age <= 34.5 and children = 0`
    (the segment_rules mart renders the stored conditions the same way)."""
    conditions = rule.conditions if isinstance(rule, Rule) else rule
    return " and ".join(f"{c.feature} {c.operator} {format_number(c.value)}" for c in conditions)


def format_number(value: float) -> str:
    """A whole number without its `.0`, else Python's shortest repr (as the mart's Jinja renders it)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def evaluate(conditions: Sequence[Condition], X: np.ndarray, feature_names: Sequence[str]) -> np.ndarray:
    """(n,) booleans: the rows of X the conditions hold for."""
    X = np.asarray(X, dtype=np.float64)
    position = {name: j for j, name in enumerate(feature_names)}
    matches = np.ones(X.shape[0], dtype=bool)
    for condition in conditions:
        column = X[:, position[condition.feature]]
        if condition.operator == ">":
            matches &= column > condition.value
        elif condition.operator == "<=":
            matches &= column <= condition.value
        else:
            matches &= np.abs(column - condition.value) <= BINARY_TOLERANCE
    return matches


def _is_binary(column: np.ndarray) -> bool:
    return bool(np.all((np.abs(column) <= BINARY_TOLERANCE) | (np.abs(column - 1) <= BINARY_TOLERANCE)))


def _leaf_paths(tree) -> list[tuple[int, list[tuple[int, bool, float]]]]:
    """Every leaf with its path: (feature index, went right i.e. x > threshold, threshold) per split."""
    leaves, stack = [], [(0, [])]
    while stack:
        node, path = stack.pop()
        left, right = tree.children_left[node], tree.children_right[node]
        if left == right:  # a leaf (both -1)
            leaves.append((node, path))
            continue
        feature, threshold = int(tree.feature[node]), float(tree.threshold[node])
        stack.append((right, [*path, (feature, True, threshold)]))
        stack.append((left, [*path, (feature, False, threshold)]))
    return sorted(leaves, key=lambda leaf: leaf[0])


def _conditions(path, names: list[str], binary: list[bool]) -> tuple[Condition, ...]:
    """A path's splits merged per feature into the tightest bounds, in feature order, lower bound first."""
    lower: dict[int, float] = {}
    upper: dict[int, float] = {}
    for feature, went_right, threshold in path:
        if went_right:
            lower[feature] = max(lower.get(feature, -math.inf), threshold)
        else:
            upper[feature] = min(upper.get(feature, math.inf), threshold)
    conditions = []
    for j in sorted(set(lower) | set(upper)):
        if binary[j]:  # a 0/1 feature splits at 0.5: above is 1, at or below is 0
            conditions.append(Condition(names[j], "=", 1.0 if j in lower else 0.0))
            continue
        lo, hi = _rounded_bounds(lower.get(j), upper.get(j))
        if lo is not None:
            conditions.append(Condition(names[j], ">", lo))
        if hi is not None:
            conditions.append(Condition(names[j], "<=", hi))
    return tuple(conditions)


def _rounded_bounds(lo: float | None, hi: float | None) -> tuple[float | None, float | None]:
    """Bounds to SIGNIFICANT_DIGITS (readable; the mart measures the rounded rule), more digits only
    when rounding would leave no value between them."""
    for digits in range(SIGNIFICANT_DIGITS, 18):
        rounded_lo = None if lo is None else _significant(lo, digits)
        rounded_hi = None if hi is None else _significant(hi, digits)
        if rounded_lo is None or rounded_hi is None or rounded_lo < rounded_hi:
            return rounded_lo, rounded_hi
    return lo, hi


def _significant(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")
