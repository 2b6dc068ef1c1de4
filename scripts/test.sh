#!/usr/bin/env bash
# Every check: lint (ruff, sqlfluff), `dbt build` of every case integration_tests configures (with all
# data and unit tests), then pytest (the engine, the builds, a fresh consumer project using the package, the
# HTML report in headless chromium, which it installs from Debian's packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export SEGMENTATION_DB="${SEGMENTATION_TEST_DB:-$PWD/target/test.duckdb}"
mkdir -p target && rm -f "$SEGMENTATION_DB"

if ! command -v chromium >/dev/null; then
  echo "== installing Debian's chromium (the report's browser test)"
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi

echo "== ruff"
.venv/bin/ruff check src tests scripts integration_tests bench models
.venv/bin/ruff format --check src tests scripts integration_tests bench models
echo "== sqlfluff"
.venv/bin/python scripts/lint_sql.py
echo "== dbt build (every case of integration_tests)"
(cd integration_tests && ../.venv/bin/dbt build --profiles-dir profiles)
echo "== pytest"
.venv/bin/python -m pytest tests/python
