"""Readable, deterministic segment names from each segment's most distinctive features.

Columns named `<group>__<category>` are one-hot dummies; every other column is numeric.
A segment's traits, strongest |z| first (ties: feature order):
- a numeric feature with |z| >= MIN_Z: "high <label>" / "low <label>";
- a dummy with z >= MIN_Z: its category made readable
  ("18_24" -> "18–24", "20_plus" -> "20+", "single" -> "single"); a category that starts
  with a digit is prefixed by its group ("age bracket 18–24"), since "18–24" alone is vague.
At most one trait per group; a numeric column `x` shares the group of dummies `x__*`.
Up to max_traits traits are joined with " · "; with none, the name is "average customers".
Text keeps the column's case (lower case for usual dbt columns). `labels` overrides the
derived text: a full column name maps to its whole trait text (dummies) or to the label
after "high"/"low" (numeric); a dummy group name maps to the prefix of digit categories.
Duplicate names: the later segment adds its next traits; failing that, " (2)", " (3)", ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from .errors import SegmentationError

MIN_Z = 0.5
SEPARATOR = " · "
FALLBACK_NAME = "average customers"
DUMMY_MARK = "__"


def name_segments(
    centroids_z: np.ndarray,
    feature_names: Sequence[str],
    max_traits: int = 3,
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """One name per centroid row, unique within the list."""
    z = np.nan_to_num(np.asarray(centroids_z, dtype=np.float64))  # NaN: no signal
    if z.ndim != 2 or z.shape[1] != len(feature_names):
        raise SegmentationError(
            f"centroids have shape {z.shape}, expected (k, {len(feature_names)}) to match the feature names"
        )
    if max_traits < 1:
        raise SegmentationError(f"max_traits must be at least 1, got {max_traits}")
    labels = dict(labels or {})
    used: set[str] = set()
    return [_unique_name(_traits(row, feature_names, labels), max_traits, used) for row in z]


def _traits(row: np.ndarray, feature_names: Sequence[str], labels: dict) -> list[str]:
    traits, groups_used = [], set()
    for j in sorted(range(len(feature_names)), key=lambda j: (-abs(row[j]), j)):
        name, z = feature_names[j], row[j]
        group = name.split(DUMMY_MARK, 1)[0]  # a numeric column is the group of its own brackets
        if group in groups_used:
            continue
        if DUMMY_MARK not in name and abs(z) >= MIN_Z:
            traits.append(("high " if z > 0 else "low ") + labels.get(name, _words(name)))
        elif DUMMY_MARK in name and z >= MIN_Z:
            traits.append(labels.get(name) or _category_text(name, labels))
        else:
            continue
        groups_used.add(group)
    return traits


def feature_label(name: str, labels: Mapping[str, str] | None = None) -> str:
    """How a report labels a feature: its label in the spec, else its words; a dummy as 'group: category'."""
    labels = dict(labels or {})
    if name in labels:
        return labels[name]
    if DUMMY_MARK not in name:
        return _words(name)
    group, category = name.split(DUMMY_MARK, 1)
    return f"{labels.get(group, _words(group))}: {_category_words(category)}"


def _category_text(name: str, labels: dict) -> str:
    group, category = name.split(DUMMY_MARK, 1)
    text = _category_words(category)
    return f"{labels.get(group, _words(group))} {text}" if text[:1].isdigit() else text


def _category_words(category: str) -> str:
    text = re.sub(r"^(\d+)_(\d+)$", r"\1–\2", category)  # 18_24 -> 18–24 (en dash)
    return _words(re.sub(r"^(\d+)_plus$", r"\1+", text))  # 20_plus -> 20+


def _words(name: str) -> str:
    return name.replace("_", " ").strip()


def _unique_name(traits: list[str], max_traits: int, used: set[str]) -> str:
    base = SEPARATOR.join(traits[:max_traits]) or FALLBACK_NAME
    longer = [SEPARATOR.join(traits[:m]) for m in range(max_traits + 1, len(traits) + 1)]
    name = next((c for c in [base, *longer] if c not in used), None)
    n = 2
    while name is None or name in used:
        name, n = f"{base} ({n})", n + 1
    used.add(name)
    return name
