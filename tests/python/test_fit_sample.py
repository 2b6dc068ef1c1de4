"""The fit sample read in SQL from int_segment_fit_inputs: the fit_sample_size rows with the smallest
seeded hash of the id, ordered by id (numerically where ids are numbers)."""

import duckdb
import pytest

from customer_segmentation import dbt_model
from customer_segmentation.dbt_model import read_fit_sample
from specs import make_spec


def spec(size: int, random_state: int = 7):
    return make_spec(case="c", id_column="customer_id", features=["x"], fit_sample_size=size, random_state=random_state)


@pytest.fixture
def rows():
    con = duckdb.connect()
    con.execute(
        "create table t as select 'c' as case_name, cast(range as varchar) as customer_id, "
        "cast(range as double) as customer_id_number, list_value(range * 0.5) as features from range(20000)"
    )
    return con


def exact(con, n_rows: int, size: int, random_state: int) -> list[int]:
    """The definition, by sorting every row's hash."""
    found = con.execute(
        f"select customer_id from t where customer_id_number < {n_rows} "
        f"order by hash(customer_id, {random_state}) limit {size}"
    ).fetchall()
    return sorted(int(i) for (i,) in found)


CASES = [(20000, 1000), (20000, 19000), (40, 20), (30, 30), (10, 50)]


@pytest.mark.parametrize("margin", [1.25, 0.5])  # 0.5: the pre-filter keeps too few, so every row is ranked
@pytest.mark.parametrize("random_state", [0, 1, 2])
@pytest.mark.parametrize(("n_rows", "size"), CASES)
def test_sample_is_the_smallest_hashes_ordered_by_id(rows, monkeypatch, n_rows, size, random_state, margin):
    monkeypatch.setattr(dbt_model, "SAMPLE_MARGIN", margin)
    relation = rows.table("t").filter(f"customer_id_number < {n_rows}")
    frame, counted = read_fit_sample(relation, spec(size, random_state))
    assert counted == n_rows
    assert list(frame.columns) == ["customer_id", "x"]
    ids = frame.customer_id.astype(int).tolist()
    assert ids == exact(rows, n_rows, size, random_state)  # numeric order ("10" after "9")
    assert (frame.x == frame.customer_id.astype(int) * 0.5).all()  # the list's element, named by the feature
