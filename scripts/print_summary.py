"""Prints where the segment tables are and a short summary of each case's segments: those of the build's
DuckDB file, or with --target prod (the arguments build.sh gave dbt) those published to the DuckLake
catalog, as a BI reader sees them."""

import os
import sys
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parents[1] / "integration_tests"


def resolve(path: str) -> Path:
    return Path(path) if Path(path).is_absolute() else PROJECT / path


def connect(production: bool) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A read-only connection whose default schema is the marts' (segments), and what it reads."""
    if production:
        catalog = resolve(os.environ.get("SEGMENTATION_PUBLISHED", "published") + ".sqlite")
        if not catalog.exists():
            raise SystemExit(f"No published catalog at {catalog}: nothing was published yet.")
        con = duckdb.connect()
        quoted = str(catalog).replace("'", "''")  # the path as a SQL string literal
        con.execute(f"attach 'ducklake:sqlite:{quoted}' as published (read_only)")
        con.execute("use published.segments")
        return con, f"{catalog} (published)"
    path = resolve(os.environ.get("SEGMENTATION_DB", "segmentation.duckdb"))
    if not path.exists():
        raise SystemExit(f"No database at {path}: run the build first.")
    con = duckdb.connect(str(path), read_only=True)
    con.execute("use segments")
    return con, str(path)


def production_target(dbt_args: list[str]) -> bool:
    """Whether dbt's arguments chose the prod target (which publishes to the DuckLake catalog)."""
    targets = [value for flag, value in zip(dbt_args, dbt_args[1:], strict=False) if flag in ("--target", "-t")]
    targets += [arg.split("=", 1)[1] for arg in dbt_args if arg.startswith("--target=")]
    return "prod" in targets


def main(dbt_args: list[str]) -> int:
    con, where = connect(production_target(dbt_args))
    with con:
        tables = [
            row[0]
            for row in con.sql(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = 'segments' order by 1"
            ).fetchall()
        ]
        print(f"\nSegment tables in {where}, schema segments: {', '.join(tables)}")
        cases = con.sql("select case_name, status, problem from segment_cases order by case_name").df()
        print(cases.to_string(index=False))
        summary = con.sql(
            "select case_name, segment_id, segment_name, customers, round(share, 3) as share "
            "from segment_summary order by case_name, segment_id"
        )
        print(summary.df().to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
