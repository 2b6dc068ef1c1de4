"""Bootstrap stability of each k in the k-selection table."""

import numpy as np
import pandas as pd
import pytest

from customer_segmentation import SegmentationError, select_k
from customer_segmentation.stability import stability_scores
from specs import make_spec
from test_engine import FOUR, spec_for


@pytest.mark.parametrize("algorithm", ["kmeans", "ward", "gmm"])
def test_true_k_is_more_stable_than_wrong_k(algorithm):
    X, _ = FOUR
    names, spec = spec_for(X, algorithm=algorithm, stability_bootstraps=4, stability_sample_size=400)
    scores = dict(zip([3, 4, 6], stability_scores(X, [3, 4, 6], spec).stability, strict=True))
    assert scores[4] > 0.99
    assert scores[4] > scores[3] + 0.1 and scores[4] > scores[6] + 0.1, scores


def test_stability_column_in_the_selection_table():
    X, _ = FOUR
    choice = select_k(X, spec_for(X, k_max=6, stability_bootstraps=3, stability_sample_size=300)[1])
    table = choice.table
    assert choice.k == 4
    assert table["stability"].between(-1, 1).all()
    stability = table.set_index("k")["stability"]
    assert stability[4] > 0.99 and stability[4] == stability.max()
    assert stability[2] < 0.5 and stability[6] < 0.9  # splitting or merging blobs varies between resamples


def test_k_beyond_the_stability_sample_gets_no_score():
    X, _ = FOUR
    spec = spec_for(X, k_max=5, stability_bootstraps=2, stability_sample_size=4)[1]
    scores = stability_scores(X, [2, 5], spec)
    assert np.isfinite(scores.stability[0]) and np.isnan(scores.stability[1])
    assert np.isfinite(scores.segment_stability[0]) and np.isnan(scores.segment_stability[1])


def test_stability_is_deterministic_and_can_be_turned_off():
    X, _ = FOUR
    spec = spec_for(X, k_max=5, stability_bootstraps=3, stability_sample_size=300)[1]
    first, second = select_k(X, spec).table, select_k(X, spec).table
    pd.testing.assert_frame_equal(first, second)
    off = select_k(X, spec_for(X, k_max=5, stability_bootstraps=0, k_choice="statistical")[1]).table
    assert off[["stability", "segment_stability"]].isna().all().all()
    # stability does not vote
    np.testing.assert_array_equal(off["is_statistical_choice"], first["is_statistical_choice"])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"stability_bootstraps": 1}, r"stability_bootstraps must be 0 \(off\) or at least 2"),
        ({"stability_bootstraps": -1}, r"stability_bootstraps must be at least 0"),
        ({"stability_sample_size": 1}, r"stability_sample_size must be at least 2"),
    ],
)
def test_stability_settings_are_validated(settings, message):
    with pytest.raises(SegmentationError, match=message):
        make_spec(case="t", id_column="id", features=("a",), **settings)
