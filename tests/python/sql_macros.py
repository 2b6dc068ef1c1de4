"""Render the package's SQL macros without dbt, to run them on in-memory DuckDB in fast tests.

The macro files are plain Jinja with dbt's `do` / loop-control extensions; a test calls a
`default__` implementation directly, with a stand-in `adapter` that only quotes identifiers and a
stand-in `customer_segmentation` namespace (the package's macros call each other through it).
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import jinja2
import numpy as np
import pandas as pd

from project import ROOT


class _Adapter:
    def __init__(self, package=None):
        self.package = package

    @staticmethod
    def quote(identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'

    def dispatch(self, name: str, namespace: str = "customer_segmentation"):
        return getattr(self.package, f"default__{name}")


class _Return(Exception):
    """dbt's return(): a macro hands back a value instead of text."""


def _return(value):
    raise _Return(value)


def _returning(function):
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except _Return as returned:
            return returned.args[0]

    return call


class Package:
    """The package's macros as customer_segmentation.<macro>, rendered with plain Jinja; `variables`
    stand in for dbt's vars."""

    def __init__(self, variables: dict | None = None, ref=None):
        self._context = {
            "ref": ref or (lambda model: model),
            "adapter": _Adapter(self),
            "customer_segmentation": self,
            "return": _return,
            "var": lambda name, default=None: (variables or {}).get(name, default),
            "modules": SimpleNamespace(re=re),
            "execute": False,
        }

    def __getattr__(self, name: str):
        for path in sorted((ROOT / "macros").rglob("*.sql")):
            if f"macro {name}(" in path.read_text():
                return self.macro(str(path.relative_to(ROOT / "macros")), name)
        raise AttributeError(name)

    def macro(self, path: str, name: str):
        env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
        module = env.from_string((ROOT / "macros" / path).read_text()).make_module(self._context)
        return _returning(getattr(module, name))


def macro(path: str, name: str):
    """The macro `name` of macros/<path>, as a Python callable returning SQL text (or its returned value)."""
    return Package().macro(path, name)


def package_defaults() -> dict:
    """Every case setting with its default, as the package declares them (seg_settings)."""
    return {key: setting[1] for key, setting in macro("spec/seg_settings.sql", "seg_settings")().items()}


def points_frame(X: np.ndarray, names, id_column: str = "id") -> pd.DataFrame:
    frame = pd.DataFrame(X, columns=list(names))
    frame.insert(0, id_column, np.arange(X.shape[0], dtype=np.int64))
    return frame


def artifacts_frame(rows: list[dict], case_name: str = "test") -> pd.DataFrame:
    """Long artifact rows of one current model version, shaped as int_segment_artifacts."""
    frame = pd.DataFrame(rows, columns=["artifact", "segment_id", "k", "name", "value", "text"])
    frame.insert(0, "model_version", 1)
    frame.insert(0, "model_id", f"{case_name}-v1")
    frame.insert(0, "case_name", case_name)
    frame["is_current"] = True
    return frame.astype({"segment_id": "Int64", "k": "Int64", "value": "float64", "text": "string", "name": "string"})


def register_typed_models(con, rows: list[dict], names, case_name: str = "test") -> None:
    """Registers the artifact `rows` as the relation `artifacts`, and over it each typed model table of
    `names` (models/segmentation/model/<name>.sql, its ref() pointed at `artifacts`) as a view of that name."""
    con.register("artifacts", artifacts_frame(rows, case_name))
    package = Package(ref=lambda model: "artifacts")
    env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    for name in names:
        model = env.from_string((ROOT / "models" / "segmentation" / "model" / f"{name}.sql").read_text())
        con.execute(f"create view {name} as {model.render(package._context)}")


MIXTURE = {
    "components": "int_segment_gmm_components",
    "means": "int_segment_gmm_means",
    "precision_cholesky": "int_segment_gmm_precision_cholesky",
}
TYPED_EXTENSIONS = ["int_segment_projections", "int_segment_reduced_centroids", *MIXTURE.values()]
