"""The contract every registered segmenter keeps (segmenters.py), whatever its algorithm."""

from pathlib import Path

import numpy as np
import pytest

from customer_segmentation import SegmentationError, segment
from customer_segmentation.segmenters import SEGMENTERS
from customer_segmentation.spec import ALGORITHMS
from test_engine import blobs, spec_for

X, _ = blobs([220, 160, 120], std=2.5, seed=3)  # overlapping: the fits' randomness shows
MACROS = Path(__file__).resolve().parents[2] / "macros" / "scoring"
every_segmenter = pytest.mark.parametrize("algorithm", list(SEGMENTERS))


def fitted(algorithm, **params):
    return SEGMENTERS[algorithm](3, random_state=7, **params).fit(X)


def test_the_registry_is_the_algorithm_setting():
    assert tuple(SEGMENTERS) == ALGORITHMS
    assert all(cls.name == name for name, cls in SEGMENTERS.items())


@every_segmenter
def test_fit_returns_the_fitted_segmenter(algorithm):
    segmenter = SEGMENTERS[algorithm](3, random_state=7)
    assert segmenter.fit(X) is segmenter
    assert segmenter.centers_.shape == (3, X.shape[1])
    assert segmenter.labels_.shape == (X.shape[0],)
    assert set(segmenter.labels_) == {0, 1, 2}


@every_segmenter
def test_a_fixed_random_state_gives_the_same_fit(algorithm):
    first, second = fitted(algorithm), fitted(algorithm)
    np.testing.assert_array_equal(first.labels_, second.labels_)
    np.testing.assert_array_equal(first.centers_, second.centers_)


@every_segmenter
def test_predict_on_the_fitted_rows_is_labels(algorithm):
    """Also for Ward: its labels_ are each row's nearest centre (as the engine and SQL assign rows), not
    the tree's cut, which may put a row in a cluster whose mean is not its nearest."""
    segmenter = fitted(algorithm)
    np.testing.assert_array_equal(segmenter.predict(X), segmenter.labels_)


@every_segmenter
def test_the_engine_labels_rows_with_its_segmenter(algorithm):
    names, spec = spec_for(X, algorithm=algorithm, k=3, k_sweep=False)
    result = segment(X, names, spec)
    assert isinstance(result.model, SEGMENTERS[algorithm])
    np.testing.assert_array_equal(result.labels, result.model.predict(X) + 1)
    np.testing.assert_array_equal(result.centroids, result.model.centers_)
    assert list(result.sizes) == sorted(result.sizes, reverse=True)  # reordered: segment 1 is the largest


@every_segmenter
def test_reordered_renumbers_the_clusters(algorithm):
    segmenter, order = fitted(algorithm), [2, 0, 1]
    moved = segmenter.reordered(order)
    np.testing.assert_array_equal(moved.centers_, segmenter.centers_[order])
    np.testing.assert_array_equal(moved.predict(X), np.argsort(order)[segmenter.predict(X)])
    np.testing.assert_array_equal(moved.labels_, np.argsort(order)[segmenter.labels_])


@every_segmenter
def test_probabilities_agree_with_predict(algorithm):
    segmenter = fitted(algorithm)
    probabilities = segmenter.predict_proba(X)
    if probabilities is not None:  # a hard partition has none
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
        np.testing.assert_array_equal(probabilities.argmax(axis=1), segmenter.predict(X))


@every_segmenter
def test_unknown_parameters_are_refused(algorithm):
    with pytest.raises(
        SegmentationError, match=rf"^{algorithm}: unknown parameter\(s\) bogus, n_clusters; it takes k,"
    ):
        SEGMENTERS[algorithm](3, bogus=1, n_clusters=3)


@every_segmenter
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"k": 0}, "k must be an integer >= 1"),
        ({"random_state": -1}, "random_state must be an integer >= 0"),
        ({"k": True}, "k must be an integer"),
    ],
)
def test_invalid_values_are_refused(algorithm, params, message):
    params = {"k": 3, **params}
    with pytest.raises(SegmentationError, match=f"^{algorithm}: {message}"):
        SEGMENTERS[algorithm](params.pop("k"), **params)


@pytest.mark.parametrize(
    ("algorithm", "params", "message"),
    [
        ("kmeans", {"init": "random"}, "init must be one of k-means\\+\\+, k-means\\+\\+-sklearn-1.2"),
        ("kmeans", {"n_init": 0}, "n_init must be an integer >= 1"),
        ("kmeans", {"min_share": 1.5}, "min_share must be a number between 0 and 1"),
        ("ward", {"sample_size": 1}, "sample_size must be an integer >= 2"),
        ("gmm", {"covariance_type": "round"}, "covariance_type must be one of full, tied, diag, spherical"),
    ],
)
def test_each_algorithm_checks_its_own_parameters(algorithm, params, message):
    with pytest.raises(SegmentationError, match=f"^{algorithm}: {message}"):
        SEGMENTERS[algorithm](3, **params)


@every_segmenter
def test_get_params_rebuilds_the_segmenter(algorithm):
    settings = dict(n_init=4, sweep_n_init=2, n_seeds=3, ward_sample_size=500, refit_tolerance=0.05)
    _, spec = spec_for(X, algorithm=algorithm, covariance_type="diag", **settings)
    segmenter = SEGMENTERS[algorithm].from_spec(spec, 4, final=True)
    params = segmenter.get_params()
    assert params == vars(segmenter)  # every parameter, and nothing else before the fit
    assert params["k"] == 4 and params["random_state"] == spec.random_state
    assert vars(type(segmenter)(params.pop("k"), **params)) == vars(segmenter)


@every_segmenter
def test_its_sql_scorer_is_a_package_macro(algorithm):
    scorer = SEGMENTERS[algorithm].sql_scorer
    assert f"{{% macro {scorer}(" in (MACROS / f"{scorer}.sql").read_text()


@every_segmenter
def test_model_rows_are_artifact_rows(algorithm):
    segmenter = fitted(algorithm)
    rows = segmenter.model_rows(["f0", "f1", "f2"], [11, 12, 13])
    assert all(set(row) <= {"artifact", "segment_id", "k", "name", "value", "text"} for row in rows)
    assert {row["segment_id"] for row in rows} <= {11, 12, 13}
