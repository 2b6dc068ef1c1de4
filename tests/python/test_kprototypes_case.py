"""The demo's subscribers segmented by k-prototypes on their raw categories (case demo_kprototypes): the
planted personas come back, SQL scoring is the documented k-prototypes cost on every row, profiles show
category shares, names and prototypes read as categories."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from customer_segmentation.kprototypes import assign_prototypes
from project import ROOT, case_spec, query, reuse_or_build, standardized_points

CASE = "demo_kprototypes"


def has_case(database: Path) -> bool:
    return query(database, f"select count(*) as n from segment_assignments where case_name = '{CASE}'").n[0] > 0


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """The database the test command built, else a fresh build of this case alone."""
    return reuse_or_build(tmp_path_factory, CASE, has_case, ["build", "--vars", f"{{segmentation_cases: [{CASE}]}}"])


def assignments(database: Path) -> pd.DataFrame:
    return query(
        database,
        f"select customer_id, segment_id, segment_name from segment_assignments where case_name = '{CASE}' "
        "order by customer_id",
    )


def test_the_planted_personas_are_recovered(database):
    truth = pd.read_csv(ROOT / "tests" / "fixtures" / "demo_personas.csv", dtype={"subscriber_id": str})
    truth = truth.drop_duplicates("subscriber_id")
    rows = assignments(database).merge(truth, left_on="customer_id", right_on="subscriber_id")
    personas = rows[rows.persona != "noise"]
    assert len(personas) > 8000
    assert adjusted_rand_score(personas.persona, personas.segment_id) >= 0.9


def test_sql_scoring_is_the_k_prototypes_cost_on_every_row(database):
    """Numeric squared distance + gamma × mismatches, computed from the stored prototypes (numeric centres
    and one mode per categorical column) on the codes of every customer, picks the segment SQL stored."""
    spec = case_spec(database, CASE)
    points = standardized_points(database, CASE, spec.features).sort_values("customer_id").reset_index(drop=True)
    centroids = query(
        database, f"select segment_id, feature, centroid_standardized from segment_centroids where case_name = '{CASE}'"
    ).pivot(index="segment_id", columns="feature", values="centroid_standardized")[list(spec.features)]
    categorical = [j for group in spec.categorical_groups for j in group]
    numeric = [f for j, f in enumerate(spec.features) if j not in categorical]

    def codes(frame: pd.DataFrame) -> np.ndarray:  # position of the set indicator in each group, -1: none
        blocks = [frame[[spec.features[j] for j in group]].to_numpy() for group in spec.categorical_groups]
        return np.stack([np.where(b.max(axis=1) > 0, b.argmax(axis=1), -1) for b in blocks], axis=1)

    labels, _ = assign_prototypes(
        points[numeric].to_numpy(), codes(points), centroids[numeric].to_numpy(), codes(centroids), spec.gamma
    )
    stored = assignments(database)
    assert stored.customer_id.tolist() == points.customer_id.tolist()  # 100% of the usable rows
    np.testing.assert_array_equal(stored.segment_id.to_numpy(), centroids.index.to_numpy()[labels])


def test_profiles_show_the_category_shares_of_every_segment(database):
    shares = query(
        database,
        f"select segment_id, feature, segment_mean from segment_profiles where case_name = '{CASE}' "
        "and feature like 'marital_status__%'",
    )
    assert shares.feature.nunique() == 5  # the vocabulary and other
    np.testing.assert_allclose(shares.groupby("segment_id").segment_mean.sum(), 1.0)


def test_prototypes_and_names_read_as_categories(database):
    """A prototype's indicators back in original units are 1 for its mode and 0 otherwise; the names carry
    modes that tell segments apart (marital status: the personas are single, married or widowed)."""
    prototypes = query(
        database,
        f"select segment_id, feature, centroid_original from segment_centroids where case_name = '{CASE}' "
        "and feature like 'marital_status__%'",
    )
    assert sorted(prototypes.centroid_original.round(12).unique()) == [0.0, 1.0]
    assert (prototypes.groupby("segment_id").centroid_original.sum().round(12) == 1.0).all()
    names = query(database, f"select segment_name from segment_summary where case_name = '{CASE}'").segment_name
    assert any("married" in name.split(" · ") for name in names), names.tolist()
