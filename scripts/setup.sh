#!/usr/bin/env bash
# Creates .venv with the pinned dependencies and the engine (this folder, installed editable), installs
# DuckDB's ducklake and sqlite extensions (the production target's catalog) from their pinned pip
# packages into DuckDB's extension folder (no extension server needed), and installs the dbt package
# into integration_tests (dbt deps of a local package: no network).
# A no-op when requirements.txt and pyproject.toml are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  .venv/bin/python scripts/install_duckdb_extensions.py
  echo "$want" > "$stamp"
fi
if [ ! -e integration_tests/dbt_packages/customer_segmentation ]; then
  (cd integration_tests && ../.venv/bin/dbt deps --profiles-dir profiles --quiet)
fi
