#!/usr/bin/env bash
# Every check: lint (ruff, sqlfluff), `dbt build` of every case integration_tests configures (with all
# data and unit tests), then pytest (the engine, the builds, a fresh consumer project using the package).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export SEGMENTATION_DB="${SEGMENTATION_TEST_DB:-$PWD/target/test.duckdb}"
mkdir -p target && rm -f "$SEGMENTATION_DB"

echo "== ruff"
.venv/bin/ruff check src tests scripts integration_tests bench models
.venv/bin/ruff format --check src tests scripts integration_tests bench models
echo "== sqlfluff"
.venv/bin/python scripts/lint_sql.py
echo "== dbt build (every case of integration_tests)"
(cd integration_tests && ../.venv/bin/dbt build --profiles-dir profiles)
echo "== pytest"
.venv/bin/python -m pytest tests/python
