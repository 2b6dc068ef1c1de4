#!/usr/bin/env python3
"""k-prototypes on the demo's raw categories (case demo_kprototypes) against one-hot k-means: the demo's own
case (demo: chosen dummies) and demo_onehot (every dummy k-prototypes reads, standardised like numbers).

Usage: python bench/kprototypes_demo.py [--size 10m] [--memory-limit 1GB]

1. The bundled demo (integration_tests' seeds, personas planted by scripts/generate_demo_data.py): the
   three cases built with their settings (k from the sweep) into bench/out/kprototypes_demo.duckdb.
   Per case: k, the clustering features, the adjusted Rand index of the segments to the personas (noise
   rows left out), the fit's seconds (segment_model_runs: the Ward tree, k sweep, stability, final fit);
   then the ARI again with k fixed at 5 (the number of personas).
2. At --size generated subscribers (run_benchmark.py's data, cached in bench/out/data/<size>/): per case
   one `dbt build --select +segment_assignments` with k fixed at 5 (run_benchmark's demo settings) into a
   fresh bench/out/kprototypes_<case>_<size>.duckdb, run one case after the other; the seconds of the fit
   model and of the SQL scoring model (int_segment_scores) from dbt's run_results.json.
Prints one table. The machine may be shared: compare the cases of one run.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys

import duckdb
import pandas as pd
import yaml
from generate_customers import parse_count
from run_benchmark import BENCH_DEMO_SETTINGS, DBT, OUT, PROJECT, ROOT, data_dir, dbt_env, generate
from sklearn.metrics import adjusted_rand_score

CASES = ("demo", "demo_kprototypes", "demo_onehot")
FIT_PHASES = ("ward_tree_seconds", "k_sweep_seconds", "stability_seconds", "final_fit_seconds")


def bench_cases() -> dict:
    """integration_tests' cases, plus demo_onehot: k-means on the numeric features and categories of
    demo_kprototypes, each category's vocabulary dummies standardised like numbers (as a plain case's
    default features; the 'other' dummies, which no demo row sets, would be constant)."""
    cases = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]["segmentation"]
    onehot = {key: value for key, value in cases["demo_kprototypes"].items() if key != "categorical_features"}
    dummies = [
        f"{column}__{re.sub('[^a-z0-9]+', '_', value.lower()).strip('_')}"
        for column in cases["demo_kprototypes"]["categorical_features"]
        for value in cases["demo"]["categories"][column]
    ]
    cases["demo_onehot"] = {**onehot, "algorithm": "kmeans", "features": onehot["features"] + dummies}
    return cases


def dbt_build(database, target_path, variables: dict, *select: str, memory_limit: str = "4GB") -> dict:
    """Run `dbt build` (no tests) into `database`; the execution seconds of each model by name."""
    env = dbt_env("kprototypes", memory_limit)
    env.update(SEGMENTATION_DB=str(database), DBT_TARGET_PATH=str(target_path))
    database.unlink(missing_ok=True)
    args = [str(DBT), "build", "--profiles-dir", "profiles", "--vars", json.dumps(variables)]
    args += ["--exclude-resource-type", "test", "unit_test", *(["--select", *select] if select else [])]
    subprocess.run(args, cwd=PROJECT, env=env, check=True, stdout=subprocess.DEVNULL)
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}


def on_the_demo(**settings) -> pd.DataFrame:
    """Per case built on the bundled demo with `settings` over its own: k, features, ARI to the personas,
    seconds of the fit."""
    cases = bench_cases()
    for case in CASES:
        cases[case].update(settings)
    database = OUT / "kprototypes_demo.duckdb"
    dbt_build(database, OUT / "target" / "kprototypes_demo", {"segmentation_cases": list(CASES), "segmentation": cases})
    truth = pd.read_csv(ROOT / "tests" / "fixtures" / "demo_personas.csv", dtype={"subscriber_id": str})
    truth = truth.drop_duplicates("subscriber_id").query("persona != 'noise'")
    with duckdb.connect(str(database), read_only=True) as con:
        assigned = con.sql("select case_name, customer_id, segment_id from segments.segment_assignments").df()
        runs = con.sql(f"select case_name, k, case_config, {', '.join(FIT_PHASES)} from segments.segment_model_runs")
        runs = runs.df().set_index("case_name")
    runs["n_features"] = [len(json.loads(config)["features"]) for config in runs.pop("case_config")]
    if missing := set(CASES) - set(runs.index):
        sys.exit(f"no model for {', '.join(sorted(missing))}: see segment_cases in {database}")
    rows = assigned.merge(truth, left_on="customer_id", right_on="subscriber_id")
    by_case = rows.groupby("case_name")[["persona", "segment_id"]]
    runs["ari_to_personas"] = by_case.apply(lambda g: adjusted_rand_score(g.persona, g.segment_id))
    runs["fit_seconds"] = runs[list(FIT_PHASES)].sum(axis=1)
    return runs[["k", "n_features", "ari_to_personas", "fit_seconds"]]


def at_scale(size: str, memory_limit: str) -> pd.DataFrame:
    n = parse_count(size)
    if not generate(size, n).ok:
        sys.exit(f"generating {size} rows failed: see bench/out/logs/{size}/gen.log")
    cases, rows = bench_cases(), {}
    for case in CASES:
        cases[case].update(BENCH_DEMO_SETTINGS)
        variables = {
            "segmentation_cases": [case],
            "demo_subscribers_path": str(data_dir(size) / "*.parquet"),
            "segmentation": cases,
        }
        database, target = OUT / f"kprototypes_{case}_{size}.duckdb", OUT / "target" / f"kprototypes_{case}_{size}"
        seconds = dbt_build(database, target, variables, "+segment_assignments", memory_limit=memory_limit)
        rows[case] = {
            f"fit_seconds_{size}": seconds["int_segment_model_history"],
            f"sql_scoring_seconds_{size}": seconds["int_segment_scores"],
        }
        database.unlink()
    return pd.DataFrame.from_dict(rows, orient="index")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10m", help="generated subscribers for the scale figures, e.g. 1m, 10m")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory_limit of the scale builds")
    options = parser.parse_args()
    table = on_the_demo().join(on_the_demo(k=5)[["ari_to_personas"]].add_suffix("_k5"))
    table = table.join(at_scale(options.size, options.memory_limit))
    print(table.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
