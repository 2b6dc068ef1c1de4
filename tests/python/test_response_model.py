"""The response model's split and comparison (customer_segmentation.response_model), on synthetic data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from customer_segmentation.errors import SegmentationError
from customer_segmentation.response_model import (
    RESULT_COLUMNS,
    ResponseModelSpec,
    classification_metrics,
    compare_variants,
    split_membership,
    stratified_split,
    weighted_roc_auc,
)
from project import RESPONSE_VARIANTS

FEATURES = ("x1", "x2", "x3", "x4")


def make_spec(**overrides) -> ResponseModelSpec:
    settings = dict(
        case="toy",
        id_column="customer_id",
        target_column="response",
        features=FEATURES,
        subset=("x1", "x2"),
        pca_components=2,
        c_grid=(0.1, 1.0),
    )
    return ResponseModelSpec(**{**settings, **overrides})


@pytest.fixture(scope="module")
def toy():
    """1,000 customers, ~15 % responders driven by x1 and x2; segments = sign of x1 (2 segments)."""
    rng = np.random.default_rng(0)
    n = 1000
    X = rng.normal(size=(n, len(FEATURES)))
    logit = -2.2 + 1.2 * X[:, 0] + 0.8 * X[:, 1]
    response = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    ids = rng.permutation(np.arange(10_000, 10_000 + n))  # unordered ids: the split must sort them
    frame = pd.DataFrame(X, columns=list(FEATURES)).assign(customer_id=ids, response=response)
    segments = pd.DataFrame(
        {"customer_id": ids.astype(str), "segment_id": np.where(X[:, 0] > 0, 1, 2), "model_id": "toy-v1"}
    )
    return frame, segments


def test_split_is_disjoint_complete_and_60_20_20(toy):
    frame, _ = toy
    split = split_membership(frame, make_spec())
    assert split.customer_id.is_unique
    assert set(split.customer_id) == set(frame.customer_id.astype(str))
    assert split.split.value_counts().to_dict() == {"train": 600, "validation": 200, "test": 200}


def test_split_is_stratified(toy):
    frame, _ = toy
    split = split_membership(frame, make_spec())
    positives = split.target.sum()
    for part, share in {"train": 0.6, "validation": 0.2, "test": 0.2}.items():
        rows = split[split.split == part]
        assert abs(rows.target.sum() - share * positives) <= 2, part
        assert abs((1 - rows.target).sum() - share * (len(split) - positives)) <= 2, part


def test_split_is_reproducible_and_independent_of_row_order(toy):
    frame, _ = toy
    first = split_membership(frame, make_spec()).set_index("customer_id").split
    shuffled = split_membership(frame.sample(frac=1, random_state=1), make_spec()).set_index("customer_id").split
    pd.testing.assert_series_equal(first, shuffled.loc[first.index])
    other_seed = split_membership(frame, make_spec(random_state=7)).set_index("customer_id").split
    assert (other_seed.loc[first.index] != first).any()


def test_stratified_split_rejects_a_single_class():
    with pytest.raises(SegmentationError, match="two classes"):
        stratified_split(np.zeros(50), 0.2, 0.2, 0)


@pytest.mark.parametrize(
    "bad",
    [
        {"features": ("x1", "response")},
        {"subset": ("response",)},
        {"features": ("x1", "spend_after"), "target_columns": ("spend_after",)},
    ],
)
def test_targets_can_never_be_inputs(bad):
    subset = bad.pop("subset", ())
    with pytest.raises(SegmentationError, match="cannot be model inputs"):
        make_spec(**bad, subset=subset)


def test_spec_from_vars_defaults_to_the_clustering_features():
    cases = {
        "campaign": {
            "id_column": "customer_id",
            "features": ["a", "b", "c"],
            "target_columns": ["response"],
            "custom": {"response_model": {"target_column": "response", "subset": ["a"], "pca_components": 2}},
        }
    }
    spec = ResponseModelSpec.from_vars(cases, "campaign")
    assert spec.features == ("a", "b", "c") and spec.target_columns == ("response",)
    cases["campaign"]["features"].append("response")
    with pytest.raises(SegmentationError, match="response"):
        ResponseModelSpec.from_vars(cases, "campaign")


def test_compare_variants_rows_and_metric_ranges(toy):
    frame, segments = toy
    spec = make_spec()
    results = compare_variants(frame, segments, split_membership(frame, spec), spec)
    assert list(results.columns) == RESULT_COLUMNS
    assert results.variant.tolist() == RESPONSE_VARIANTS
    for metric in ["accuracy", "precision", "recall", "specificity", "roc_auc"]:
        assert results[metric].between(0, 1).all(), metric
    assert (results.test_rows == 200).all()
    assert results.set_index("variant").loc["features", "roc_auc"] > 0.75  # the signal is real
    with_segments = results[results.uses_segments & results.baseline_variant.notna()]
    assert (with_segments.roc_auc_gain_low <= with_segments.roc_auc_gain).all()
    assert (with_segments.roc_auc_gain <= with_segments.roc_auc_gain_high).all()
    assert (results.segmentation_model_id == "toy-v1").all()


def test_compare_variants_is_deterministic(toy):
    frame, segments = toy
    spec = make_spec()
    split = split_membership(frame, spec)
    pd.testing.assert_frame_equal(
        compare_variants(frame, segments, split, spec), compare_variants(frame, segments, split, spec)
    )


def test_the_test_part_never_influences_a_choice(toy):
    """Flipping every test label changes the test metrics but not C or the threshold."""
    frame, segments = toy
    spec = make_spec()
    split = split_membership(frame, spec)
    test_ids = set(split.customer_id[split.split == "test"])
    flipped = frame.copy()
    in_test = flipped.customer_id.astype(str).isin(test_ids)
    flipped.loc[in_test, "response"] = 1 - flipped.loc[in_test, "response"]
    flipped_split = split.assign(target=np.where(split.customer_id.isin(test_ids), 1 - split.target, split.target))
    before = compare_variants(frame, segments, split, spec).set_index("variant")
    after = compare_variants(flipped, segments, flipped_split, spec).set_index("variant")
    pd.testing.assert_series_equal(before.c, after.c)
    pd.testing.assert_series_equal(before.threshold, after.threshold)
    pd.testing.assert_series_equal(before.validation_roc_auc, after.validation_roc_auc)
    assert (before.roc_auc - after.roc_auc).abs().min() > 0.1


def test_missing_segment_or_split_is_an_error(toy):
    frame, segments = toy
    spec = make_spec()
    split = split_membership(frame, spec)
    with pytest.raises(SegmentationError, match="no segment"):
        compare_variants(frame, segments.iloc[1:], split, spec)
    with pytest.raises(SegmentationError, match="no split"):
        compare_variants(frame, segments, split.iloc[1:], spec)


def test_classification_metrics_by_hand():
    y = np.array([1, 1, 0, 0, 0])
    scores = np.array([0.9, 0.4, 0.6, 0.2, 0.1])
    metrics = classification_metrics(y, scores, threshold=0.5)
    # predicted 1, 0, 1, 0, 0: tp 1, fn 1, fp 1, tn 2
    assert metrics["accuracy"] == pytest.approx(3 / 5)
    assert metrics["precision"] == pytest.approx(1 / 2)
    assert metrics["recall"] == pytest.approx(1 / 2)
    assert metrics["specificity"] == pytest.approx(2 / 3)
    assert metrics["roc_auc"] == pytest.approx(5 / 6)


def test_weighted_roc_auc_matches_scikit_learn_on_repeated_rows():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 60)
    scores = np.round(rng.random(60), 1)  # many ties
    weights = rng.integers(0, 4, (60, 5))
    for column in range(weights.shape[1]):
        rows = np.repeat(np.arange(60), weights[:, column])
        expected = roc_auc_score(y[rows], scores[rows])
        assert weighted_roc_auc(y, scores, weights)[column] == pytest.approx(expected)
