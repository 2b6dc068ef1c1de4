"""python -m customer_segmentation.report: writes the segment report of a build's marts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from . import timed_write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m customer_segmentation.report", description=__doc__)
    parser.add_argument("--database", required=True, help="what DuckDB attaches: a .duckdb file, or ducklake:...")
    parser.add_argument("--schema", default="segments", help="the marts schema (vars.segmentation_marts_schema)")
    parser.add_argument("--target-dir", type=Path, help="dbt's target folder of the build (health-test results)")
    parser.add_argument("--out", type=Path, default=Path("target/segment_report.html"), help="the HTML to write")
    args = parser.parse_args(argv)
    con = duckdb.connect()
    with con:
        # ATTACH and USE take no parameters: the path is quoted as a literal, the schema as an identifier.
        con.execute("attach '" + args.database.replace("'", "''") + "' as source (read_only)")
        con.execute('use source."' + args.schema.replace('"', '""') + '"')
        seconds = timed_write(con, args.out, args.target_dir, schema=args.schema)
    print(f"Segment report: {args.out.resolve()} ({args.out.stat().st_size:,} bytes, {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
