"""k-prototypes for mixed data (kprototypes.py): recovery of planted groups, the documented cost and its
unseen-category rule (which the SQL scorer reproduces), the gamma rule, determinism, parameters."""

import sys

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
from customer_segmentation.naming import MIN_Z
from project import ROOT
from specs import make_spec

sys.path.insert(0, str(ROOT / "bench"))
from kprototypes_fit import planted_mixed  # noqa: E402

NUMERIC, CATEGORICAL, TRUTH = planted_mixed(3000, seed=1)


def indicator_matrix(numeric, codes, gamma=0.5):
    """X as a case's scaler gives it (seg_scaler): the numeric block, then per categorical column one
    indicator per code, sqrt(gamma / 2) where set (a code of -1 sets none); and the groups' columns."""
    blocks, groups, start = [numeric], [], numeric.shape[1]
    for column in codes.T:
        block = np.zeros((column.size, int(column.max()) + 1))
        known = column >= 0
        block[known, column[known]] = np.sqrt(gamma / 2)
        groups.append(tuple(range(start, start + block.shape[1])))
        blocks.append(block)
        start += block.shape[1]
    return np.hstack(blocks), tuple(groups)


X, GROUPS = indicator_matrix(NUMERIC, CATEGORICAL)


def modes_of(model) -> np.ndarray:
    """(k, m) the mode code of each prototype, read from its indicators."""
    return np.stack([model.centers_[:, list(group)].argmax(axis=1) for group in GROUPS], axis=1)


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
    model = KPrototypes(5, random_state=0, categorical_groups=GROUPS).fit(X)
    assert adjusted_rand_score(TRUTH, model.labels_) >= 0.9
    assert model.gamma_ == pytest.approx(0.5)  # what the scaler's indicators encode
    # Neither block alone recovers the groups (planted_mixed): the fit uses both.
    numeric_only = fit_kprototypes(NUMERIC, CATEGORICAL, 5, gamma=0.0)
    labels = assign_prototypes(NUMERIC, CATEGORICAL, numeric_only.centres, numeric_only.modes, 0.0)[0]
    assert adjusted_rand_score(TRUTH, labels) < 0.9


def test_a_seed_gives_the_same_fit():
    first, second = (KPrototypes(5, random_state=3, categorical_groups=GROUPS).fit(X) for _ in range(2))
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
    # A case's default (the gamma setting) is the rule's value on standardised features: sd 1.
    assert make_spec(id_column="id", features=("a",)).gamma == pytest.approx(default_gamma(NUMERIC)) == 0.5


def test_gamma_is_the_one_the_scaler_encoded():
    default = KPrototypes(5, categorical_groups=GROUPS).fit(X)
    heavy = KPrototypes(5, categorical_groups=GROUPS).fit(indicator_matrix(NUMERIC, CATEGORICAL, gamma=4.0)[0])
    assert heavy.gamma_ == pytest.approx(4.0) and heavy.fit_metrics_["kprototypes_gamma"] == heavy.gamma_
    centres = heavy.centers_[:, :4]
    np.testing.assert_array_equal(heavy.labels_, brute_force(NUMERIC, CATEGORICAL, centres, modes_of(heavy), 4.0))
    assert not np.array_equal(heavy.labels_, brute_force(NUMERIC, CATEGORICAL, centres, modes_of(heavy), 0.5))
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
    """predict is the nearest centre in the indicator space (what the SQL scorer computes); it equals the
    documented cost's choice, also for rows with no known category in a column."""
    model = KPrototypes(5, random_state=2, categorical_groups=GROUPS).fit(X)
    codes = CATEGORICAL[:400].copy()
    codes[::3, 1] = -1  # unseen categories
    rows = indicator_matrix(NUMERIC[:400], codes)[0][:, : X.shape[1]]
    expected = brute_force(NUMERIC[:400], codes, model.centers_[:, :4], modes_of(model), model.gamma_)
    np.testing.assert_array_equal(model.predict(rows), expected)
    np.testing.assert_array_equal(model.predict(X), model.labels_)


def test_without_categorical_columns_it_is_k_means():
    model = KPrototypes(5, random_state=1, tol=0).fit(NUMERIC)  # tol 0: Lloyd runs until no row moves
    np.testing.assert_array_equal(model.labels_, assign(NUMERIC, model.centers_)[0])
    for j in range(5):  # a Lloyd fixed point: each centre is its rows' mean
        np.testing.assert_allclose(model.centers_[j], NUMERIC[model.labels_ == j].mean(axis=0))


