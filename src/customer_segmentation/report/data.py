"""What the report shows, read from the marts of one build: plain rows, ready for charts and tables.

Every query reads a mart of the connection's current schema (the marts schema); a case's values are bound
as parameters. The health tests' results come from dbt's run_results.json of the same build.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb

from ..naming import feature_label

# The package's segment-health tests (macros/tests/seg_health_tests.sql): their latest results are shown.
HEALTH_TESTS = (
    "seg_population_stability",
    "seg_segment_churn",
    "seg_centroid_shift",
    "seg_silhouette_floor",
    "seg_feature_drift",
    "seg_blank_fill_share",
)

K_COLUMNS = (
    "k, inertia, silhouette, stability, segment_stability, bic, min_segment_share, max_segment_share, meets_rule, "
    "is_statistical_choice, is_actionable_choice, is_chosen"
)
# segment_model_runs without the long texts; its *_seconds columns are the fit's phases.
MODEL_COLUMNS = (
    "* exclude (case_config, library_versions, training_data_hash, fitted_at), cast(fitted_at as varchar) as fitted_at"
)


def load_report(con: duckdb.DuckDBPyConnection, target_dir: Path | None = None) -> dict[str, Any]:
    """Everything the report shows, for every case of segment_cases."""
    tables = {
        row[0]
        for row in con.sql(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = current_schema()"
        ).fetchall()
    }
    cases = _rows(con, "select case_name, status, problem from segment_cases order by case_name")
    return {
        "cases": [_case(con, case, tables) for case in cases],
        "health_tests": health_test_results(target_dir) if target_dir else [],
    }


def _case(con: duckdb.DuckDBPyConnection, case: dict, tables: set[str]) -> dict[str, Any]:
    name = case["case_name"]
    if case["status"] != "segmented":
        return case
    versions = _rows(
        con,
        f"select {MODEL_COLUMNS} from segment_model_runs where case_name = ? order by model_version",
        name,
    )
    model = next(version for version in versions if version["is_current"])
    model["phases"] = {
        column.removesuffix("_seconds").replace("_", " "): seconds
        for column, seconds in model.items()
        if column.endswith("_seconds") and seconds is not None
    }
    labels = json.loads(model.pop("parameters") or "{}").get("feature_labels", {})
    for version in versions:
        version.pop("parameters", None)
    segments = _rows(
        con,
        "select segment_id, segment_name, customers, share, training_share, psi_term from segment_summary "
        "where case_name = ? order by segment_id",
        name,
    )
    profile = _rows(
        con,
        "select segment_id, feature, feature_position, segment_mean, population_mean, lift, z_score "
        "from segment_profiles where case_name = ? order by feature_position, segment_id",
        name,
    )
    for row in profile:
        row["feature_label"] = feature_label(row["feature"], labels)
    targeting_table = f"{name}__segment_targeting"
    return {
        **case,
        "model": model,
        "versions": versions,
        "k_selection": _rows(
            con, f"select {K_COLUMNS} from segment_k_selection where case_name = ? and is_current order by k", name
        ),
        "segments": segments,
        "population_stability_index": sum(segment["psi_term"] for segment in segments),
        "profile": profile,
        "projection": _rows(
            con,
            "select segment_id, pc1, pc2 from segment_projection_2d where case_name = ? order by customer_id",
            name,
        ),
        "rules": _rows(
            con,
            "select segment_id, segment_name, rule_number, rule, support, precision, recall, evaluated_customers "
            "from segment_rules where case_name = ? order by segment_id, rule_number",
            name,
        ),
        "lineage": _rows(
            con,
            "select model_version, previous_segment_id, segment_id, change_type, centroid_shift "
            "from segment_lineage where case_name = ? and is_current "
            "order by coalesce(segment_id, previous_segment_id), previous_segment_id",
            name,
        ),
        "quarantine": _rows(
            con,
            "select quarantine_reason, count(*) as customers from segment_quarantine where case_name = ? "
            "group by quarantine_reason order by customers desc, quarantine_reason",
            name,
        ),
        "targeting": _rows(
            con,
            "select segment_id, segment_name, customers, responders, response_rate, lift, lift_low, lift_high, "
            f"targeting_action from {_quoted(targeting_table)} order by segment_id",
        )
        if targeting_table in tables
        else [],
    }


def health_test_results(target_dir: Path) -> list[dict[str, Any]]:
    """The latest result of each segment-health test in a dbt target folder (run_results.json, manifest.json)."""
    results_path, manifest_path = target_dir / "run_results.json", target_dir / "manifest.json"
    if not results_path.exists() or not manifest_path.exists():
        return []
    nodes = json.loads(manifest_path.read_text())["nodes"]
    rows = []
    for result in json.loads(results_path.read_text())["results"]:
        node = nodes.get(result["unique_id"], {})
        test = (node.get("test_metadata") or {}).get("name")
        if test in HEALTH_TESTS:
            rows.append(
                {
                    "test": test,
                    "model": (node.get("attached_node") or "").rsplit(".", 1)[-1],
                    "column": node.get("column_name"),
                    "status": result["status"],
                    "failures": result.get("failures"),
                    "message": result.get("message"),
                }
            )
    return sorted(rows, key=lambda row: (row["test"], row["model"], row["column"] or ""))


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *parameters: Any) -> list[dict[str, Any]]:
    relation = con.execute(sql, list(parameters))
    names = [column[0] for column in relation.description]
    return [dict(zip(names, map(_plain, row), strict=True)) for row in relation.fetchall()]


def _plain(value: Any) -> Any:
    """JSON-ready: NaN becomes None (null), numpy and decimal numbers become floats."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "__float__") and not isinstance(value, int | float | bool):
        return float(value)
    return value


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
