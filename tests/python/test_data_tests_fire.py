"""The data tests that guard the scale path pass on the built demo and fire on the faults they exist for.

The database may hold every case (the test command builds them all) while `dbt test` here checks the
demo, so the faults are planted in demo rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from project import connect, run_dbt, scratch_copy
from test_demo_end_to_end import demo_db  # noqa: F401 - shared session fixture

# (dbt selector of the tests, SQL that plants the fault they must catch)
FAULTS = {
    "a feature row lost its staging id": (
        "every_case_one_row_per_input",
        "update int_demo__features set subscriber_id = subscriber_id || 'x' "
        "where subscriber_id = (select min(subscriber_id) from int_demo__features)",
    ),
    "a usable row in two genres": (
        "every_case_one_hot",
        "update int_demo__features set favourite_genre__pop = 1, favourite_genre__rock = 1 "
        "where subscriber_id = (select min(subscriber_id) from int_demo__features where quarantine_reason is null)",
    ),
    "a usable row without a feature value": (
        "every_case_features_usable",
        "update int_demo__features set age = null "
        "where subscriber_id = (select min(subscriber_id) from int_demo__features where quarantine_reason is null)",
    ),
    "a usable id twice": (
        "every_case_unique_usable_ids",
        "insert into int_demo__features select * from int_demo__features where quarantine_reason is null limit 1",
    ),
    "a projected customer in the wrong segment": (
        "test_name:seg_sample_covers_population",
        "update segment_projection_2d set segment_id = segment_id % 5 + 1 "
        "where customer_id = (select min(customer_id) from segment_projection_2d)",
    ),
    "a projection sample far too small": (
        "test_name:seg_sample_covers_population",
        "delete from segment_projection_2d where hash(customer_id) % 2 = 0",
    ),
    "two open membership periods for a customer": (
        "segment_membership_history",
        "insert into segment_membership_history "
        "select * from segment_membership_history where valid_to is null limit 1",
    ),
    "a customer assigned twice": (
        "test_name:seg_rows_accounted_for",
        "insert into int_segment_scores select * from int_segment_scores where case_name = 'demo' limit 1",
    ),
    "a customer assigned in another's place": (
        "test_name:seg_rows_accounted_for",
        "update int_segment_scores set customer_id = customer_id || 'x' where case_name = 'demo' "
        "and customer_id = (select min(customer_id) from int_segment_scores where case_name = 'demo')",
    ),
    "a customer scored into a segment its model does not have": (
        "test_name:seg_rows_accounted_for",
        "update int_segment_scores set segment_id = 99 where case_name = 'demo' "
        "and customer_id = (select min(customer_id) from int_segment_scores where case_name = 'demo')",
    ),
    "a customer left scored by an older model": (
        "test_name:seg_scored_by_current_model",
        "update int_segment_scores set model_id = 'demo-v0-older' where case_name = 'demo' "
        "and customer_id = (select min(customer_id) from int_segment_scores where case_name = 'demo')",
    ),
    "a fitted segment nobody is in": (
        "test_name:seg_every_segment_used",
        "update int_segment_scores set segment_id = 1 where case_name = 'demo' and segment_id = 2",
    ),
    "an open membership period in the wrong segment": (
        "segment_membership_history_open_periods_are_the_assignments",
        "update segment_membership_history set segment_id = segment_id % 5 + 1 "
        "where valid_to is null and customer_id = (select min(customer_id) from segment_membership_history)",
    ),
    "a feature scaled with the wrong sd": (
        "every_case_standardized",
        "update int_segment_scalers set sd_value = 2 * sd_value where case_name = 'demo' and feature = 'age'",
    ),
}


def dbt_test(database: Path, selector: str):
    return run_dbt(
        ["test", "--select", *selector.split(), "--vars", "{segmentation_cases: [demo]}"], database, check=False
    )


def test_they_pass_on_the_built_demo(demo_db, tmp_path):  # noqa: F811
    database = scratch_copy(demo_db, tmp_path)
    selectors = " ".join(sorted({selector for selector, _ in FAULTS.values()}))
    done = dbt_test(database, selectors)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.mark.parametrize("fault", list(FAULTS))
def test_they_fire_on_the_fault(demo_db, tmp_path, fault):  # noqa: F811
    selector, plant = FAULTS[fault]
    database = scratch_copy(demo_db, tmp_path)
    with connect(database, read_only=False) as con:
        con.execute(plant)
    done = dbt_test(database, selector)
    assert done.returncode != 0 and " FAIL " in done.stdout, done.stdout[-3000:]
