"""The outbox dispatcher: sends queued messages through the Notifier port, with retries and backoff.

A message is claimed in a short transaction (one more attempt, hidden from other dispatchers until its
lease runs out), sent outside any transaction, then marked sent in another short one. A crash between
send and mark can at worst resend that message after the lease; a message is never lost. After
``max_attempts`` failures it is parked as ``failed`` and shown by ``aktivitetsplikt outbox --failed``.

A claim holds its messages under one lease, but they are sent one after the other: a claim that outlasts
its lease lets another dispatcher claim (and send) the rest too. So a dispatcher claims only as many
messages as its recent pace sends in a quarter of the lease (one, to measure, at first), and stops using a
claim once half its lease has gone; what it has not sent by then waits for the lease to run out and is
claimed again (one more attempt), by this dispatcher or another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import structlog

from aktivitetsplikt.engine.app.ports import Clock, Notifier, UnitOfWorkFactory
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.model import OutboxMessage

log = structlog.get_logger(__name__)


class StopSignal(Protocol):
    """What ends a dispatch run early, e.g. a ``threading.Event`` set by a signal handler."""

    def is_set(self) -> bool: ...


BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling after each failed attempt, at most an hour."""
    # The exponent is capped before multiplying: 30 s * 2**43 would overflow timedelta long before
    # [daemon] max_attempts (unbounded) runs out. 2**7 * 30 s already exceeds the cap.
    return min(BACKOFF_BASE * (1 << min(max(attempts - 1, 0), 16)), BACKOFF_CAP)  # 1 << n: 2 ** n is Any to mypy


@dataclass
class DispatchReport:
    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"sent": len(self.sent), "retrying": len(self.retrying), "failed": len(self.failed)}


class Dispatcher:
    def __init__(self, uow: UnitOfWorkFactory, notifier: Notifier, clock: Clock, settings: Settings) -> None:
        self.uow = uow
        self.notifier = notifier
        self.clock = clock
        self.max_attempts = settings.daemon.max_attempts
        self.lease = timedelta(seconds=settings.daemon.claim_lease.total_seconds())
        self.batch = settings.daemon.batch_size
        self._pace: timedelta | None = None
        """How long one message took in the last claim, the claim included; None before the first."""

    def _claim_size(self) -> int:
        if self._pace is None:
            return 1
        if self._pace <= timedelta(0):  # a clock that stands still (tests, --now)
            return self.batch
        return max(1, min(self.batch, int((self.lease / 4) / self._pace)))

    def _claim(self, size: int) -> tuple[list[OutboxMessage], datetime]:
        """Claim up to ``size`` messages; returns them and the instant until which they may be used."""
        now = self.clock.now()
        with self.uow(write=True) as uow:
            claimed = uow.outbox.claim(now, now + self.lease, size)
            uow.commit()
        return claimed, now + self.lease / 2

    def dispatch(self, *, stop: StopSignal | None = None) -> DispatchReport:
        """Send everything due now, claim by claim. ``stop``, once set, ends the run after the current
        message, for a clean shutdown."""
        report = DispatchReport()
        while True:
            size, started = self._claim_size(), self.clock.now()
            claimed, use_until = self._claim(size)
            done = 0
            for message in claimed:
                if self.clock.now() >= use_until:
                    log.warning("claim_expiring", sent=done, left=len(claimed) - done, lease=str(self.lease))
                    break
                self._send(message, report)
                done += 1
                if stop is not None and stop.is_set():
                    return report
            if done:
                self._pace = (self.clock.now() - started) / done
            if len(claimed) < size:
                return report

    def _send(self, message: OutboxMessage, report: DispatchReport) -> None:
        try:
            self.notifier.send(message)
        except Exception as exc:
            self._failed(message, f"{type(exc).__name__}: {exc}", report)
            return
        with self.uow(write=True) as uow:
            uow.outbox.mark_sent(message.id, self.clock.now())
            uow.commit()
        report.sent.append(message.id)
        log.info(
            "message_sent",
            message_id=message.id,
            case_id=message.case_id,
            kind=message.kind,
            level=message.level,
            attempts=message.attempts,
        )

    def _failed(self, message: OutboxMessage, error: str, report: DispatchReport) -> None:
        now = self.clock.now()
        with self.uow(write=True) as uow:
            if message.attempts >= self.max_attempts:
                uow.outbox.mark_failed(message.id, error)
                report.failed.append(message.id)
            else:
                uow.outbox.mark_retry(message.id, error, now + backoff(message.attempts))
                report.retrying.append(message.id)
            uow.commit()
        log.warning(
            "message_not_sent",
            message_id=message.id,
            case_id=message.case_id,
            attempts=message.attempts,
            parked=message.attempts >= self.max_attempts,
            error=error[:300],
        )
