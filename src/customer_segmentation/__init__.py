"""Customer segmentation engine: k selection, k-means / Ward fits and segment names."""

from .engine import Segmentation, segment, select_k, validate_matrix
from .errors import SegmentationError
from .naming import name_segments
from .spec import SegmentationSpec

__all__ = [
    "Segmentation",
    "SegmentationError",
    "SegmentationSpec",
    "name_segments",
    "segment",
    "select_k",
    "validate_matrix",
]
