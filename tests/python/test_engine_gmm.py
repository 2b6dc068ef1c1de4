"""Gaussian mixtures: recovery, BIC, determinism, and SQL posteriors equal to scikit-learn's."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from customer_segmentation import SegmentationError, segment
from customer_segmentation.gmm import expand_precisions_cholesky
from customer_segmentation.model_artifacts import extension_rows
from specs import make_spec
from sql_macros import MIXTURE, TYPED_EXTENSIONS, macro, points_frame, register_typed_models
from test_engine import FOUR, blobs, spec_for

posteriors_sql = macro("scoring/seg_gmm_posteriors.sql", "default__seg_gmm_posteriors")
project_sql = macro("scoring/seg_project.sql", "default__seg_project")
OVERLAPPING = blobs([220, 160, 120], std=2.5, seed=3)  # posteriors well inside (0, 1) for many rows


def sql_posteriors(X, names, result, model_features=None):
    """Posteriors as the SQL macro computes them: (n, k) matrix, column i = segment i + 1."""
    con = duckdb.connect()
    con.register("points", points_frame(X, names))
    register_typed_models(con, extension_rows(result), TYPED_EXTENSIONS)
    points = "points"
    if model_features is not None:  # a reduction: project first, as the segment_probabilities mart does
        projected = project_sql(
            "points", "id", "int_segment_projections", "test", list(names), "reduction", len(model_features)
        )
        points = f"({projected})"
    sql = posteriors_sql(points, "id", MIXTURE, "test", list(model_features or names))
    long = con.sql(f"select * from ({sql}) order by id, segment_id").df()
    return long.pivot(index="id", columns="segment_id", values="probability").to_numpy()


def sklearn_twin(Z, spec, result):
    """The same GaussianMixture fitted by scikit-learn, its components in the engine's segment order."""
    model = GaussianMixture(
        result.k, covariance_type=spec.covariance_type, n_init=spec.n_init, random_state=spec.random_state
    ).fit(Z)
    order = [int(np.argmin(((model.means_ - mean) ** 2).sum(axis=1))) for mean in result.mixture.means]
    assert sorted(order) == list(range(result.k))
    return model, np.asarray(order)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_sql_posteriors_equal_sklearn_predict_proba(covariance_type):
    X, _ = OVERLAPPING
    names, spec = spec_for(X, algorithm="gmm", k=3, covariance_type=covariance_type, n_init=2, stability_bootstraps=0)
    result = segment(X, names, spec)
    model, order = sklearn_twin(X, spec, result)
    expected = model.predict_proba(X)[:, order]
    assert 0.05 < ((expected > 0.01) & (expected < 0.99)).any(axis=1).mean()  # really soft
    probabilities = sql_posteriors(X, names, result)
    np.testing.assert_allclose(probabilities, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    sklearn_labels = np.argsort(order)[model.predict(X)] + 1
    assert (probabilities.argmax(axis=1) + 1 == sklearn_labels).all()
    assert (result.labels == sklearn_labels).all()
    np.testing.assert_allclose(result.probabilities, expected, rtol=0, atol=1e-9)


def test_sql_posteriors_after_a_reduction():
    X, _ = OVERLAPPING
    names, spec = spec_for(
        X, algorithm="gmm", k=3, n_init=2, reduction={"method": "pca", "n_components": 2}, stability_bootstraps=0
    )
    result = segment(X, names, spec)
    Z = result.reduction.transform(X)
    model, order = sklearn_twin(Z, spec, result)
    probabilities = sql_posteriors(X, names, result, model_features=result.model_features)
    np.testing.assert_allclose(probabilities, model.predict_proba(Z)[:, order], rtol=0, atol=1e-9)
    assert (probabilities.argmax(axis=1) + 1 == result.labels).all()


def test_gmm_recovers_blobs_and_bic_picks_the_true_k():
    X, y = FOUR
    names, spec = spec_for(X, algorithm="gmm", k_max=7, stability_bootstraps=0)
    result = segment(X, names, spec)
    table = result.k_selection
    assert (result.k, result.recommended_k) == (4, 4)
    assert table.loc[table["chosen_by_bic"], "k"].tolist() == [4]
    assert table.loc[table["is_recommended"], "k"].tolist() == [4]
    assert table["bic"].notna().all() and table["aic"].notna().all()
    assert adjusted_rand_score(y, result.labels) == 1.0
    assert result.sizes.tolist() == [260, 220, 180, 140]  # ids ordered by size, as for k-means
    np.testing.assert_array_equal(result.centroids, result.mixture.means)  # centroids = component means
    np.testing.assert_array_equal(result.segment_means, result.centroids)
    assert result.metrics["gmm_converged"] == 1.0 and np.isfinite(result.metrics["bic"])
    assert len(set(result.names)) == 4


def test_bic_is_only_computed_for_gmm():
    X, _ = FOUR
    table = segment(X, *spec_for(X, k_max=5, stability_bootstraps=0)).k_selection
    assert table["bic"].isna().all() and table["aic"].isna().all() and not table["chosen_by_bic"].any()


def test_gmm_is_deterministic():
    X, _ = OVERLAPPING
    names, spec = spec_for(X, algorithm="gmm", k_max=5, n_init=2)
    first, second = segment(X, names, spec), segment(X, names, spec)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.probabilities, second.probabilities)
    np.testing.assert_array_equal(first.mixture.precisions_cholesky, second.mixture.precisions_cholesky)
    pd.testing.assert_frame_equal(first.k_selection, second.k_selection)
    assert first.names == second.names


def test_gmm_artifacts():
    X, _ = OVERLAPPING
    names, spec = spec_for(X, algorithm="gmm", k=3, covariance_type="diag", n_init=1, stability_bootstraps=0)
    result = segment(X, names, spec)
    rows = pd.DataFrame(extension_rows(result, segment_ids=[7, 8, 9]))
    components = rows[rows.artifact == "gmm_component"]
    assert set(components.segment_id) == {7, 8, 9}
    weights = components[components.name == "weight"].set_index("segment_id").value
    np.testing.assert_allclose(weights.sum(), 1.0)
    precision = rows[rows.artifact == "gmm_precision_cholesky"]
    assert (precision.name == precision.text).all()  # diag: only diagonal entries are stored
    assert len(precision) == 3 * X.shape[1]
    assert len(rows[rows.artifact == "gmm_mean"]) == 3 * X.shape[1]


def test_expanded_precision_factors_are_upper_triangular():
    X = np.random.default_rng(0).normal(size=(200, 3))
    for covariance_type in ("full", "tied", "diag", "spherical"):
        model = GaussianMixture(2, covariance_type=covariance_type, random_state=0).fit(X)
        full = expand_precisions_cholesky(model.precisions_cholesky_, covariance_type, 2, 3)
        assert full.shape == (2, 3, 3)
        assert np.allclose(np.tril(full, k=-1), 0)


def test_covariance_type_is_validated():
    with pytest.raises(SegmentationError, match=r"unknown covariance_type 'fullest'; use one of full, tied"):
        make_spec(case="t", id_column="id", features=("a", "b"), algorithm="gmm", covariance_type="fullest")
