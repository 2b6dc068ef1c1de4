"""Does fitting on a sample cost quality? On a database the benchmark built, compares the k-means
objective over ALL rows of the sample-fitted model (as scored in SQL) with a k-means fit on all rows.

    python bench/sample_quality.py bench/out/1m.duckdb
"""

from __future__ import annotations

import sys
import time

import duckdb
import yaml
from run_benchmark import BENCH_DEMO_SETTINGS, PROJECT
from sklearn.cluster import KMeans


def main(database: str) -> int:
    features = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]["segmentation"]["demo"]["features"]
    with duckdb.connect(database, read_only=True) as con:
        con.execute("set search_path = 'main,segments'")  # the marts' schema
        sampled = con.sql(
            "select sum(distance_to_centroid * distance_to_centroid), count(*) "
            "from int_segment_scores where case_name = 'demo'"
        ).fetchone()
        fit_rows = con.sql("select fit_rows from segment_model_runs where is_current and case_name = 'demo'").fetchone()
        columns = ", ".join(f"features[{i}]" for i in range(1, len(features) + 1))
        X = con.sql(f"select {columns} from int_segment_fit_inputs where case_name = 'demo'").df().to_numpy(float)
    started = time.perf_counter()
    k, n_init = BENCH_DEMO_SETTINGS["k"], BENCH_DEMO_SETTINGS["n_init"]
    full = KMeans(n_clusters=k, n_init=n_init, random_state=42).fit(X)
    print(f"rows scored: {sampled[1]:,}; model fitted on {fit_rows[0]:,} sampled rows")
    print(f"objective over all rows, sample-fitted model (SQL scoring): {sampled[0]:,.1f}")
    print(
        f"objective over all rows, k-means fitted on all rows:       {full.inertia_:,.1f} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    print(f"sample fit is {100 * (sampled[0] / full.inertia_ - 1):+.3f}% from the full fit (target: within 1%)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
