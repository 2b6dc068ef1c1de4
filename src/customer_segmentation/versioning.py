"""Model versions across refits: carry the previous centroids into the new scaler's space and
match new segments to old ones, so a segment keeps its id and name when it survives a refit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class PreviousModel:
    """The current model before a refit, in the units it was stored in."""

    model_id: str
    version: int
    segment_ids: np.ndarray  # (k_old,) stable ids
    names: list[str]  # (k_old,) names shown to users
    centroids: np.ndarray  # (k_old, p) in the OLD model's standardised space
    means: np.ndarray  # (p,) the old model's training means
    sds: np.ndarray  # (p,) the old model's training standard deviations

    def centroids_in(self, means: np.ndarray, sds: np.ndarray) -> np.ndarray:
        """The old centroids re-expressed as z-scores under another scaler (original units in between)."""
        return (self.centroids * self.sds + self.means - means) / sds


@dataclass(frozen=True)
class SegmentMatch:
    segment_ids: np.ndarray  # (k_new,) id per new segment: the matched old id, else a fresh one
    names: list[str]  # (k_new,) the old name where matched, else the new generated name
    lineage: list[dict]  # one row per old and per new segment: which became which, at what distance


def match_segments(
    previous: PreviousModel, new_centroids: np.ndarray, new_names: list[str], means: np.ndarray, sds: np.ndarray
) -> SegmentMatch:
    """Optimal one-to-one assignment (Hungarian) of new segments to old ones on centroid distance,
    in the new model's standardised space. Unmatched new segments get ids above every id used before;
    unmatched old segments are recorded as vanished."""
    old = previous.centroids_in(means, sds)
    distance = np.sqrt(((new_centroids[:, None, :] - old[None, :, :]) ** 2).sum(axis=2))
    new_rows, old_rows = linear_sum_assignment(distance)
    ids = np.zeros(len(new_centroids), dtype=np.int64)
    names = list(new_names)
    lineage = []
    for n, o in zip(new_rows, old_rows, strict=True):
        ids[n] = previous.segment_ids[o]
        names[n] = previous.names[o]
        lineage.append(_lineage(previous.segment_ids[o], ids[n], "kept", distance[n, o]))
    next_id = int(previous.segment_ids.max()) + 1
    for n in sorted(set(range(len(new_centroids))) - set(new_rows)):
        ids[n], next_id = next_id, next_id + 1
        lineage.append(_lineage(None, ids[n], "new", None))
    for o in sorted(set(range(len(old))) - set(old_rows)):
        lineage.append(_lineage(previous.segment_ids[o], None, "vanished", None))
    return SegmentMatch(ids, names, lineage)


def _lineage(old_id, new_id, change: str, distance) -> dict:
    return {
        "previous_segment_id": None if old_id is None else int(old_id),
        "segment_id": None if new_id is None else int(new_id),
        "change": change,
        "centroid_shift": None if distance is None else float(distance),
    }
