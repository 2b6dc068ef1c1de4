"""The segment report: one HTML file that opens offline, a section per case, built from a build's marts.

    python -m customer_segmentation.report --database segmentation.duckdb --target-dir target

The charts are Vega-Lite specifications (written with Altair) rendered in the browser by Vega, whose
JavaScript (from the pinned vl-convert-python) is inlined: the file needs no network and no server.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import vl_convert

from .charts import case_charts
from .data import load_report

TEMPLATE = "template.html.j2"


def write_report(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    target_dir: Path | None = None,
    title: str = "",
    schema: str = "segments",
) -> Path:
    """Writes the report of the marts the connection reads (its current schema) to path; returns path."""
    report = load_report(con, target_dir)
    html = render(report, title or f"built {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}", schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def render(report: dict[str, Any], title: str, schema: str) -> str:
    charts = {
        f"{case['case_name']}--{name}": spec
        for case in report["cases"]
        if case["status"] == "segmented"
        for name, spec in case_charts(case).items()
    }
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("customer_segmentation.report", "."),
        autoescape=jinja2.select_autoescape(["j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
    )
    environment.filters.update(num=_number, pct=_percent, fixed=_fixed)
    template = environment.get_template(TEMPLATE)
    return template.render(
        title=title,
        schema=schema,
        cases=report["cases"],
        health_tests=report["health_tests"],
        vega_bundle=jinja2.utils.markupsafe.Markup(_script_text(vl_convert.javascript_bundle())),
        summary_json=jinja2.utils.markupsafe.Markup(_script_text(json.dumps(summary(report)))),
        charts_json=jinja2.utils.markupsafe.Markup(_script_text(json.dumps(charts))),
    )


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The report's headline numbers, embedded as JSON so that a reader (or a test) can check them."""
    cases = []
    for case in report["cases"]:
        entry = {key: case[key] for key in ("case_name", "status", "problem")}
        if case["status"] == "segmented":
            model = case["model"]
            entry |= {key: model[key] for key in ("model_id", "k", "statistical_k", "actionable_k", "k_reason")}
            entry |= {
                "segments": [
                    {key: segment[key] for key in ("segment_id", "segment_name", "customers", "share")}
                    for segment in case["segments"]
                ],
                "population_stability_index": case["population_stability_index"],
            }
        cases.append(entry)
    return {"cases": cases, "health_tests": report["health_tests"]}


def _script_text(text: str) -> str:
    """Text safe inside a <script> element, which '</script' would end early; '<\\/' means the same in JSON and
    in JavaScript strings."""
    return re.sub(r"</(?=script)", r"<\\/", text, flags=re.IGNORECASE)


def _number(value: Any) -> str:
    return "–" if value is None else f"{value:,}"


def _percent(value: Any) -> str:
    return "–" if value is None else f"{value:.1%}"


def _fixed(value: Any, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def timed_write(con: duckdb.DuckDBPyConnection, path: Path, target_dir: Path | None, **kwargs: Any) -> float:
    """write_report, returning the seconds it took."""
    start = time.perf_counter()
    write_report(con, path, target_dir, **kwargs)
    return time.perf_counter() - start
