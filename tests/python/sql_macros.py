"""Render the project's SQL macros without dbt, to run them on in-memory DuckDB in fast tests.

The macro files are plain Jinja with dbt's `do` / loop-control extensions; a test calls a
`default__` implementation directly, with a stand-in `adapter` that only quotes identifiers.
"""

from __future__ import annotations

import jinja2
import numpy as np
import pandas as pd

from project import ROOT


class _Adapter:
    @staticmethod
    def quote(identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'


def macro(path: str, name: str):
    """The macro `name` of macros/<path>, as a Python callable returning SQL text."""
    env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    module = env.from_string((ROOT / "macros" / path).read_text()).make_module({"adapter": _Adapter()})
    return getattr(module, name)


def points_frame(X: np.ndarray, names, id_column: str = "id") -> pd.DataFrame:
    frame = pd.DataFrame(X, columns=list(names))
    frame.insert(0, id_column, np.arange(X.shape[0], dtype=np.int64))
    return frame


def artifacts_frame(rows: list[dict], case_name: str = "test") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["artifact", "segment_id", "k", "name", "value", "text"])
    frame.insert(0, "case_name", case_name)
    return frame.astype({"segment_id": "Int64", "k": "Int64", "value": "float64", "text": "string", "name": "string"})
