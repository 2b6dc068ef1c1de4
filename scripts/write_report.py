"""Writes the segment report (integration_tests/target/segment_report.html) of the build's marts: those of
the build's DuckDB file, or with --target prod (the arguments build.sh gave dbt) those published to the
DuckLake catalog, and prints where it is."""

import sys

from print_summary import PROJECT, connect, production_target

from customer_segmentation.report import timed_write

REPORT = PROJECT / "target" / "segment_report.html"


def main(dbt_args: list[str]) -> int:
    con, where = connect(production_target(dbt_args))
    with con:
        seconds = timed_write(con, REPORT, PROJECT / "target", title=where)
    print(f"\nSegment report ({REPORT.stat().st_size:,} bytes, written in {seconds:.1f} s): {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
