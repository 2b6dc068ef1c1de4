"""Ward hierarchical clustering on a bounded sample (it needs O(n^2) memory)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import linkage

from .sampling import sample_rows

# Merges reported for the dendrogram: enough to draw the top of the tree.
N_MERGES_REPORTED = 50


@dataclass(frozen=True)
class WardTree:
    sample_index: np.ndarray  # rows of X that were clustered, in input order
    linkage: np.ndarray  # scipy linkage matrix: cluster_a, cluster_b, height, size per merge

    @property
    def n_leaves(self) -> int:
        return self.sample_index.size


def build_tree(X: np.ndarray, sample_size: int, random_state: int) -> WardTree:
    index = sample_rows(X.shape[0], sample_size, random_state)
    return WardTree(index, linkage(X[index], method="ward"))


def merge_height(tree: WardTree, k: int) -> float:
    """Height of the merge that leaves k clusters (NaN when the sample has <= k rows).

    scipy's Ward height is sqrt(2 * increase in within-cluster sum of squares)."""
    step = tree.n_leaves - k - 1  # merge i (0-based) leaves n - i - 1 clusters
    return float(tree.linkage[step, 2]) if 0 <= step < tree.n_leaves - 1 else float("nan")


def cut(tree: WardTree, k: int) -> np.ndarray:
    """Cluster index 0..k-1 of each sample row after the first n - k merges.

    Replaying merges gives exactly k clusters even when heights tie (fcluster may not)."""
    n = tree.n_leaves
    parent = np.arange(2 * n - 1)
    for step in range(n - k):
        a, b = tree.linkage[step, :2].astype(int)
        parent[a] = parent[b] = n + step
    root = parent.copy()
    for node in range(2 * n - 2, -1, -1):  # parents have higher ids, so resolve top-down
        root[node] = root[parent[node]]
    return np.unique(root[:n], return_inverse=True)[1]


def centroids(X_sample: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return np.vstack([X_sample[labels == j].mean(axis=0) for j in range(k)])


def merges_table(tree: WardTree, last: int = N_MERGES_REPORTED) -> pd.DataFrame:
    """The final `last` merges (all if fewer), in scipy's numbering: ids below n_leaves
    are sample rows, id n_leaves + i is the cluster formed at step i."""
    Z = tree.linkage
    steps = np.arange(Z.shape[0])[-last:]
    return pd.DataFrame(
        {
            "step": steps + 1,
            "cluster_a": Z[steps, 0].astype(int),
            "cluster_b": Z[steps, 1].astype(int),
            "height": Z[steps, 2],
            "size": Z[steps, 3].astype(int),
            "n_clusters_after": tree.n_leaves - steps - 1,
        }
    )
