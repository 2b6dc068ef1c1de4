"""sqlfluff (dbt templater) over the package's models and integration_tests' models and tests.

The package's models compile only inside a project that configures cases, so everything is linted
through integration_tests (every case enabled: segmentation_cases defaults to all of them). The dbt
templater finds a file's node by its path in the project; a package node's path is relative to the
package, so it is looked up there too. Exits non-zero on any violation.
"""

import sys
from pathlib import Path

from sqlfluff.core import FluffConfig, Linter
from sqlfluff.core.config import load_config_up_to_path
from sqlfluff_templater_dbt.templater import DbtTemplater

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "integration_tests"
PATHS = ("models", f"{PROJECT}/models", f"{PROJECT}/tests")
find_in_project = DbtTemplater._find_node


def find_node(self, fname, config=None, dbt_dir=None):
    """The node of a file of this package (the root folder), else the templater's own search."""
    path = Path(fname).resolve()
    for node in self.dbt_manifest.nodes.values():
        if node.package_name == "customer_segmentation" and (ROOT / node.original_file_path).resolve() == path:
            return node
    return find_in_project(self, fname, config, dbt_dir)


def main() -> int:
    DbtTemplater._find_node = find_node
    settings = load_config_up_to_path(".")
    settings["templater"]["dbt"].update(project_dir=PROJECT, profiles_dir=f"{PROJECT}/profiles")
    config = FluffConfig(configs=settings)
    result = Linter(config=config).lint_paths(PATHS, processes=2)
    records = result.as_records()
    violations = [(r["filepath"], v) for r in records for v in r["violations"]]
    for path, v in violations:
        print(f"{path}:{v['start_line_no']}:{v['start_line_pos']}: {v['code']} {v['description']}")
    print(f"sqlfluff: {len(records)} files, {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
