"""k-prototypes for mixed data (kprototypes.py): recovery of planted groups, the documented cost and its
unseen-category rule (which the SQL scorer will reproduce), the gamma rule, determinism, parameters."""

import sys
from itertools import product

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from customer_segmentation import SegmentationError
from customer_segmentation.kmeans import assign
from customer_segmentation.kprototypes import (
    KPrototypes,
    _fill_empty,
    _update,
    assign_prototypes,
    default_gamma,
    fit_kprototypes,
)
from project import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from kprototypes_fit import planted_mixed  # noqa: E402

NUMERIC, CATEGORICAL, TRUTH = planted_mixed(3000, seed=1)
CATEGORICAL_COLUMNS = (4, 5, 6, 7)
X = np.hstack([NUMERIC, CATEGORICAL])


def brute_force(numeric, categorical, centres, modes, gamma):
    """The documented rule, row by row: sum of squared numeric differences + gamma × mismatches, where a
    code of -1 (missing / unseen) or one unequal to the mode mismatches; lowest cost, then lowest index."""
    labels = []
    for x, codes in zip(numeric.tolist(), categorical.tolist(), strict=True):
        costs = []
        for j, (centre, mode) in enumerate(zip(centres.tolist(), modes.tolist(), strict=True)):
            squared = 0.0
            for value, c in zip(x, centre, strict=True):
                squared += (value - c) ** 2
            mismatches = sum(1 for code, m in zip(codes, mode, strict=True) if code == -1 or code != m)
            costs.append((squared + gamma * mismatches, j))
        labels.append(min(costs)[1])
    return np.array(labels)


def test_planted_mixed_groups_are_recovered():
    model = KPrototypes(5, random_state=0, categorical_columns=CATEGORICAL_COLUMNS).fit(X)
    assert adjusted_rand_score(TRUTH, model.labels_) >= 0.9
    assert model.gamma_ == pytest.approx(0.5)  # the default rule on standardised features
    # Neither block alone recovers the groups (planted_mixed): the fit uses both.
    numeric_only = fit_kprototypes(NUMERIC, CATEGORICAL, 5, gamma=0.0)
    labels = assign_prototypes(NUMERIC, CATEGORICAL, numeric_only.centres, numeric_only.modes, 0.0)[0]
    assert adjusted_rand_score(TRUTH, labels) < 0.9


def test_a_seed_gives_the_same_fit():
    first, second = (KPrototypes(5, random_state=3, categorical_columns=CATEGORICAL_COLUMNS).fit(X) for _ in range(2))
    np.testing.assert_array_equal(first.centers_, second.centers_)
    np.testing.assert_array_equal(first.labels_, second.labels_)
    assert first.fit_metrics_ == second.fit_metrics_


def test_the_lowest_cost_restart_wins():
    fits = [fit_kprototypes(NUMERIC, CATEGORICAL, 5, n_init=1, random_state=seed) for seed in range(4)]
    several = fit_kprototypes(NUMERIC, CATEGORICAL, 5, n_init=6, random_state=0)
    assert several.n_init == 6
    assert several.cost <= min(fit.cost for fit in fits) * (1 + 1e-9)  # 6 restarts do no worse than 1
    labels, cost = assign_prototypes(NUMERIC, CATEGORICAL, several.centres, several.modes, several.gamma)
    assert cost.sum() == pytest.approx(several.cost)


def test_default_gamma_is_half_the_mean_numeric_sd():
    rng = np.random.default_rng(0)
    numeric = rng.normal(size=(500, 4)) * [1.0, 2.0, 3.0, 6.0] + 10
    assert default_gamma(numeric) == pytest.approx(0.5 * numeric.std(axis=0).mean())
    assert default_gamma(numeric) == pytest.approx(1.5, rel=0.05)
    assert default_gamma(np.empty((500, 0))) == 1.0  # categorical only: k-modes
    fit = fit_kprototypes(numeric, CATEGORICAL[:500], 3)
    assert fit.gamma == default_gamma(numeric)


def test_an_explicit_gamma_is_used():
    default = KPrototypes(5, categorical_columns=CATEGORICAL_COLUMNS).fit(X)
    heavy = KPrototypes(5, categorical_columns=CATEGORICAL_COLUMNS, gamma=4.0).fit(X)
    assert heavy.gamma_ == 4.0 and heavy.fit_metrics_["kprototypes_gamma"] == 4.0
    centres, modes = heavy.centers_[:, :4], heavy.centers_[:, 4:].astype(int)
    np.testing.assert_array_equal(heavy.labels_, brute_force(NUMERIC, CATEGORICAL, centres, modes, 4.0))
    assert not np.array_equal(heavy.labels_, brute_force(NUMERIC, CATEGORICAL, centres, modes, 0.5))
    assert (heavy.labels_ != default.labels_).any()


def test_predict_is_the_documented_cost_with_unseen_categories_and_ties():
    # Values on a half-integer grid and gamma 0.5: costs are exact, so many rows tie; prototype 3 repeats
    # prototype 0 (it never wins), prototype 2 has an all-missing column (mode -1 matches nothing).
    rng = np.random.default_rng(5)
    numeric = rng.choice([0.0, 0.5, 1.0, 1.5, 2.0], size=(600, 2))
    categorical = rng.choice([-1, 0, 1, 2, 99], size=(600, 3))  # -1: missing / unseen, 99: not in any mode
    centres = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    modes = np.array([[0, 1, 2], [1, 1, 0], [2, -1, 0], [0, 1, 2]])
    for gamma in (0.5, 1.0, 0.0):
        labels, cost = assign_prototypes(numeric, categorical, centres, modes, gamma)
        np.testing.assert_array_equal(labels, brute_force(numeric, categorical, centres, modes, gamma))
        assert 3 not in labels
    # An unseen category adds gamma to every prototype: the row goes where it would without that column.
    unseen = categorical.copy()
    unseen[:, 1] = -1
    without = np.delete(categorical, 1, axis=1), np.delete(modes, 1, axis=1)
    np.testing.assert_array_equal(
        assign_prototypes(numeric, unseen, centres, modes, 0.5)[0],
        assign_prototypes(numeric, without[0], centres, without[1], 0.5)[0],
    )


