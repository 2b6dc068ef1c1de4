"""Prints where the segment tables are and a short summary of each case's segments."""

import os
import sys
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parents[1] / "integration_tests"


def main() -> int:
    path = Path(os.environ.get("SEGMENTATION_DB", "segmentation.duckdb"))
    path = path if path.is_absolute() else PROJECT / path
    if not path.exists():
        print(f"No database at {path}: run the build first.", file=sys.stderr)
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("set search_path = 'main,segments'")  # the marts' schema
        tables = [
            row[0]
            for row in con.sql(
                "select table_name from information_schema.tables where table_schema = 'segments' order by 1"
            ).fetchall()
        ]
        print(f"\nSegment tables in {path}, schema segments: {', '.join(tables)}")
        cases = con.sql("select case_name, status, problem from segment_cases order by case_name").df()
        print(cases.to_string(index=False))
        summary = con.sql(
            "select case_name, segment_id, segment_name, customers, round(share, 3) as share "
            "from segment_summary order by case_name, segment_id"
        )
        print(summary.df().to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
