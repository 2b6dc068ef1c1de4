"""Reduction before clustering and the 2-D projection: shapes, names, and SQL projection = sklearn transform."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA, FastICA
from sklearn.metrics import adjusted_rand_score
from sklearn.random_projection import GaussianRandomProjection

from customer_segmentation import SegmentationError, segment
from customer_segmentation.kmeans import assign
from customer_segmentation.model_artifacts import extension_rows
from specs import make_spec
from sql_macros import TYPED_EXTENSIONS, macro, points_frame, register_typed_models
from test_engine import FOUR, spec_for

project_sql = macro("scoring/seg_project.sql", "default__seg_project")
nearest_sql = macro("scoring/seg_nearest_centroid.sql", "default__seg_nearest_centroid")
centroids_sql = macro("scoring/seg_project.sql", "seg_model_centres")
METHODS = {
    "pca": lambda q: PCA(n_components=q, random_state=42),
    "ica": lambda q: FastICA(n_components=q, whiten="unit-variance", random_state=42),
    "random_projection": lambda q: GaussianRandomProjection(n_components=q, random_state=42),
}


def reduced_spec(X, method, n_components=3, **settings):
    return spec_for(X, reduction={"method": method, "n_components": n_components}, stability_bootstraps=0, **settings)


def connect(X, names, result):
    con = duckdb.connect()
    con.register("points", points_frame(X, names))
    register_typed_models(con, extension_rows(result), TYPED_EXTENSIONS)
    return con


def sql_projection(con, names, projection, n_components):
    sql = project_sql("points", "id", "int_segment_projections", "test", list(names), projection, n_components)
    frame = con.sql(f"select * from ({sql}) order by id").df()
    assert list(frame.columns) == ["id", *[f"component_{j}" for j in range(1, n_components + 1)]]
    return frame.drop(columns="id").to_numpy()


@pytest.mark.parametrize("method", list(METHODS))
def test_reduction_shapes_names_and_labels(method):
    X, y = FOUR
    names, spec = reduced_spec(X, method)
    result = segment(X, names, spec)
    assert result.k == 4
    # a random 4 -> 3 projection may bring two blobs' tails together: allow a few rows
    assert adjusted_rand_score(y, result.labels) >= (0.99 if method == "random_projection" else 1.0)
    assert result.centroids.shape == (4, 3) and result.segment_means.shape == (4, 4)
    assert result.reduction.components.shape == (3, 4) and result.reduction.mean.shape == (4,)
    assert result.model_features == ("component_1", "component_2", "component_3")
    # labels: nearest centroid in the reduced space
    Z = result.reduction.transform(X)
    np.testing.assert_array_equal(result.labels, assign(Z, result.centroids)[0] + 1)
    # names: from the segment means of the original features, not the components
    means = np.vstack([X[result.labels == s].mean(axis=0) for s in range(1, 5)])
    np.testing.assert_allclose(result.segment_means, means)
    # every blob is named first after the one feature it is high on
    assert {name.split(" · ")[0] for name in result.names} == {"high f0", "high f1", "high f2", "high f3"}
    assert result.metrics["n_components"] == 3


@pytest.mark.parametrize("method", list(METHODS))
def test_sql_projection_reproduces_sklearn_transform(method):
    X, _ = FOUR
    names, spec = reduced_spec(X, method)
    result = segment(X, names, spec)
    expected = METHODS[method](3).fit(X).transform(X)
    con = connect(X, names, result)
    np.testing.assert_allclose(sql_projection(con, names, "reduction", 3), expected, rtol=0, atol=1e-9)
    # scoring a reduction case in SQL: project, then nearest reduced centroid = the engine's labels
    projected = project_sql("points", "id", "int_segment_projections", "test", list(names), "reduction", 3)
    centroids = centroids_sql("int_segment_reduced_centroids", "test")
    scored = nearest_sql(f"({projected})", "id", centroids, "true", list(result.model_features), [])
    labels = con.sql(f"select segment_id from ({scored}) order by id").df().segment_id.to_numpy()
    np.testing.assert_array_equal(labels, result.labels)


@pytest.mark.parametrize("method", list(METHODS))
def test_explained_variance(method):
    X, _ = FOUR
    result = segment(X, *reduced_spec(X, method))
    ratio = result.reduction.explained_variance_ratio
    if method == "pca":
        np.testing.assert_allclose(ratio, PCA(3).fit(X).explained_variance_ratio_)
    else:  # variance of each component over the total variance of X (population variances)
        np.testing.assert_allclose(ratio, result.reduction.transform(X).var(axis=0) / X.var(axis=0).sum())
    if method == "ica":  # unit-variance components
        np.testing.assert_allclose(ratio, 1 / X.var(axis=0).sum(), rtol=1e-6)
    rows = pd.DataFrame(extension_rows(result))
    stored = rows[(rows.artifact == "explained_variance") & (rows.name == "reduction")].sort_values("k")
    np.testing.assert_allclose(stored.value, ratio)


def test_projection_2d_is_always_fitted_and_reproduced_in_sql():
    X, _ = FOUR
    names, spec = spec_for(X, k=4, stability_bootstraps=0)  # no reduction
    result = segment(X, names, spec)
    pca = PCA(2).fit(X)
    np.testing.assert_allclose(result.projection_2d.explained_variance_ratio, pca.explained_variance_ratio_)
    con = connect(X, names, result)
    np.testing.assert_allclose(sql_projection(con, names, "projection_2d", 2), pca.transform(X), rtol=0, atol=1e-9)
    rows = pd.DataFrame(extension_rows(result))
    assert set(rows.artifact) == {"projection_2d", "explained_variance"}  # no reduction, no gmm rows


def test_reduction_with_ward_and_determinism():
    X, y = FOUR
    names, spec = reduced_spec(X, "ica", n_components=2, algorithm="ward", ward_sample_size=400)
    first, second = segment(X, names, spec), segment(X, names, spec)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.reduction.components, second.reduction.components)
    assert first.centroids.shape == (first.k, 2)


@pytest.mark.parametrize(
    ("reduction", "message"),
    [
        ({"method": "tsne", "n_components": 2}, r"unknown reduction method 'tsne'; use one of pca, ica"),
        ({"method": "pca", "n_components": 5}, r"reduction.n_components \(5\) exceeds the number of features \(3\)"),
        ({"method": "pca", "n_components": 0}, r"reduction.n_components must be at least 1"),
        ({"method": "pca"}, r"reduction.n_components must be an integer"),
        ({"method": "pca", "n_components": 2, "whiten": True}, r"unknown reduction setting\(s\) whiten"),
        ("pca", r"reduction must be a mapping"),
    ],
)
def test_reduction_is_validated(reduction, message):
    with pytest.raises(SegmentationError, match=message):
        make_spec(case="t", id_column="id", features=("a", "b", "c"), reduction=reduction)


def test_reduction_from_settings():
    spec = make_spec(case="c", id_column="id", features=["a", "b", "c"], reduction={"method": "ica", "n_components": 2})
    assert spec.reduction == {"method": "ica", "n_components": 2}
    assert spec.to_dict()["reduction"] == {"method": "ica", "n_components": 2}
    assert make_spec(case="c", id_column="id", features=["a", "b", "c"], reduction=None).reduction is None