def test_a_fitted_model_predicts_the_documented_cost_on_new_rows():
    model = KPrototypes(5, random_state=2, categorical_columns=CATEGORICAL_COLUMNS).fit(X)
    rows = X[:400].copy()
    rows[::3, 5] = -1  # unseen categories
    rows[1::7, 7] = 42  # a code added to the vocabulary after the fit
    centres, modes = model.centers_[:, :4], model.centers_[:, 4:].astype(int)
    expected = brute_force(rows[:, :4], rows[:, 4:].astype(int), centres, modes, model.gamma_)
    np.testing.assert_array_equal(model.predict(rows), expected)
    np.testing.assert_array_equal(model.predict(X), model.labels_)


def test_gamma_zero_is_k_means_on_the_numeric_features():
    # tol 0: Lloyd runs until no row moves
    model = KPrototypes(5, random_state=1, categorical_columns=CATEGORICAL_COLUMNS, gamma=0.0, tol=0).fit(X)
    centres = model.centers_[:, :4]
    np.testing.assert_array_equal(model.labels_, assign(NUMERIC, centres)[0])  # nearest numeric centre
    for j in range(5):  # a Lloyd fixed point: each centre is its rows' mean
        np.testing.assert_allclose(centres[j], NUMERIC[model.labels_ == j].mean(axis=0))


def test_modes_take_the_lowest_code_on_ties_and_an_empty_cluster_the_costliest_row():
    codes = np.array([[2, 1, 2, 1, 0, -1, -1]])  # cluster 0: 1 and 2 twice each; cluster 1: missing only
    labels = np.array([0, 0, 0, 0, 2, 1, 1])
    centres, modes = _update(np.zeros((0, 7)), codes, labels, 3, [3])
    assert modes[:, 0].tolist() == [1, -1, 0]
    # Row 3 costs most but is cluster 1's only row: the first of the next costliest moves.
    moved = _fill_empty(np.array([0, 0, 0, 1]), np.array([1.0, 5.0, 5.0, 9.0]), 3)
    assert moved.tolist() == [0, 2, 0, 1]


def test_reordered_renumbers_the_prototypes():
    model = KPrototypes(5, categorical_columns=CATEGORICAL_COLUMNS).fit(X)
    order = [4, 2, 0, 1, 3]
    np.testing.assert_array_equal(model.reordered(order).predict(X), np.argsort(order)[model.predict(X)])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_clusters": 5}, r"unknown parameter\(s\) n_clusters; it takes k, random_state, categorical_columns"),
        ({"gamma": -0.5}, "gamma must be None \\(default_gamma\\) or a number >= 0"),
        ({"gamma": "auto"}, "gamma must be None"),
        ({"categorical_columns": [4, 5]}, "categorical_columns must be a tuple of distinct column indices"),
        ({"categorical_columns": (4, 4)}, "categorical_columns must be a tuple of distinct column indices"),
        ({"n_init": 0}, "n_init must be an integer >= 1"),
        ({"max_iter": 0}, "max_iter must be an integer >= 1"),
        ({"tol": -1}, "tol must be a number >= 0"),
        ({"k": 0}, "k must be an integer >= 1"),
    ],
)
def test_invalid_parameters_are_refused(params, message):
    params = {"k": 5, **params}
    with pytest.raises(SegmentationError, match=f"^kprototypes: {message}"):
        KPrototypes(params.pop("k"), **params)


@pytest.mark.parametrize(
    ("columns", "rows", "message"),
    [
        ((4, 9), X, "categorical column 9 is outside X's 8 columns"),
        (CATEGORICAL_COLUMNS, np.where(np.arange(8) == 5, 0.5, X), "categorical codes must be integers >= -1"),
        (CATEGORICAL_COLUMNS, np.where(np.arange(8) == 5, -2, X), "categorical codes must be integers >= -1"),
        (CATEGORICAL_COLUMNS, np.where(np.arange(8) == 1, np.nan, X), "the numeric features must be finite"),
        (CATEGORICAL_COLUMNS, X[:3], "only 3 rows, fewer than k=5"),
    ],
)
def test_unusable_input_is_refused(columns, rows, message):
    with pytest.raises(SegmentationError, match=f"^kprototypes: {message}"):
        KPrototypes(5, categorical_columns=columns).fit(rows)


def test_the_engine_cannot_build_it_yet():
    with pytest.raises(SegmentationError, match="does not pass categorical features yet"):
        KPrototypes.from_spec(None, 5)


@pytest.mark.parametrize(("gamma", "n_init"), list(product([None, 2.0], [1, 3])))
def test_labels_are_predict_on_the_fitted_rows(gamma, n_init):
    model = KPrototypes(5, categorical_columns=CATEGORICAL_COLUMNS, gamma=gamma, n_init=n_init).fit(X)
    np.testing.assert_array_equal(model.predict(X), model.labels_)
    assert set(model.labels_) == set(range(5))
