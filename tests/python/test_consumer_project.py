"""The package used as a user uses it: a new dbt project in a temporary folder installs it with
`packages.yml` (local), loads a customer table it generates, and segments it through vars alone (one
plain case) and with one custom SQL feature model (a second case). Then the same project with one case
misconfigured: the good case still builds and passes its tests, the bad one fails with a sentence."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.metrics import adjusted_rand_score

from project import ROOT, blank_fill_test, query, run_dbt

# Three planted groups of shoppers: (recency days, orders, spend, preferred channel).
GROUPS = {
    "lapsed_one_timers": ((300, 60), (1, 0.5), (40, 15), "store"),
    "loyal_app_buyers": ((12, 6), (24, 5), (900, 150), "app"),
    "web_regulars": ((45, 15), (8, 2), (300, 60), "web"),
}
PLAIN_CASE = {
    "source": "raw_customers",
    "id_column": "customer_id",
    "numeric": ["recency_days", "orders", "spend"],
    "categories": {"channel": ["web", "store", "app"]},
    "valid_ranges": {"recency_days": [0, 3650], "orders": [0, None]},
    "blank_rules": {"spend": "median"},
    "whole_numbers": ["orders"],
    "k_max": 6,
}
CUSTOM_CASE = {
    "source": {"source": "shop", "table": "raw_customers"},  # a dbt source: what input rows are counted from
    "features_model": "int_shoppers__rfm",
    "id_column": "customer_id",
    "features": ["log_recency", "log_orders", "log_spend"],
    "k": 3,
}
CUSTOM_MODEL = """
    -- RFM on a log scale: the one custom feature model of the second case.
    with typed as (
        select
            customer_id,
            try_cast(recency_days as double) as recency_days,
            try_cast(orders as double) as orders,
            try_cast(spend as double) as spend
        from {{ ref('raw_customers') }}
    )

    select
        customer_id,
        case
            when recency_days is null or orders is null or spend is null then 'missing_value'
            when recency_days < 0 or orders < 0 or spend < 0 then 'negative_value'
        end as quarantine_reason,
        ln(1 + greatest(recency_days, 0)) as log_recency,
        ln(1 + greatest(orders, 0)) as log_orders,
        ln(1 + greatest(spend, 0)) as log_spend
    from typed
"""


def customers(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for group, ((r, r_sd), (o, o_sd), (s, s_sd), channel) in GROUPS.items():
        n = 400
        frames.append(
            pd.DataFrame(
                {
                    "group": group,
                    "recency_days": np.clip(rng.normal(r, r_sd, n), 0, None).round(),
                    "orders": np.clip(rng.normal(o, o_sd, n), 1, None).round(),
                    "spend": np.clip(rng.normal(s, s_sd, n), 1, None).round(2),
                    "channel": np.where(rng.random(n) < 0.97, channel, rng.choice(["web", "store", "app"], n)),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=seed, ignore_index=True)
    table.insert(0, "customer_id", [f"C{i:05d}" for i in range(len(table))])
    table = table.astype({"recency_days": "object", "spend": "object"})
    table.loc[5, "spend"] = None  # a blank spend: median-filled, flagged
    table.loc[6, "recency_days"] = -3  # outside valid_ranges: quarantined
    table.loc[7, "spend"] = "12,50"  # not a number: quarantined, never filled
    table.loc[8, "orders"] = 2.5  # not a whole number of orders: quarantined, never rounded
    return table


def write_project(folder: Path, cases: dict) -> Path:
    (folder / "seeds").mkdir(parents=True)
    (folder / "models").mkdir()
    customers().drop(columns="group").to_csv(folder / "seeds" / "raw_customers.csv", index=False)
    (folder / "seeds" / "_seeds.yml").write_text(
        yaml.safe_dump(
            {"version": 2, "seeds": [{"name": "raw_customers", "config": {"column_types": {"spend": "varchar"}}}]}
        )
    )
    (folder / "models" / "int_shoppers__rfm.sql").write_text(textwrap.dedent(CUSTOM_MODEL))
    sources = {"version": 2, "sources": [{"name": "shop", "schema": "main", "tables": [{"name": "raw_customers"}]}]}
    (folder / "models" / "_sources.yml").write_text(yaml.safe_dump(sources))
    project = {
        "name": "my_shop",
        "version": "1.0.0",
        "config-version": 2,
        "profile": "my_shop",
        "flags": {"require_ref_searches_node_package_before_root": True},
        "vars": {"segmentation": cases},
    }
    (folder / "dbt_project.yml").write_text(yaml.safe_dump(project, sort_keys=False))
    (folder / "packages.yml").write_text(yaml.safe_dump({"packages": [{"local": str(ROOT)}]}))
    (folder / "profiles").mkdir()
    profile = {
        "my_shop": {"target": "dev", "outputs": {"dev": {"type": "duckdb", "path": "{{ env_var('SEGMENTATION_DB') }}"}}}
    }
    (folder / "profiles" / "profiles.yml").write_text(yaml.safe_dump(profile))
    return folder


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A consumer project with a plain case and a custom one, built."""
    folder = write_project(tmp_path_factory.mktemp("my_shop"), {"shoppers": PLAIN_CASE, "shoppers_rfm": CUSTOM_CASE})
    database = folder / "shop.duckdb"
    run_dbt(["deps"], database, project=folder)
    run_dbt(["seed"], database, project=folder)  # the customer table exists before the build, as a source would
    done = run_dbt(["build"], database, project=folder)
    return folder, database, done


def test_the_consumer_project_is_small(shop):
    folder, _, _ = shop
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and is_user_file(p, folder))
    assert files == [
        "dbt_project.yml",
        "models/_sources.yml",
        "models/int_shoppers__rfm.sql",
        "packages.yml",
        "profiles/profiles.yml",
        "seeds/_seeds.yml",
        "seeds/raw_customers.csv",
    ]


