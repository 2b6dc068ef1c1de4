"""The HTML segment report, opened in a real headless browser (Debian's chromium, driven by Playwright):
it renders offline with no console error and no request leaving the file, every chart draws one mark per
row of the mart it shows, and its numbers are the marts'. Screenshots are kept in target/test-artifacts/."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from playwright.sync_api import sync_playwright

from customer_segmentation.naming import feature_label
from customer_segmentation.report import render
from customer_segmentation.report.charts import K_METRICS
from customer_segmentation.report.data import HEALTH_TESTS, load_report
from project import PROJECT, ROOT, has_every_case, query, reuse_or_build, run_dbt

ARTIFACTS = ROOT / "target" / "test-artifacts"
# Flags for a closed network: without the background-networking ones chromium itself calls Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Vega's SVG: one <path> per point of a point mark, per bar or cell of a rect mark.
COUNT_MARKS = """element => ({
    points: element.querySelectorAll("g.mark-symbol.role-mark > path").length,
    rects: element.querySelectorAll("g.mark-rect.role-mark > path").length,
    axis_labels: [...element.querySelectorAll("g.role-axis-label > text")].map(text => text.textContent),
})"""
ALL_CHARTS_DONE = "[...document.querySelectorAll('.chart')].every(e => e.dataset.rendered || e.dataset.error)"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    return reuse_or_build(tmp_path_factory, "every_case", has_every_case, ["build"])


@pytest.fixture(scope="module")
def report(database, tmp_path_factory) -> Path:
    """The report of every case, written by the documented command, with the health tests run on that
    database into a target folder of the test's own."""
    target = tmp_path_factory.mktemp("report_target")
    health = [argument for test in HEALTH_TESTS for argument in ("--select", f"test_name:{test}")]
    run_dbt(["test", *health, "--target-path", str(target)], database)
    out = target / "segment_report.html"
    command = [sys.executable, "-m", "customer_segmentation.report", "--database", str(database)]
    command += ["--target-dir", str(target), "--out", str(out)]
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=True)
    assert str(out.resolve()) in done.stdout
    return out


