"""Segment rules (rules.py): readable predicates learned from a shallow one-vs-rest tree per segment, and
how the fit stores them (dbt_model.artifacts: rule_condition rows under the stored segment ids)."""

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.dbt_model import TrainingScaler, artifacts, original_units
from customer_segmentation.engine import segment
from customer_segmentation.rules import Condition, Rule, _conditions, evaluate, render_rule, segment_rules
from customer_segmentation.versioning import SegmentMatch
from specs import make_spec

FEATURES = ["age", "hours", "income", "married"]


def planted(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three blobs in original units (age, weekly hours, income) and a 0/1 married flag, labelled 1..3."""
    rng = np.random.default_rng(seed)
    centres = [(21, 30, 25_000, 0.05), (45, 12, 150_000, 0.8), (72, 32, 40_000, 0.6)]
    blocks = []
    for age, hours, income, married in centres:
        n = 400
        blocks.append(
            np.column_stack(
                [
                    rng.normal(age, 2.5, n).round(),
                    rng.normal(hours, 3, n).clip(0),
                    rng.normal(income, income * 0.15, n),
                    (rng.random(n) < married).astype(float),
                ]
            )
        )
    return np.vstack(blocks), np.repeat([1, 2, 3], 400)


def rules_of(X, labels, **options):
    return segment_rules(X, labels, FEATURES, **{"max_depth": 3, "max_rules": 3, "random_state": 0, **options})


def test_each_planted_segment_has_a_precise_rule():
    X, labels = planted()
    rules = rules_of(X, labels)
    for segment_id in (1, 2, 3):
        best = [rule for rule in rules if rule.segment_id == segment_id and rule.rule_number == 1]
        assert best and best[0].precision >= 0.9 and best[0].recall >= 0.9, rules
    assert {rule.segment_id for rule in rules} == {1, 2, 3}
    for segment_id in (1, 2, 3):  # numbered 1.. by recall, at most max_rules
        own = [rule for rule in rules if rule.segment_id == segment_id]
        assert [rule.rule_number for rule in own] == list(range(1, len(own) + 1)) and len(own) <= 3
        assert [rule.recall for rule in own] == sorted((rule.recall for rule in own), reverse=True)


def test_max_rules_and_depth_limit_the_rules():
    X, labels = planted()
    rules = rules_of(X, labels, max_depth=1, max_rules=1)
    assert all(rule.rule_number == 1 and len(rule.conditions) == 1 for rule in rules)


def test_conditions_on_one_feature_merge_into_the_tightest_bounds():
    # The path age > 30, age > 20, age <= 50, hours <= 5, age <= 60 (sklearn: left is x <= threshold).
    path = [(0, True, 30.0), (0, True, 20.0), (0, False, 50.0), (1, False, 5.0), (0, False, 60.0)]
    conditions = _conditions(path, FEATURES, [False, False, False, True])
    assert conditions == (Condition("age", ">", 30.0), Condition("age", "<=", 50.0), Condition("hours", "<=", 5.0))
    assert render_rule(conditions) == "age > 30 and age <= 50 and hours <= 5"


def test_thresholds_keep_three_significant_digits_unless_that_empties_the_range():
    assert _conditions([(2, True, 48765.4321)], FEATURES, [False] * 4) == (Condition("income", ">", 48800.0),)
    # 3 digits would give 1230 < income <= 1230: a fourth digit keeps a range.
    tight = _conditions([(2, True, 1234.4), (2, False, 1234.6)], FEATURES, [False] * 4)
    assert [c.value for c in tight] == [1234.0, 1235.0]


def test_a_binary_feature_reads_equals_one_or_zero():
    X, labels = planted()
    labels = np.where(X[:, 3] == 1, 1, 2)  # the segments are the flag itself
    rules = rules_of(X, labels)
    assert [render_rule(rule) for rule in rules if rule.rule_number == 1] == ["married = 1", "married = 0"]
    # Converted back from z-scores, the flag is only nearly 0 / 1; it is still read as 0 / 1.
    noisy = X.copy()
    noisy[:, 3] += np.where(noisy[:, 3] == 1, -2e-16, 3e-17)
    assert render_rule(rules_of(noisy, labels)[0]) == "married = 1"


def test_rules_are_ranked_by_the_share_of_the_segment_they_cover():
    # Segment 1: most of ages 0-40 (a broad, impure leaf) and all of ages 90-95 (a small, pure one).
    rng = np.random.default_rng(5)
    X = np.column_stack([rng.uniform(0, 100, 4000), np.zeros((4000, 3))])
    labels = np.where(((X[:, 0] < 40) & (rng.random(4000) < 0.75)) | ((X[:, 0] > 90) & (X[:, 0] < 95)), 1, 2)
    own = [rule for rule in rules_of(X, labels) if rule.segment_id == 1]
    assert [rule.recall for rule in own] == sorted((rule.recall for rule in own), reverse=True), own
    pure = [rule for rule in own if rule.precision == 1]  # the 90-95 pocket: most precise, least covering
    assert len(pure) == 1 and pure[0] == own[-1] and own[0].precision < 1, own


def test_a_leaf_where_the_segment_is_a_minority_is_no_rule():
    # Segment 1: a third of ages 0-50, scattered (no leaf of it is mostly segment 1), and all of ages 90-100.
    rng = np.random.default_rng(6)
    X = np.column_stack([rng.uniform(0, 100, 4000), np.zeros((4000, 3))])
    labels = np.where(((X[:, 0] < 50) & (rng.random(4000) < 0.3)) | (X[:, 0] > 90), 1, 2)
    own = [rule for rule in rules_of(X, labels) if rule.segment_id == 1]
    assert [render_rule(rule) for rule in own] == ["age > 90"], own


def test_a_lower_bound_is_exclusive_and_an_upper_bound_inclusive():
    X = np.array([[30, 0, 0, 1], [31, 0, 0, 1], [50, 0, 0, 1], [51, 0, 0, 1], [40, 0, 0, 0]], dtype=float)
    conditions = (Condition("age", ">", 30.0), Condition("age", "<=", 50.0), Condition("married", "=", 1.0))
    assert evaluate(conditions, X, FEATURES).tolist() == [False, True, True, False, False]
    rendered = pd.DataFrame(X, columns=FEATURES).query(render_rule(conditions).replace(" = ", " == "))
    assert rendered.index.tolist() == [1, 2]


def test_the_same_seed_gives_the_same_rules():
    X, labels = planted(seed=3)
    assert rules_of(X, labels, random_state=7) == rules_of(X, labels, random_state=7)


def test_a_rendered_rule_selects_what_the_rule_itself_selects():
    X, labels = planted(seed=1)
    frame = pd.DataFrame(X, columns=FEATURES)
    for rule in rules_of(X, labels):
        # SQL's `=` is pandas' `==`; `and`, `>` and `<=` read the same.
        selected = frame.query(render_rule(rule).replace(" = ", " == "))
        matches = evaluate(rule.conditions, X, FEATURES)
        assert len(selected) == matches.sum() == rule.support
        assert rule.precision == pytest.approx((labels[matches] == rule.segment_id).mean())
        assert rule.recall == pytest.approx(matches[labels == rule.segment_id].mean())


def test_a_single_segment_has_no_rule():
    X, _ = planted()
    assert rules_of(X, np.ones(len(X), dtype=int)) == []


def test_a_segment_no_split_separates_has_no_empty_rule():
    labels = np.repeat([1, 2], [70, 30])  # a majority segment, but nothing in X tells it apart
    assert rules_of(np.zeros((100, 4)), labels) == []


def scaler_of(X: np.ndarray, transforms=None) -> TrainingScaler:
    nan = np.full(X.shape[1], np.nan)
    return TrainingScaler(X.mean(axis=0), X.std(axis=0), nan, transforms or [None] * X.shape[1], nan, nan)


def test_original_units_undo_the_training_scaler_and_a_log_transform():
    X, _ = planted()
    scaler = scaler_of(X)
    np.testing.assert_allclose(original_units((X - scaler.means) / scaler.sds, scaler), X)
    logged = scaler_of(np.log1p(np.abs(X)), ["log"] + [None] * (X.shape[1] - 1))
    back = original_units((np.log1p(np.abs(X)) - logged.means) / logged.sds, logged)
    np.testing.assert_allclose(back[:, 0], np.abs(X[:, 0]))
    np.testing.assert_allclose(back[:, 1:], np.log1p(np.abs(X[:, 1:])))


def test_the_fit_stores_rule_conditions_under_the_stored_segment_ids():
    X, labels = planted()
    scaler = scaler_of(X)
    spec = make_spec(id_column="id", features=FEATURES, k=3, stability_bootstraps=0)
    Z = (X - scaler.means) / scaler.sds
    result = segment(Z, FEATURES, spec)
    rules = segment_rules(original_units(Z, scaler), result.labels, FEATURES, max_depth=3, max_rules=3, random_state=0)
    # A refit matched engine segments 1, 2, 3 to the stored ids 7, 5, 9.
    match = SegmentMatch(segment_ids=np.array([7, 5, 9]), names=result.names, lineage=[])
    table = artifacts(
        spec, "m", result, match, scaler, {"model_version": 2}, n_usable=len(X), n_fit=len(X), rules=rules
    )
    stored = table[table.artifact == "rule_condition"]
    expected = [
        (stored_id, rule.rule_number, c.feature, c.operator, c.value)
        for rule in rules
        for stored_id in [int(match.segment_ids[rule.segment_id - 1])]
        for c in rule.conditions
    ]
    assert list(stored[["segment_id", "k", "name", "text", "value"]].itertuples(index=False, name=None)) == expected
    assert set(stored.segment_id) == {7, 5, 9}


def test_rules_are_plain_values():
    rule = Rule(2, 1, (Condition("age", ">", 24.5), Condition("married", "=", 1.0)), support=3, precision=1, recall=1)
    assert render_rule(rule) == "age > 24.5 and married = 1"
