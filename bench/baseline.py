#!/usr/bin/env python3
"""The in-memory baseline: what a data scientist would write instead of the dbt project.

Usage: python bench/baseline.py PARQUET_GLOB   (a file, a directory or a glob such as out/10m/*.parquet)

pandas reads every row (Arrow-backed dtypes), cleans it (normalises the categorical spelling, drops impossible
ages and negative hours, keeps the first row of a repeated subscriber id, fills blank incomes with the
median), one-hot encodes the four categoricals, standardises the 4 numeric columns + the dummies, fits
KMeans(k=5, n_init=10, random_state=42) on ALL rows and prints a profile (mean per segment). It prints the
wall time of each phase and the peak RSS of this process so far, then one `BENCH_JSON {...}` line for
bench/run_benchmark.py.
"""

from __future__ import annotations

import glob
import json
import resource
import sys
import time

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

NUMERIC = ["age", "children", "yearly_income", "hours_per_week"]
CATEGORICAL = ["gender", "education", "marital_status", "favourite_genre"]
K = 5


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # ru_maxrss is KiB on Linux


def read(pattern: str) -> pd.DataFrame:
    files = sorted(glob.glob(pattern))
    if not files:
        raise SystemExit(f"no parquet files match {pattern!r}")
    # Arrow-backed columns: pandas 2's fast path (object strings are ~2x slower and ~1.5x bigger here).
    return pd.read_parquet(files[0] if len(files) == 1 else files, dtype_backend="pyarrow")


def clean(df: pd.DataFrame) -> pd.DataFrame:
    for col in CATEGORICAL:
        df[col] = df[col].str.strip().str.lower()
    df = df[df["age"].between(18, 100) & df["hours_per_week"].between(0, 168)]
    df = df.drop_duplicates("subscriber_id").copy()
    df["yearly_income"] = df["yearly_income"].fillna(df["yearly_income"].median())
    return df


def features(df: pd.DataFrame):
    x = pd.get_dummies(df[NUMERIC + CATEGORICAL], columns=CATEGORICAL)  # bool dummies
    return StandardScaler().fit_transform(x), list(x.columns)  # one float64 matrix


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    phases: dict[str, dict[str, float]] = {}
    start = last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        phases[name] = {"seconds": round(now - last, 3), "peak_rss_gib": round(peak_rss_gib(), 3)}
        print(f"{name:<9} {now - last:8.2f} s   peak RSS so far {peak_rss_gib():6.2f} GiB", flush=True)
        last = now

    df = read(argv[1])
    rows = len(df)
    lap("read")
    df = clean(df)
    lap("clean")
    x, columns = features(df)
    lap("features")
    labels = KMeans(n_clusters=K, n_init=10, random_state=42).fit_predict(x)
    del x
    lap("fit")
    profile = df.assign(segment=labels).groupby("segment")[NUMERIC].mean()
    profile.insert(0, "rows", df.groupby(labels).size())
    lap("profile")
    total = time.perf_counter() - start

    with pd.option_context("display.width", 120, "display.float_format", "{:,.1f}".format):
        print(profile)
    print(f"rows read {rows:,}, clustered {len(df):,}, features {len(columns)}")
    print(f"total     {total:8.2f} s   peak RSS {peak_rss_gib():.2f} GiB   {rows / total:,.0f} rows/s")
    result = {"rows": rows, "seconds": round(total, 3), "peak_rss_gib": round(peak_rss_gib(), 3), "phases": phases}
    print("BENCH_JSON " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
