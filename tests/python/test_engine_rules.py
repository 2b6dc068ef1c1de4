"""The documented k-selection rules, on hand-made inputs."""

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import linkage

from customer_segmentation import ward
from customer_segmentation.kmeans import assign, fit_kmeans
from customer_segmentation.selection import elbow_distances, recommend_k, ward_gaps


def test_elbow_is_the_point_farthest_below_the_chord():
    ks = np.arange(2, 8)
    inertia = np.array([100.0, 30.0, 25.0, 21.0, 18.0, 16.0])
    distances = elbow_distances(ks, inertia)
    assert ks[np.argmax(distances)] == 3
    assert distances[0] == distances[-1] == 0.0  # the chord's end points


def test_ward_gap_picks_the_largest_relative_jump_in_merge_height():
    points = np.array([0.0, 0.1, 0.3, 10.0, 10.1, 10.3, 20.0, 20.2, 20.3])[:, None]
    tree = ward.WardTree(np.arange(9), linkage(points, method="ward"))
    ks = np.arange(2, 6)
    gaps = ward_gaps(tree, ks)
    assert ks[np.argmax(gaps)] == 3
    # the merge leaving k clusters is row n - k - 1 of the linkage matrix
    assert ward.merge_height(tree, 3) == tree.linkage[5, 2]
    assert np.isnan(ward.merge_height(tree, 9))  # 9 rows are never merged into 9 clusters
    assert sorted(np.bincount(ward.cut(tree, 3))) == [3, 3, 3]


def test_ward_cut_gives_exactly_k_clusters_even_with_tied_heights():
    points = np.array([0.0, 1.0, 10.0, 11.0, 20.0, 21.0])[:, None]  # three equal-height pairs
    tree = ward.WardTree(np.arange(6), linkage(points, method="ward"))
    for k in range(1, 7):
        assert np.unique(ward.cut(tree, k)).size == k


def test_majority_vote_wins():
    table = pd.DataFrame({"k": [2, 3, 4], "votes": [1, 3, 1], "silhouette": [0.9, 0.2, 0.5]})
    assert recommend_k(table) == 3


def test_ties_go_to_the_best_silhouette():
    table = pd.DataFrame({"k": [2, 3, 4, 5], "votes": [2, 0, 2, 1], "silhouette": [0.3, 0.9, 0.4, 0.1]})
    assert recommend_k(table) == 4  # 2 and 4 tie; 4 has the better silhouette of the two


def test_more_seeds_never_do_worse():
    X = np.random.default_rng(3).normal(size=(600, 4))
    single = [fit_kmeans(X, 6, n_init=2, n_seeds=1, random_state=s, init="k-means++").inertia for s in range(10, 14)]
    best = fit_kmeans(X, 6, n_init=2, n_seeds=4, random_state=10, init="k-means++")
    assert best.inertia == min(single)
    assert best.seed == 10 + int(np.argmin(single)) and best.n_restarts == 8


def test_assign_breaks_distance_ties_towards_the_lower_segment():
    labels, sq_dist = assign(np.array([[0.0, 0.0], [0.9, 0.0]]), np.array([[1.0, 0.0], [-1.0, 0.0]]))
    assert labels.tolist() == [0, 0]  # row 0 is equidistant: the first centroid wins
    np.testing.assert_allclose(sq_dist, [1.0, 0.01])
