"""The contract every registered segmenter keeps (segmenters.py), whatever its algorithm."""

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from customer_segmentation import SegmentationError, segment
from customer_segmentation.segmenters import SEGMENTERS
from customer_segmentation.spec import ALGORITHMS
from customer_segmentation.versioning import PreviousModel, match_segments
from specs import make_spec
from sql_macros import points_frame
from test_engine import blobs
from test_engine_gmm import sql_posteriors
from test_engine_reduction import nearest_sql

NUMERIC, TRUTH = blobs([220, 160, 120], std=2.5, seed=3)  # overlapping: the fits' randomness shows
MACROS = Path(__file__).resolve().parents[2] / "macros" / "scoring"
every_segmenter = pytest.mark.parametrize("algorithm", list(SEGMENTERS))


def indicators(labels: np.ndarray, seed: int) -> np.ndarray:
    """One categorical column as the scaler stores it (seg_scaler: 0 or sqrt(gamma / 2), gamma 0.5): the
    row's cluster for 80% of rows, a random one of three categories otherwise."""
    rng = np.random.default_rng(seed)
    codes = np.where(rng.random(labels.size) < 0.8, labels, rng.integers(0, 3, labels.size))
    return 0.5 * np.eye(3)[codes]


# Each segmenter's data: numeric blobs, and for kprototypes a categorical column (three indicators) as well.
MIXED = np.hstack([NUMERIC, indicators(TRUTH, 5)])
MIXED_NAMES = ("f0", "f1", "f2", "colour__red", "colour__green", "colour__blue")


def data(algorithm) -> np.ndarray:
    return MIXED if algorithm == "kprototypes" else NUMERIC


def names(algorithm) -> tuple[str, ...]:
    return MIXED_NAMES[: data(algorithm).shape[1]]


def spec_for(algorithm, **settings):
    categorical = {"categorical_features": ("colour",)} if algorithm == "kprototypes" else {}
    return make_spec(id_column="id", features=names(algorithm), algorithm=algorithm, **categorical, **settings)


def fitted(algorithm, **params):
    groups = {"categorical_groups": ((3, 4, 5),)} if algorithm == "kprototypes" else {}
    return SEGMENTERS[algorithm](3, random_state=7, **groups, **params).fit(data(algorithm))


def test_the_registry_is_the_algorithm_setting():
    assert tuple(SEGMENTERS) == ALGORITHMS
    assert all(cls.name == name for name, cls in SEGMENTERS.items())


@every_segmenter
def test_fit_returns_the_fitted_segmenter(algorithm):
    segmenter = fitted(algorithm)
    assert segmenter.fit(data(algorithm)) is segmenter
    assert segmenter.centers_.shape == (3, data(algorithm).shape[1])
    assert segmenter.labels_.shape == (NUMERIC.shape[0],)
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
    np.testing.assert_array_equal(segmenter.predict(data(algorithm)), segmenter.labels_)


@every_segmenter
def test_the_engine_labels_rows_with_its_segmenter(algorithm):
    X = data(algorithm)
    result = segment(X, names(algorithm), spec_for(algorithm, k=3, k_sweep=False))
    assert isinstance(result.model, SEGMENTERS[algorithm])
    np.testing.assert_array_equal(result.labels, result.model.predict(X) + 1)
    np.testing.assert_array_equal(result.centroids, result.model.centers_)
    assert list(result.sizes) == sorted(result.sizes, reverse=True)  # reordered: segment 1 is the largest


@every_segmenter
def test_reordered_renumbers_the_clusters(algorithm):
    segmenter, order, X = fitted(algorithm), [2, 0, 1], data(algorithm)
    moved = segmenter.reordered(order)
    np.testing.assert_array_equal(moved.centers_, segmenter.centers_[order])
    np.testing.assert_array_equal(moved.predict(X), np.argsort(order)[segmenter.predict(X)])
    np.testing.assert_array_equal(moved.labels_, np.argsort(order)[segmenter.labels_])


@every_segmenter
def test_probabilities_agree_with_predict(algorithm):
    segmenter, X = fitted(algorithm), data(algorithm)
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
    spec = spec_for(algorithm, covariance_type="diag", **settings)
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
    rows = segmenter.model_rows(list(names(algorithm)), [11, 12, 13])
    assert all(set(row) <= {"artifact", "segment_id", "k", "name", "value", "text"} for row in rows)
    assert {row["segment_id"] for row in rows} <= {11, 12, 13}


def sql_labels(result, rows: np.ndarray) -> np.ndarray:
    """0-based segment of each row as the segmenter's SQL scorer assigns it, run on DuckDB."""
    features = list(result.model_features)
    scorer = type(result.model).sql_scorer
    if scorer == "seg_gmm_posteriors":
        return sql_posteriors(rows, features, result).argmax(axis=1)
    assert scorer == "seg_nearest_centroid", f"no contract test for the SQL scorer {scorer}"
    con = duckdb.connect()
    con.register("points", points_frame(rows, features))
    centroids = [
        dict(segment_id=s, feature=f, centroid_value=v)
        for s, centre in enumerate(result.centroids, start=1)
        for f, v in zip(features, centre, strict=True)
    ]
    con.register("centroids", pd.DataFrame(centroids))
    scored = nearest_sql("points", "id", "centroids", "true", features, [])
    return con.sql(f"select segment_id from ({scored}) order by id").df().segment_id.to_numpy() - 1


@every_segmenter
def test_the_sql_scorer_assigns_every_row_as_predict(algorithm):
    """On the fitted rows and on new ones (for kprototypes a third of them with no known category, which
    adds the same cost to every prototype), the SQL scorer's segment is predict's, row for row."""
    X = data(algorithm)
    result = segment(X, names(algorithm), spec_for(algorithm, k=3, k_sweep=False))
    rng = np.random.default_rng(11)
    new = np.hstack([NUMERIC + rng.normal(0, 0.3, NUMERIC.shape), X[:, NUMERIC.shape[1] :]])
    new[::3, NUMERIC.shape[1] :] = 0
    for rows in (X, new):
        np.testing.assert_array_equal(sql_labels(result, rows), result.model.predict(rows))


@every_segmenter
def test_a_refit_on_unchanged_data_keeps_every_segment_id(algorithm):
    """Another seed numbers the clusters differently; matching them to the stored model (versioning.py)
    gives every segment back its id."""
    X = data(algorithm)
    first = segment(X, names(algorithm), spec_for(algorithm, k=3, k_sweep=False, random_state=1))
    second = segment(X, names(algorithm), spec_for(algorithm, k=3, k_sweep=False, random_state=2))
    ids = np.array([101, 102, 103])
    zeros, ones = np.zeros(X.shape[1]), np.ones(X.shape[1])
    previous = PreviousModel("m1", 1, ids, ["a", "b", "c"], first.centroids, zeros, ones)
    match = match_segments(previous, second.centroids, second.names, zeros, ones)
    np.testing.assert_array_equal(ids[first.labels - 1], match.segment_ids[second.labels - 1])
