"""The actionable k recommendation: the largest k whose every segment is reproducible and sized to act on."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from customer_segmentation import SegmentationError, segment, select_k
from customer_segmentation.selection import meets_actionable_rule
from specs import make_spec
from test_engine import SIX, blobs, spec_for

UNEQUAL_SIX = blobs([900, 500, 300, 150, 90, 60], seed=3)  # 45% down to 3% of the rows


def with_outliers(X: np.ndarray, share: float, seed: int = 0) -> np.ndarray:
    """X plus a tight group of `share` x len(X) rows far outside every blob (extreme but valid values)."""
    n = max(int(round(share * len(X))), 2)
    outliers, _ = make_blobs(n_samples=n, centers=[np.full(X.shape[1], 40.0)], cluster_std=0.5, random_state=seed)
    return np.vstack([X, outliers])


def test_six_unequal_groups_give_six():
    X, _ = UNEQUAL_SIX
    choice = select_k(X, spec_for(X)[1])
    assert choice.actionable_k == choice.k == 6
    table = choice.table.set_index("k")
    assert table.loc[6, "segment_stability"] >= 0.8 and table.loc[6, "min_segment_share"] >= 0.02
    assert choice.reason.startswith("k = 6: of the k with every segment reproducible (bootstrap Jaccard ≥ 0.8)")


def test_a_tiny_outlier_group_is_not_a_segment():
    X = with_outliers(SIX[0], share=0.001)  # 0.1% of the rows, far away
    choice = select_k(X, spec_for(X, stability_sample_size=2000)[1])
    assert choice.k == 6, choice.table[["k", "segment_stability", "min_segment_share", "meets_rule"]]
    # Every k that isolates the outliers has a segment under min_segment_share, so none meets the rule.
    table = choice.table.set_index("k")
    assert (table.loc[table["min_segment_share"] < 0.02, "meets_rule"] == False).all()  # noqa: E712
    result = segment(X, tuple(f"f{j}" for j in range(X.shape[1])), spec_for(X)[1])
    assert result.k == 6 and result.sizes.min() > 0.02 * len(X)
    assert result.metrics["trimmed_rows"] == len(X) - len(SIX[0])  # left out of the fit, then assigned


def test_statistical_choice_and_fallback_are_explained():
    X, _ = UNEQUAL_SIX
    statistical = select_k(X, spec_for(X, k_choice="statistical")[1])
    assert statistical.k == statistical.statistical_k
    assert statistical.reason.startswith(f"k = {statistical.statistical_k}: the statistical choice (")
    assert "; of the k with every segment reproducible" in statistical.reason
    # A rule no k can meet (every segment at least 40% of the rows): the statistical choice, said so.
    strict = select_k(X, spec_for(X, min_segment_share=0.4, max_segment_share=0.9)[1])
    assert strict.actionable_k is None and strict.k == strict.statistical_k
    assert "no k in 2..10 has every segment reproducible" in strict.reason
    assert "so the statistical choice is used" in strict.reason
    assert not strict.table["is_actionable_choice"].any()
    off = select_k(X, spec_for(X, stability_bootstraps=0)[1])
    assert off.k == off.statistical_k and off.actionable_k is None
    assert "the actionable rule cannot run without segment stability (stability_bootstraps is 0)" in off.reason


def test_fixed_k_names_both_recommendations():
    X, _ = UNEQUAL_SIX
    names, spec = spec_for(X, k=3, k_sweep=True)
    result = segment(X, names, spec)
    assert result.k == 3 and result.actionable_k == 6
    assert result.k_reason.startswith("k = 3: fixed by the case's k setting; over 2..10 ")
    assert "and of the k with every segment reproducible" in result.k_reason and "pick 6." in result.k_reason


def test_the_rule_reads_stability_and_both_share_bounds():
    X, _ = UNEQUAL_SIX
    spec = spec_for(X)[1]
    table = select_k(X, spec).table.copy()
    assert meets_actionable_rule(table, spec).equals(table["meets_rule"])
    for column, value in (("segment_stability", 0.79), ("min_segment_share", 0.019), ("max_segment_share", 0.51)):
        changed = table.copy()
        changed[column] = value
        assert not meets_actionable_rule(changed, spec).any(), column


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"k_choice": "largest"}, r"unknown k_choice 'largest'; use one of actionable, statistical"),
        ({"min_segment_share": 1.5}, r"min_segment_share must be a number between 0 and 1"),
        ({"min_segment_share": 0.5, "max_segment_share": 0.4}, r"min_segment_share \(0.5\) must be below"),
        ({"transforms": {"b": "winsorize"}}, r"transforms names 'b', which is not one of the case's features"),
        ({"transforms": {"a": "sqrt"}}, r"unknown transform 'sqrt' of 'a'; use one of winsorize, log"),
        ({"winsorize_quantiles": [0.9, 0.1]}, r"winsorize_quantiles must be \[low, high\]"),
    ],
)
def test_rule_settings_are_validated(settings, message):
    with pytest.raises(SegmentationError, match=message):
        make_spec(case="t", id_column="id", features=("a",), **settings)
