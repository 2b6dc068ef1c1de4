import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from customer_segmentation import segment, select_k
from customer_segmentation.errors import SegmentationError
from specs import make_spec

SELECTION_COLUMNS = [
    "k",
    "inertia",
    "silhouette",
    "calinski_harabasz",
    "davies_bouldin",
    "ward_merge_height",
    "chosen_by_elbow",
    "chosen_by_silhouette",
    "chosen_by_calinski_harabasz",
    "chosen_by_davies_bouldin",
    "chosen_by_ward",
    "is_recommended",
]


def blobs(sizes, std=1.0, seed=0):
    """Well-separated blobs of distinct sizes (centres 8 apart on the axes), standardised."""
    centers = 8.0 * np.eye(len(sizes))
    X, y = make_blobs(n_samples=sizes, centers=centers, cluster_std=std, random_state=seed)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def spec_for(X, **settings):
    names = tuple(f"f{j}" for j in range(X.shape[1]))
    return names, make_spec(case="test", id_column="id", features=names, **settings)


FOUR = blobs([260, 220, 180, 140])
SIX = blobs([300, 260, 220, 180, 140, 100], seed=1)


@pytest.mark.parametrize(("data", "true_k"), [(FOUR, 4), (SIX, 6)])
def test_select_k_recovers_planted_clusters(data, true_k):
    X, _ = data
    choice = select_k(X, spec_for(X)[1])
    table, k = choice.table, choice.k
    assert choice.statistical_k == choice.actionable_k == true_k
    assert k == true_k
    assert table.loc[table["is_recommended"], "k"].tolist() == [true_k]
    assert table["k"].tolist() == list(range(2, 11))
    for criterion in ("elbow", "silhouette", "calinski_harabasz", "davies_bouldin", "ward"):
        assert table.loc[table[f"chosen_by_{criterion}"], "k"].tolist() == [true_k], criterion


def test_selection_table_columns_and_votes():
    X, _ = FOUR
    table = select_k(X, spec_for(X, k_min=3, k_max=7)[1]).table
    assert set(SELECTION_COLUMNS) <= set(table.columns)
    assert table["k"].tolist() == [3, 4, 5, 6, 7]
    chosen = table.filter(like="chosen_by_")
    assert not chosen.pop("chosen_by_bic").any()  # BIC votes only for gmm (test_engine_gmm.py)
    assert (chosen.sum(axis=0) == 1).all()  # each criterion votes once
    assert (table["votes"] == chosen.sum(axis=1)).all()
    assert table["is_recommended"].sum() == 1


def test_segment_recovers_blobs_with_fixed_k_and_recommended_k():
    X, y = SIX
    names, spec = spec_for(X)
    result = segment(X, names, spec)
    assert (result.k, result.recommended_k) == (6, 6)
    assert adjusted_rand_score(y, result.labels) == 1.0
    forced = segment(X, names, spec_for(X, k=3, k_sweep=True)[1])
    assert (forced.k, forced.recommended_k, forced.centroids.shape) == (3, 6, (3, 6))


def test_fixed_k_skips_the_sweep_by_default_without_changing_the_fit():
    X, _ = SIX
    names, spec = spec_for(X, k=3)
    quick = segment(X, names, spec)
    assert (quick.k, quick.recommended_k) == (3, 3)
    assert quick.k_selection.empty and quick.ward_merges is None
    swept = segment(X, names, spec_for(X, k=3, k_sweep=True)[1])
    np.testing.assert_array_equal(quick.centroids, swept.centroids)
    np.testing.assert_array_equal(quick.labels, swept.labels)
    with pytest.raises(SegmentationError, match="k_sweep is false but k is null"):
        spec_for(X, k_sweep=False)


def test_same_seed_gives_identical_output():
    X, _ = blobs([200, 150, 120], std=3.0)  # overlapping: restarts and seeds matter
    names, spec = spec_for(X, k=5, k_sweep=True)
    first, second = segment(X, names, spec), segment(X, names, spec)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.centroids, second.centroids)
    assert first.inertia == second.inertia and first.names == second.names
    pd.testing.assert_frame_equal(first.k_selection, second.k_selection)
    pd.testing.assert_frame_equal(first.ward_merges, second.ward_merges)


