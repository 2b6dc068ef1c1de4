"""Engine specs for tests, resolved from the package's own defaults (seg_settings) like dbt resolves a case."""

from __future__ import annotations

from customer_segmentation import SegmentationSpec
from sql_macros import package_defaults


def make_spec(case: str = "test", **settings) -> SegmentationSpec:
    """The spec of a case with these settings over the package defaults (features as a list or tuple)."""
    return SegmentationSpec.from_settings(case, {**package_defaults(), **settings})