def is_user_file(path: Path, folder: Path) -> bool:
    generated = {"target", "logs", "dbt_packages", "package-lock.yml", ".user.yml"}  # written by dbt
    parts = path.relative_to(folder).parts
    return parts[0] not in generated and parts[-1] not in generated and path.suffix != ".duckdb"


def test_every_case_is_segmented(shop):
    _, database, _ = shop
    cases = query(database, "select * from segment_cases order by case_name")
    assert cases.case_name.tolist() == ["shoppers", "shoppers_rfm"]
    assert (cases.status == "segmented").all() and cases.problem.isna().all()
    # The marts have a schema of their own: <target schema>_segments under dbt's default schema naming.
    marts = query(database, "select distinct schema_name from duckdb_tables() where table_name like 'segment_%'")
    assert marts.schema_name.tolist() == ["main_segments"]


def test_every_source_row_is_assigned_or_quarantined(shop):
    _, database, _ = shop
    for case_name in ("shoppers", "shoppers_rfm"):
        counts = query(
            database,
            f"""
            select
                (select count(*) from raw_customers) as source_rows,
                (select count(*) from segment_assignments where case_name = '{case_name}') as assigned,
                (select count(*) from segment_quarantine where case_name = '{case_name}') as quarantined
            """,
        ).iloc[0]
        assert counts.assigned + counts.quarantined == counts.source_rows == len(customers())
    reasons = query(
        database, "select customer_id, quarantine_reason from segment_quarantine where case_name = 'shoppers'"
    )
    assert dict(zip(reasons.customer_id, reasons.quarantine_reason, strict=True)) == {
        "C00006": "invalid_recency_days",
        "C00007": "unparseable_spend",
        "C00008": "fractional_orders",
    }
    filled = query(database, "select spend_was_blank from int_segment_features where customer_id = 'C00005'")
    assert filled.spend_was_blank.tolist() == [1]


def test_a_blank_fill_above_the_share_warns(shop):
    folder, database, _ = shop  # 1 blank spend among ~1,200 usable rows
    assert blank_fill_test(database, {}, folder)["status"] == "pass"
    warned = blank_fill_test(database, {}, folder, max_blank_fill_share=0.0005)
    assert warned["status"] == "warn" and warned["failures"] == 1


def test_the_plain_case_takes_k_from_the_sweep_and_finds_the_groups(shop):
    _, database, _ = shop
    run = query(database, "select * from segment_model_runs where case_name = 'shoppers'").iloc[0]
    assert run.k == run.recommended_k == 3
    truth = customers()[["customer_id", "group"]]
    assigned = query(database, "select customer_id, segment_id from segment_assignments where case_name = 'shoppers'")
    rows = assigned.merge(truth, on="customer_id")
    assert adjusted_rand_score(rows.group, rows.segment_id) >= 0.9


def test_profiles_and_names_are_there(shop):
    _, database, _ = shop
    names = query(database, "select case_name, segment_name from segment_summary order by all")
    assert len(names) == 6 and names.segment_name.str.len().gt(0).all()
    features = query(database, "select distinct feature from segment_profiles where case_name = 'shoppers'")
    assert {"recency_days", "orders", "spend", "channel__app", "channel__other", "spend_was_blank"} <= set(
        features.feature
    )


def test_a_misconfigured_case_fails_alone(shop, tmp_path):
    folder, database, _ = shop
    bad = {**CUSTOM_CASE, "k_mx": 5}
    done = run_dbt(["build", "--vars", json.dumps({"segmentation": {"shoppers": PLAIN_CASE, "shoppers_rfm": bad}})],
                   database, check=False, project=folder)  # fmt: skip
    assert done.returncode != 0
    assert (
        "case 'shoppers_rfm': unknown setting 'k_mx' in vars.segmentation.shoppers_rfm; did you mean 'k_max'?"
        in done.stdout
    )
    results = json.loads((folder / "target" / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] not in ("success", "pass", "warn")]
    assert len(failed) == 1 and failed[0].startswith("test.customer_segmentation.seg_cases_built"), failed
    assert len(results) > 60  # the good case's models and tests ran
    cases = query(database, "select case_name, status from segment_cases order by 1")
    assert cases.status.tolist() == ["segmented", "invalid"]
    assert query(database, "select count(*) as n from segment_assignments where case_name = 'shoppers'").n[0] > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"features": ["log_recency", "log_orderz"]}, "case 'shoppers_rfm': column 'log_orderz' is not in"),
        ({"k_max": "six"}, 'vars.segmentation.shoppers_rfm.k_max must be a whole number, got "six".'),
        ({"features": ['log_spend"; drop table raw_customers; --']}, "column names must be letters, digits and"),
        ({"algorithm": "dbscan"}, "case 'shoppers_rfm': unknown algorithm 'dbscan'"),  # refused by the fit
    ],
)
def test_each_problem_is_named_and_the_other_case_still_builds(shop, change, message):
    folder, database, _ = shop
    cases = {"shoppers": PLAIN_CASE, "shoppers_rfm": {**CUSTOM_CASE, **change}}
    done = run_dbt(["build", "--vars", json.dumps({"segmentation": cases})], database, check=False, project=folder)
    assert done.returncode != 0 and message in done.stdout, done.stdout[-3000:]
    statuses = query(database, "select case_name, status from segment_cases order by 1").status.tolist()
    assert statuses[0] == "segmented" and statuses[1] != "segmented"
    assert query(database, "select count(*) as n from raw_customers").n[0] == len(customers())  # nothing was dropped
