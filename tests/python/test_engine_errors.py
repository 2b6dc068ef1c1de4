import numpy as np
import pytest

from customer_segmentation import SegmentationError, segment, validate_matrix
from specs import make_spec

NAMES = ["minutes_watched", "clv", "channel__email"]


def matrix(n=20, seed=0):
    return np.random.default_rng(seed).normal(size=(n, len(NAMES)))


def test_a_good_matrix_passes():
    validate_matrix(matrix(), NAMES, k_needed=10)


def test_empty_input():
    with pytest.raises(SegmentationError, match=r"^no usable rows"):
        validate_matrix(np.empty((0, 3)), NAMES, k_needed=2)


def test_fewer_rows_than_k():
    with pytest.raises(SegmentationError, match=r"only 5 usable rows, fewer than k=8"):
        validate_matrix(matrix(5), NAMES, k_needed=8)


def test_fewer_distinct_rows_than_k():
    X = np.repeat(matrix(3), 10, axis=0)
    with pytest.raises(SegmentationError, match=r"only 3 distinct feature rows, fewer than k=4"):
        validate_matrix(X, NAMES, k_needed=4)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinite_values_name_the_column(bad):
    X = matrix()
    X[[3, 7], 1] = bad
    with pytest.raises(SegmentationError, match=r"feature 'clv' has 2 NaN or infinite values"):
        validate_matrix(X, NAMES, k_needed=2)


def test_constant_feature_is_named():
    X = matrix()
    X[:, 2] = 0.0
    message = (
        r"feature 'channel__email' is constant \(standard deviation 0\).*"
        r"drop it from the case's features"
    )
    with pytest.raises(SegmentationError, match=message):
        validate_matrix(X, NAMES, k_needed=2)


def test_feature_names_must_match_columns():
    with pytest.raises(SegmentationError, match=r"has 3 columns but 2 feature names"):
        validate_matrix(matrix(), NAMES[:2], k_needed=2)


def test_matrix_must_be_two_dimensional():
    with pytest.raises(SegmentationError, match=r"must be 2-D"):
        validate_matrix(np.zeros(5), NAMES, k_needed=2)


def test_segment_validates_against_k_max_and_k():
    spec = make_spec(case="t", id_column="id", features=tuple(NAMES), k_max=10)
    with pytest.raises(SegmentationError, match=r"fewer than k=10"):
        segment(matrix(9), NAMES, spec)
    spec = make_spec(case="t", id_column="id", features=tuple(NAMES), k_max=3, k=12)
    with pytest.raises(SegmentationError, match=r"fewer than k=12"):
        segment(matrix(11), NAMES, spec)


def test_segment_reports_a_constant_feature():
    X = matrix()
    X[:, 0] = 5.0
    spec = make_spec(case="t", id_column="id", features=tuple(NAMES), k_max=3)
    with pytest.raises(SegmentationError, match=r"feature 'minutes_watched' is constant"):
        segment(X, NAMES, spec)
