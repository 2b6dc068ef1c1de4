"""Published k-means results on the real course-platform data (../shared/data)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from customer_segmentation import segment
from customer_segmentation.kmeans import fit_kmeans
from specs import make_spec

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CSV = DATA / "course_platform_customers.csv"
PUBLISHED_LEGACY_WCSS = 22653.658  # scikit-learn <= 1.2, random_state=42, n_init=10, k=8
PUBLISHED_LEGACY_SIZES = [289, 391, 424, 939, 1055, 372, 58, 306]


@pytest.fixture(scope="module")
def course():
    """The published 14 features: minutes_watched, CLV, region code, 3 region and
    8 channel dummies, standardised with the population standard deviation."""
    if not CSV.exists():
        pytest.skip(f"{CSV} not found")
    raw = pd.read_csv(CSV)
    columns = {
        "minutes_watched": raw["minutes_watched"].fillna(0),  # blank means never watched
        "clv": raw["CLV"],
        "region": raw["region"],
        **{f"region__{r}": raw["region"] == r for r in range(3)},
        **{f"channel__{c}": raw["channel"] == c for c in range(1, 9)},
    }
    features = pd.DataFrame(columns).astype(float)
    X = features.to_numpy()
    assert X.shape == (3834, 14)
    return (X - X.mean(axis=0)) / X.std(axis=0), tuple(features.columns)


def spec_for(names, **settings):
    return make_spec(case="course", id_column="id", features=names, k=8, **settings)


def test_default_settings_match_or_beat_the_published_wcss(course):
    X, names = course
    result = segment(X, names, spec_for(names))
    assert result.inertia <= PUBLISHED_LEGACY_WCSS
    assert result.metrics["n_restarts"] == 10 * 8
    again = segment(X, names, spec_for(names))
    np.testing.assert_array_equal(result.labels, again.labels)


def test_legacy_init_reproduces_scikit_learn_1_2(course):
    X, names = course
    spec = spec_for(names, kmeans_init="k-means++-sklearn-1.2", n_seeds=1, n_init=10)
    result = segment(X, names, spec)
    assert result.inertia == pytest.approx(PUBLISHED_LEGACY_WCSS, abs=1e-3)
    assert result.sizes.tolist() == sorted(PUBLISHED_LEGACY_SIZES, reverse=True)


def test_best_of_seeds_is_the_best_single_seed(course):
    X, _ = course
    single = [fit_kmeans(X, 8, n_init=10, n_seeds=1, random_state=s, init="k-means++").inertia for s in range(42, 46)]
    best = fit_kmeans(X, 8, n_init=10, n_seeds=4, random_state=42, init="k-means++")
    assert best.inertia == min(single)
    assert single[0] == pytest.approx(22973.565, abs=1e-3)  # scikit-learn >= 1.3, seed 42 alone
