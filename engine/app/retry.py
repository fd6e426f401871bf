"""Bounded retries, with jittered exponential backoff, of transactions that failed for a transient reason.

A transaction that lost a deadlock, failed to serialise, or found SQLite busy changed nothing; doing it
again from the start (reading afresh, deciding afresh) is what the caller would do, so the engine does it
itself a few times before a :class:`DatabaseBusy` reaches anyone. The pause goes through an injected
``sleep`` (tests pass one that records and returns at once) and its jitter through an injected ``draw``,
so that writers which collided do not collide again in step.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import structlog

from aktivitetsplikt.engine.errors import DatabaseBusy

log = structlog.get_logger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Retrying:
    """Run a unit of work up to ``attempts`` times while it fails with a retryable DatabaseBusy."""

    attempts: int = 6
    first_pause: float = 0.01
    """Seconds before the second attempt (on average 3/4 of it); doubled for each further one."""
    max_pause: float = 0.5
    sleep: Callable[[float], None] = field(default=time.sleep)
    draw: Callable[[], float] = field(default=random.random)
    """A number in [0, 1): where in the upper half of its backoff a pause falls."""

    def pause(self, attempt: int) -> float:
        """The pause after failed attempt ``attempt`` (1-based): half the backoff plus a random half."""
        backoff = min(self.max_pause, self.first_pause * (1 << min(attempt - 1, 16)))
        return backoff / 2 + backoff / 2 * self.draw()

    def __call__(self, work: Callable[[], T], *, what: str) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return work()
            except DatabaseBusy as exc:
                if not exc.retryable or attempt == self.attempts:
                    raise
                pause = self.pause(attempt)
                log.info("transient_retry", what=what, reason=exc.reason, attempt=attempt, pause_s=round(pause, 4))
                self.sleep(pause)
        raise AssertionError  # pragma: no cover - the loop returns or raises
