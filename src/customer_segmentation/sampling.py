"""Deterministic row samples and single-threaded compute, shared by the fit and the sweep."""

import numpy as np
from threadpoolctl import threadpool_limits


def sample_rows(n_rows: int, size: int, random_state: int) -> np.ndarray:
    """Sorted indices of at most `size` rows, the same for the same inputs.

    Sorting keeps the sample in input order, so results do not depend on the draw order.
    """
    if n_rows <= size:
        return np.arange(n_rows)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_rows, size=size, replace=False))


def single_threaded() -> threadpool_limits:
    """Run BLAS and OpenMP on one thread. scikit-learn's threaded Lloyd step adds per-thread
    partial sums in completion order, so threaded results can differ in the last bits between
    runs; and on small machines the two busy-waiting thread pools slowed the sweep ~5x."""
    return threadpool_limits(limits=1)