def open_in_browser(path: Path, screenshot: str | None = None) -> dict:
    """Opens path in headless chromium until every chart rendered or failed; what the page did and drew."""
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed for the report's browser test (scripts/test.sh installs it)"
    seen = {"console": [], "errors": [], "requests": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda message: seen["console"].append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.on("request", lambda request: seen["requests"].append(request.url))
        page.goto(path.resolve().as_uri())
        page.wait_for_function(ALL_CHARTS_DONE, timeout=180_000)
        seen["charts"] = {
            chart.get_attribute("id"): {"error": chart.get_attribute("data-error"), **page.evaluate(COUNT_MARKS, chart)}
            for chart in page.query_selector_all(".chart")
        }
        seen["data"] = json.loads(page.eval_on_selector("#report-data", "element => element.textContent"))
        seen["tables"] = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll("section.case[data-case]")].map(section => [
                section.dataset.case,
                {
                    k: section.querySelector("[data-field=k]")?.textContent,
                    segments: [...section.querySelectorAll("table.segments tr[data-segment]")].map(
                        row => [...row.cells].map(cell => cell.textContent.trim())),
                },
            ]))"""
        )
        seen["injected"] = page.evaluate("() => window.injected === undefined ? null : window.injected")
        if screenshot:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"{screenshot}.png", full_page=True)
            for section in page.query_selector_all("section.case"):
                section.screenshot(path=ARTIFACTS / f"{screenshot}--{section.get_attribute('id')}.png")
        browser.close()
    return seen


@pytest.fixture(scope="module")
def page(report) -> dict:
    return open_in_browser(report, screenshot="segment_report")


def test_the_report_renders_offline_with_no_error(page, report):
    assert page["errors"] == []
    assert [message for message in page["console"] if message.startswith(("error", "warning"))] == []
    assert page["requests"] == [report.resolve().as_uri()], "the report asked for something beyond its file"
    assert {chart: state["error"] for chart, state in page["charts"].items() if state["error"]} == {}
    assert (ARTIFACTS / "segment_report.png").stat().st_size > 0


def expected_marks(database: Path) -> dict[str, dict[str, int]]:
    """Per chart, the marks it must draw, counted from the marts it shows."""
    non_null = " + ".join(f"count({metric})" for metric in K_METRICS)
    counts = {
        "k_choice": ("points", f"select case_name, {non_null} from segment_k_selection where is_current group by 1"),
        "segment_sizes": ("rects", "select case_name, count(*) from segment_summary group by 1"),
        "shares_now_and_at_training": ("rects", "select case_name, 2 * count(*) from segment_summary group by 1"),
        "profile_heatmap": ("rects", "select case_name, count(*) from segment_profiles group by 1"),
        "customer_map": ("points", "select case_name, count(*) from segment_projection_2d group by 1"),
        "campaign_lift": ("points", "select 'campaign', count(*) from campaign__segment_targeting"),
    }
    expected = {}
    for chart, (mark, sql) in counts.items():
        for case_name, marks in query(database, sql).itertuples(index=False):
            if marks:
                expected[f"{case_name}--{chart}"] = {"points": 0, "rects": 0} | {mark: int(marks)}
    return expected


def test_every_chart_draws_a_mark_per_row_of_its_mart(page, database):
    drawn = {chart: {"points": state["points"], "rects": state["rects"]} for chart, state in page["charts"].items()}
    assert drawn == expected_marks(database)


def test_the_heatmap_is_labelled_in_the_specs_feature_labels(page, database):
    runs = query(database, "select case_name, parameters from segment_model_runs where is_current")
    profiles = query(database, "select distinct case_name, feature from segment_profiles")
    for case_name, parameters in runs.itertuples(index=False):
        labels = json.loads(parameters).get("feature_labels", {})
        features = profiles[profiles.case_name == case_name].feature
        shown = set(page["charts"][f"{case_name}--profile_heatmap"]["axis_labels"])
        assert {feature_label(feature, labels) for feature in features} <= shown, case_name
    assert "listening hours" in page["charts"]["demo--profile_heatmap"]["axis_labels"]  # demo: hours_per_week


def test_the_reports_numbers_are_the_marts(page, database):
    runs = query(
        database, "select case_name, k, statistical_k, actionable_k, k_reason from segment_model_runs where is_current"
    )
    summary = query(
        database, "select case_name, segment_id, segment_name, customers, share from segment_summary order by 1, 2"
    )
    cases = {case["case_name"]: case for case in page["data"]["cases"]}
    assert set(cases) == set(query(database, "select case_name from segment_cases").case_name)
    for run in runs.itertuples(index=False):
        case = cases[run.case_name]
        for column in ("k", "statistical_k", "actionable_k"):
            want = getattr(run, column)
            assert case[column] == (None if pd.isna(want) else int(want)), (run.case_name, column)
        assert case["k_reason"] == run.k_reason
        assert page["tables"][run.case_name]["k"] == str(run.k)
        segments = summary[summary.case_name == run.case_name]
        assert [(s["segment_id"], s["customers"]) for s in case["segments"]] == list(
            zip(segments.segment_id, segments.customers, strict=True)
        )
        assert [s["share"] for s in case["segments"]] == pytest.approx(list(segments.share), abs=1e-12)
        shown = page["tables"][run.case_name]["segments"]  # id, name, customers, share as the page shows them
        assert shown == [
            [str(row.segment_id), row.segment_name, f"{row.customers:,}", f"{row.share:.1%}"]
            for row in segments.itertuples(index=False)
        ]


def test_the_latest_health_test_results_are_shown(page):
    shown = {(test["test"], test["model"]): test["status"] for test in page["data"]["health_tests"]}
    assert shown[("seg_population_stability", "segment_summary")] in ("pass", "warn")
    assert {test for test, _ in shown} >= {"seg_population_stability", "seg_silhouette_floor", "seg_centroid_shift"}


def test_the_health_tests_shown_are_the_packages():
    macros = (ROOT / "macros" / "tests" / "seg_health_tests.sql").read_text()
    assert set(HEALTH_TESTS) == set(re.findall(r"{%\s*test\s+(\w+)\(", macros))


def test_a_segment_name_cannot_inject_script(database, tmp_path):
    """A name is the user's text (segment_names overrides): shown as text, never run, also inside the
    embedded JSON and chart data."""
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("use segments")
        report = load_report(con)
    (case,) = [case for case in report["cases"] if case["case_name"] == "campaign"]
    name = "</script><script>window.injected = 1</script><b>bold</b>"
    case["segments"][0]["segment_name"] = name  # the charts label segments from these rows
    report["cases"] = [case]
    path = tmp_path / "injected.html"
    path.write_text(render(report, title="injection", schema="segments"), encoding="utf-8")
    page = open_in_browser(path)
    assert page["injected"] is None
    assert page["errors"] == []
    assert page["tables"]["campaign"]["segments"][0][1] == name


def test_lineage_and_phases_of_a_refit_are_tabled(database):
    """A refitted case lists which old segment became which new one; a version fitted before phases were
    recorded says so instead of showing nothing."""
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("use segments")
        report = load_report(con)
    (case,) = [case for case in report["cases"] if case["case_name"] == "demo"]
    case["lineage"] = [
        {"model_version": 2, "previous_segment_id": 1, "segment_id": 1, "change_type": "kept", "centroid_shift": 0.125},
        {
            "model_version": 2,
            "previous_segment_id": None,
            "segment_id": 6,
            "change_type": "new",
            "centroid_shift": None,
        },
        {
            "model_version": 2,
            "previous_segment_id": 5,
            "segment_id": None,
            "change_type": "vanished",
            "centroid_shift": None,
        },
    ]
    case["model"]["phases"] = {}
    report["cases"] = [case]
    html = render(report, title="refit", schema="segments")
    table = html[html.index('<table class="lineage">') : html.index("</table>", html.index('<table class="lineage">'))]
    cells = [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert cells == ["1", "1", "kept", "0.125", "–", "6", "new", "–", "5", "–", "vanished", "–"]
    assert "Not recorded (fitted by an earlier version of the package)." in html
