"""The dbt docs site: `dbt docs generate` over a build of every case, then every column the warehouse has in
every mart (the package's and integration_tests' models under marts/) carries a description, and the site
has its landing page (__overview__) and the package's overview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from project import SHARED_DATA, has_every_case, reuse_or_build, run_dbt

CSVS = [SHARED_DATA / name for name in ["course_platform_customers.csv", "marketing_campaign.csv", "spotify_songs.csv"]]
LANDING_PAGES = [
    "doc.customer_segmentation_integration_tests.__overview__",
    "doc.customer_segmentation.__customer_segmentation__",
]


@pytest.fixture(scope="session")
def docs(tmp_path_factory) -> tuple[dict, dict]:
    """manifest.json and catalog.json of `dbt docs generate` over a database holding every case."""
    missing = [str(path) for path in CSVS if not path.exists()]
    if missing:
        pytest.skip(f"shared data not found: {', '.join(missing)}")
    database = reuse_or_build(tmp_path_factory, "every_case", has_every_case, ["build"])
    # As a user runs it (with --no-compile dbt writes no manifest.json), into a target path of its own so
    # the build's target/ (run_results.json, the report) stays as it was.
    target = tmp_path_factory.mktemp("docs")
    run_dbt(["docs", "generate", "--target-path", str(target)], database)
    return tuple(json.loads((target / name).read_text()) for name in ["manifest.json", "catalog.json"])


def mart_models(manifest: dict) -> dict[str, dict]:
    """The enabled mart models of both projects: models whose path lies under a marts/ folder."""
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and "marts" in Path(node["original_file_path"]).parts
    }


def undescribed_columns(manifest: dict, catalog: dict) -> dict[str, list[str]]:
    """{mart: the columns its table has in the warehouse that have no description}; every mart included."""
    undescribed = {}
    for unique_id, node in mart_models(manifest).items():
        described = {name.lower() for name, column in node["columns"].items() if column["description"].strip()}
        in_warehouse = catalog["nodes"][unique_id]["columns"].values() if unique_id in catalog["nodes"] else []
        columns = [column["name"] for column in sorted(in_warehouse, key=lambda column: column["index"])]
        undescribed[node["name"]] = [name for name in columns if name.lower() not in described]
    return undescribed


def test_every_mart_is_in_the_catalog(docs):
    manifest, catalog = docs
    marts = mart_models(manifest)
    names = {node["name"] for node in marts.values()}
    assert {"segment_summary", "demo__segment_profile", "campaign__segment_profile", "songs__segment_profile"} <= names
    assert not [node["name"] for unique_id, node in marts.items() if unique_id not in catalog["nodes"]]


def test_every_mart_column_is_described(docs):
    manifest, catalog = docs
    undescribed = undescribed_columns(manifest, catalog)
    blank = {mart: columns for mart, columns in sorted(undescribed.items()) if columns}
    report = "\n".join(f"{mart} ({len(columns)}): {', '.join(columns)}" for mart, columns in blank.items())
    assert not blank, f"mart columns without a description:\n{report}"


def test_every_mart_is_described(docs):
    manifest, _ = docs
    assert not [node["name"] for node in mart_models(manifest).values() if not node["description"].strip()]


def test_landing_pages(docs):
    """The docs site opens on the project's __overview__; the package's page is its own overview."""
    manifest, _ = docs
    missing = [name for name in LANDING_PAGES if not manifest["docs"].get(name, {}).get("block_contents", "").strip()]
    assert not missing, f"docs blocks missing: {missing}"
    overview = manifest["docs"][LANDING_PAGES[0]]["block_contents"]
    for mart in ["segment_summary", "segment_profiles", "segment_rules", "demo__segment_profile"]:
        assert mart in overview