def test_row_order_does_not_change_segments():
    X, _ = FOUR
    names, spec = spec_for(X)
    perm = np.random.default_rng(7).permutation(X.shape[0])
    original, shuffled = segment(X, names, spec), segment(X[perm], names, spec)
    np.testing.assert_array_equal(original.sizes, shuffled.sizes)
    np.testing.assert_array_equal(original.labels[perm], shuffled.labels)
    np.testing.assert_allclose(original.centroids, shuffled.centroids)


def test_segment_ids_are_ordered_by_size():
    X, y = FOUR
    names, spec = spec_for(X)
    result = segment(X, names, spec)
    assert result.sizes.tolist() == [260, 220, 180, 140]
    assert result.sizes.tolist() == np.bincount(result.labels)[1:].tolist()
    # the largest planted blob (label 0) is segment 1, the smallest (label 3) segment 4
    assert set(result.labels[y == 0]) == {1} and set(result.labels[y == 3]) == {4}


@pytest.mark.parametrize("algorithm", ["kmeans", "ward"])
def test_labels_are_the_nearest_centroid_and_inertia_matches(algorithm):
    X, _ = blobs([200, 150, 120], std=3.0)
    names, spec = spec_for(X, k=4, algorithm=algorithm)
    result = segment(X, names, spec)
    distances = cdist(X, result.centroids, "sqeuclidean")
    np.testing.assert_array_equal(result.labels, distances.argmin(axis=1) + 1)
    assert result.labels.min() == 1 and result.labels.max() == 4
    expected = distances[np.arange(X.shape[0]), result.labels - 1].sum()
    assert result.inertia == pytest.approx(expected, rel=1e-12)
    assert result.metrics["inertia"] == result.inertia


def test_metrics_describe_the_final_fit():
    X, _ = FOUR
    names, spec = spec_for(X, n_init=2, n_seeds=3)
    metrics = segment(X, names, spec).metrics
    assert metrics["n_rows"] == metrics["n_fit_rows"] == 800
    assert metrics["n_features"] == 4 and metrics["n_restarts"] == 6
    assert metrics["silhouette"] > 0.7 and metrics["davies_bouldin"] < 0.5
    assert metrics["calinski_harabasz"] > 1000
    assert all(isinstance(value, (int, float)) for value in metrics.values())


def test_fit_on_a_sample_still_labels_every_row():
    X, y = FOUR
    names, spec = spec_for(X, fit_sample_size=300, ward_sample_size=100, silhouette_sample_size=50)
    result = segment(X, names, spec)
    assert result.metrics["n_fit_rows"] == 300 and result.labels.shape == (800,)
    assert result.k == 4 and adjusted_rand_score(y, result.labels) == 1.0


def test_ward_recovers_blobs_and_reports_merges():
    X, y = SIX
    names, spec = spec_for(X, algorithm="ward", ward_sample_size=500)
    result = segment(X, names, spec)
    assert (result.algorithm, result.k) == ("ward", 6)
    assert adjusted_rand_score(y, result.labels) == 1.0
    assert result.metrics["n_restarts"] == 0
    merges = result.ward_merges
    assert list(merges.columns[:5]) == ["step", "cluster_a", "cluster_b", "height", "size"]
    assert len(merges) == 50
    assert merges["step"].iloc[-1] == 499 and merges["size"].iloc[-1] == 500
    assert merges["n_clusters_after"].tolist() == list(range(50, 0, -1))
    assert merges["height"].is_monotonic_increasing
    heights = result.k_selection.set_index("k")["ward_merge_height"]
    assert heights[6] == merges.loc[merges["n_clusters_after"] == 6, "height"].item()
    assert heights[5] > 5 * heights[6]  # joining two planted blobs costs far more


def test_names_are_reported_per_segment():
    X, _ = FOUR
    names = ("spend", "visits", "plan__basic", "plan__premium")
    spec = make_spec(case="t", id_column="id", features=names, k=4)
    result = segment(X, names, spec)
    assert len(set(result.names)) == 4
    assert result.feature_names == names