def test_modes_take_the_lowest_code_on_ties_and_an_empty_cluster_the_costliest_row():
    codes = np.array([[2, 1, 2, 1, 2, -1, -1]])  # cluster 0: 1 and 2 twice each; cluster 1: missing only
    labels = np.array([0, 0, 0, 0, 2, 1, 1])
    centres, modes = _update(np.zeros((0, 7)), codes, labels, 3, [3])
    assert modes[:, 0].tolist() == [1, 0, 2]  # a tie and no known code both give the lowest code
    # Row 3 costs most but is cluster 1's only row: the first of the next costliest moves.
    moved = _fill_empty(np.array([0, 0, 0, 1]), np.array([1.0, 5.0, 5.0, 9.0]), 3)
    assert moved.tolist() == [0, 2, 0, 1]


def test_reordered_renumbers_the_prototypes():
    model = KPrototypes(5, categorical_groups=GROUPS).fit(X)
    order = [4, 2, 0, 1, 3]
    np.testing.assert_array_equal(model.reordered(order).predict(X), np.argsort(order)[model.predict(X)])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_clusters": 5}, r"unknown parameter\(s\) n_clusters; it takes k, random_state, categorical_groups"),
        ({"gamma": 0.5}, r"unknown parameter\(s\) gamma"),  # the scaler's indicators carry it
        ({"categorical_groups": [(4, 5)]}, "categorical_groups must be a tuple of tuples of distinct column indices"),
        ({"categorical_groups": ((4, 5), (5, 6))}, "categorical_groups must be a tuple of tuples of distinct"),
        ({"categorical_groups": ((4, -1),)}, "categorical_groups must be a tuple of tuples of distinct"),
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


def _with(row, column, value):
    out = X.copy()
    out[row, column] = value
    return out


@pytest.mark.parametrize(
    ("groups", "rows", "message"),
    [
        (((4, 99),), X, f"categorical column 99 is outside X's {X.shape[1]} columns"),
        (GROUPS, _with(7, 5, 0.7), r"every categorical indicator must be 0 or one positive value .* got \[0.5, 0.7"),
        (GROUPS, _with(7, 5, -0.5), "every categorical indicator must be 0 or one positive value"),
        (GROUPS, _with(7, slice(4, 6), 0.5), r"a row has two categories set in columns \[4, 5, 6\]"),
        (GROUPS, _with(7, 1, np.nan), "the numeric features must be finite"),
        (GROUPS, X[:3], "only 3 rows, fewer than k=5"),
    ],
)
def test_unusable_input_is_refused(groups, rows, message):
    with pytest.raises(SegmentationError, match=f"^kprototypes: {message}"):
        KPrototypes(5, categorical_groups=groups).fit(rows)


def test_a_case_gives_each_categorical_feature_its_indicator_columns():
    features = ("age", "colour__red", "colour__blue", "income", "size__s", "size__m", "size__l")
    settings = dict(algorithm="kprototypes", categorical_features=["colour", "size"])
    spec = make_spec(id_column="id", features=features, **settings)
    model = KPrototypes.from_spec(spec, 4, final=True)
    assert model.categorical_groups == ((1, 2), (4, 5, 6))
    assert (model.k, model.n_init, model.random_state) == (4, spec.n_init, spec.random_state)
    assert KPrototypes.from_spec(spec, 4).n_init == spec.sweep_n_init


def test_names_take_the_modes_that_tell_segments_apart():
    model = KPrototypes(3, categorical_groups=((2, 3, 4), (5, 6))).fit(np.zeros((3, 7)) + np.eye(3, 7))
    means = np.array([[1.2, 0.1, 0.5, 0, 0, 0.5, 0], [-0.2, 0.7, 0, 0.5, 0, 0.5, 0], [0, 0, 0, 0.5, 0, 0.5, 0]])
    np.testing.assert_array_equal(
        model.traits(means), [[1.2, 0.1, MIN_Z, 0, 0, 0, 0], [-0.2, 0.7, 0, MIN_Z, 0, 0, 0], [0, 0, 0, MIN_Z, 0, 0, 0]]
    )


@pytest.mark.parametrize("n_init", [1, 3])
def test_labels_are_predict_on_the_fitted_rows(n_init):
    model = KPrototypes(5, categorical_groups=GROUPS, n_init=n_init).fit(X)
    np.testing.assert_array_equal(model.predict(X), model.labels_)
    assert set(model.labels_) == set(range(5))
