"""sqlfluff (dbt templater) over models, macros and tests/data with every case enabled.

sqlfluff skips disabled models, and the real-data cases are disabled unless listed in
var segmentation_cases; the .sqlfluff context can only pass strings, so the list is set here.
Exits non-zero on any violation.
"""

import sys

import yaml
from sqlfluff.core import FluffConfig, Linter
from sqlfluff.core.config import load_config_up_to_path

PATHS = ("models", "macros", "tests/data")


def main() -> int:
    cases = list(yaml.safe_load(open("dbt_project.yml"))["vars"]["segmentation"])
    settings = load_config_up_to_path(".")
    settings["templater"]["dbt"]["context"] = {"segmentation_cases": cases}
    config = FluffConfig(configs=settings)
    result = Linter(config=config).lint_paths(PATHS, processes=2)
    violations = [(r["filepath"], v) for r in result.as_records() for v in r["violations"]]
    for path, v in violations:
        print(f"{path}:{v['start_line_no']}:{v['start_line_pos']}: {v['code']} {v['description']}")
    print(f"sqlfluff: {len(result.as_records())} files, {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
