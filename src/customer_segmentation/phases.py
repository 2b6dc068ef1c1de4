"""What a fit is doing, as it does it: every phase is timed and logged.

The engine logs through the standard library's logger "customer_segmentation" only, so it stays
independent of dbt; the dbt model forwards the records to dbt's log (dbt_model.logs_to_dbt).
The seconds are also kept per phase, to be stored with the model version (segment_model_runs).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

logger = logging.getLogger("customer_segmentation")


@dataclass
class Phase:
    detail: str = ""  # what the phase did (rows, k, scores), set inside the block for the log line
    seconds: float = 0.0  # set when the block ends


@contextmanager
def timed(case: str, label: str, durations: dict[str, float] | None = None, key: str | None = None) -> Iterator[Phase]:
    """Times the block and logs `<case>: <label> in <seconds> s (<detail>)` at INFO; with `durations`,
    adds the seconds to durations[key] (added, as a phase may run in several blocks). A block that
    raises is neither logged nor counted: the error says what happened."""
    phase = Phase()
    start = time.perf_counter()
    yield phase
    phase.seconds = time.perf_counter() - start
    if durations is not None and key is not None:
        durations[key] = durations.get(key, 0.0) + phase.seconds
    logger.info("%s: %s in %.2f s%s", case, label, phase.seconds, f" ({phase.detail})" if phase.detail else "")
