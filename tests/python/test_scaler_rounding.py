"""Scaler parameters are rounded to significant digits so that run-to-run float noise disappears."""

import math

import duckdb
import pytest

from sql_macros import macro

round_significant = macro("scaling/seg_scaler.sql", "seg_round_significant")


def rounded(value: float | None, digits: int = 9, scale: float | None = None) -> float | None:
    con = duckdb.connect()
    sql = round_significant("x", digits, scale="s" if scale is not None else None)
    return con.execute(f"select {sql} from (select ?::double as x, ?::double as s)", [value, scale]).fetchone()[0]


@pytest.mark.parametrize("value", [60312.345678912345, 15.123456789, -3.3333333333333, 0.00012345678912, 1e-300])
def test_last_bit_noise_rounds_away_and_nine_digits_stay(value):
    neighbours = [math.nextafter(value, math.inf), math.nextafter(value, -math.inf), value * (1 + 4e-15)]
    assert {rounded(v) for v in neighbours} == {rounded(value)}
    assert rounded(value) == pytest.approx(value, rel=5e-9)


def test_zero_and_null_are_unchanged():
    assert rounded(0.0) == 0.0
    assert rounded(None) is None


def test_digits_are_significant_not_decimal():
    assert rounded(123456.789, 3) == 123000.0
    assert rounded(0.000123456, 3) == 0.000123


def test_a_mean_rounds_to_the_digits_of_its_sd():
    # a mean of 12345.67... with sd 100: to 1e-6 (9 digits of 100), so z-scores move by at most 5e-9
    assert rounded(12345.678901234567, scale=100.0) == pytest.approx(12345.678901, abs=1e-11)
    assert rounded(60312.345678912345, scale=0.0) == 60312.345678912345  # constant feature: unchanged
