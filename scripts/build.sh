#!/usr/bin/env bash
# Sets up .venv (pinned dependencies, the engine, the dbt package) and runs `dbt build` in
# integration_tests, the project that uses the package as yours would: by default on the bundled demo
# (case demo, one-hot k-means, and demo_kprototypes, k-prototypes on the raw categories).
# Then prints a summary and writes the HTML segment report, integration_tests/target/segment_report.html.
# Arguments go to dbt instead, e.g. scripts/build.sh --vars '{segmentation_cases: [demo, course]}'
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd integration_tests
if [ "$#" -eq 0 ]; then
  set -- --vars '{segmentation_cases: [demo, demo_kprototypes]}'
fi
../.venv/bin/dbt build --profiles-dir profiles "$@"
../.venv/bin/python ../scripts/print_summary.py "$@"
../.venv/bin/python ../scripts/write_report.py "$@"
