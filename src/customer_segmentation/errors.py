"""The one exception type the engine raises for problems a user can fix."""


class SegmentationError(ValueError):
    """A user-facing error with a clear message (no stack trace needed to understand it)."""
