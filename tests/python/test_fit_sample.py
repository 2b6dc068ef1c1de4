"""The fit sample read in SQL: the fit_sample_size rows with the smallest seeded id hash, by id."""

import duckdb
import pytest

from customer_segmentation import SegmentationError, SegmentationSpec, dbt_model
from customer_segmentation.dbt_model import read_fit_sample


def spec(size: int, random_state: int = 7) -> SegmentationSpec:
    case = {"id_column": "customer_id", "features": ["x"], "fit_sample_size": size, "random_state": random_state}
    return SegmentationSpec.from_vars({}, {"c": case}, "c")


@pytest.fixture
def rows():
    con = duckdb.connect()
    con.execute("create table t as select range as customer_id, range * 0.5 as x, 'other' as y from range(20000)")
    return con


def exact(con, n_rows: int, size: int, random_state: int) -> list[int]:
    """The definition, by sorting every row's hash."""
    found = con.execute(
        f"select customer_id from t where customer_id < {n_rows} "
        f"order by hash(customer_id, {random_state}) limit {size}"
    ).fetchall()
    return sorted(i for (i,) in found)


CASES = [(20000, 1000), (20000, 19000), (40, 20), (30, 30), (10, 50)]


@pytest.mark.parametrize("margin", [1.25, 0.5])  # 0.5: the pre-filter keeps too few, so every row is ranked
@pytest.mark.parametrize("random_state", [0, 1, 2])
@pytest.mark.parametrize(("n_rows", "size"), CASES)
def test_sample_is_the_smallest_hashes_ordered_by_id(rows, monkeypatch, n_rows, size, random_state, margin):
    monkeypatch.setattr(dbt_model, "SAMPLE_MARGIN", margin)
    relation = rows.table("t").filter(f"customer_id < {n_rows}")
    frame, counted = read_fit_sample(relation, spec(size, random_state))
    assert counted == n_rows
    assert list(frame.columns) == ["customer_id", "x"]
    assert frame.customer_id.tolist() == exact(rows, n_rows, size, random_state)


def test_missing_columns_are_named(rows):
    bad = SegmentationSpec.from_vars({}, {"c": {"id_column": "customer_id", "features": ["nope"]}}, "c")
    with pytest.raises(SegmentationError, match="nope"):
        read_fit_sample(rows.table("t"), bad)
