"""The outbox dispatcher: sends queued messages through the Notifier port, with retries and backoff.

A message is claimed in a short transaction (one more attempt, hidden from other dispatchers until its
lease runs out), sent outside any transaction, then marked sent in another short one. A crash between
send and mark can at worst resend that message after the lease; a message is never lost. After
``max_attempts`` failures it is parked as ``failed`` and shown by ``aktivitetsplikt outbox --failed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import structlog

from aktivitetsplikt.engine.model import OutboxMessage
from aktivitetsplikt.engine.ports import Clock, Notifier, UnitOfWorkFactory
from aktivitetsplikt.engine.settings import Settings

log = structlog.get_logger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling after each failed attempt, at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


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

    def _claim(self) -> list[OutboxMessage]:
        now = self.clock.now()
        with self.uow(write=True) as uow:
            claimed = uow.outbox.claim(now, now + self.lease, self.batch)
            uow.commit()
        return claimed

    def dispatch(self, *, stop: object = None) -> DispatchReport:
        """Send everything due now, batch by batch. ``stop`` (an object with ``is_set()``) ends the run
        after the current message, for a clean shutdown."""
        report = DispatchReport()
        while True:
            claimed = self._claim()
            for message in claimed:
                self._send(message, report)
                if stop is not None and stop.is_set():  # type: ignore[attr-defined]
                    return report
            if len(claimed) < self.batch:
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
