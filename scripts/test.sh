#!/usr/bin/env bash
# Every check: lint (ruff, sqlfluff), `dbt build` of every case with all data and unit tests, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export SEGMENTATION_DB="${SEGMENTATION_TEST_DB:-target/test.duckdb}"
export SEGMENTATION_ALL_CASES="{segmentation_cases: [demo, course, course_published, course_ward, campaign, songs, songs_gmm]}"
mkdir -p target && rm -f "$SEGMENTATION_DB"

echo "== ruff"
.venv/bin/ruff check src tests scripts python_models bench
echo "== sqlfluff"
.venv/bin/python scripts/lint_sql.py
echo "== dbt build (all cases)"
.venv/bin/dbt build --profiles-dir profiles --vars "$SEGMENTATION_ALL_CASES"
echo "== pytest"
.venv/bin/python -m pytest tests/python
