"""Installs the DuckDB extensions the production target needs (ducklake, sqlite_scanner) from their pip
packages (requirements.txt pins them to the exact duckdb version: an extension file loads only into the
version it was built for) into DuckDB's extension folder, so no extension server is needed."""

import importlib
from pathlib import Path

import duckdb

EXTENSIONS = ["ducklake", "sqlite_scanner"]


def main() -> None:
    with duckdb.connect() as con:
        for name in EXTENSIONS:
            package = Path(importlib.import_module(f"duckdb_extension_{name}").__file__).parent
            found = sorted(package.glob(f"extensions/v{duckdb.__version__}/{name}.duckdb_extension"))
            if not found:
                raise SystemExit(
                    f"duckdb_extension_{name} holds no {name} extension for duckdb {duckdb.__version__}: "
                    "pin both to the same version in requirements.txt."
                )
            con.install_extension(str(found[0]), force_install=True)
            con.load_extension(name)
    print(f"DuckDB {duckdb.__version__}: installed and loaded {', '.join(EXTENSIONS)}")


if __name__ == "__main__":
    main()
