#!/usr/bin/env bash
# Sets up .venv and builds the segments: `dbt build` (models and data tests) on the bundled demo data.
# Extra arguments go to dbt, e.g. scripts/build.sh --vars '{segmentation_cases: [demo, course]}'
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/dbt build --profiles-dir profiles "$@"
.venv/bin/python scripts/print_summary.py
