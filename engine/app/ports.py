"""The small interfaces the engine talks through; storage and notifiers implement them.

``Directory`` is defined in the core, which needs it to address notices, and re-exported here.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from aktivitetsplikt.engine.core.access import AccessRecord, ReadScope
from aktivitetsplikt.engine.core.checkpoint import Head
from aktivitetsplikt.engine.core.directory import Directory
from aktivitetsplikt.engine.core.model import Case, Decision, Event, Obligation, OutboxMessage, Party
from aktivitetsplikt.engine.core.numbering import Numbered


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class Notifier(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Deliver one message; raise on failure so the dispatcher retries it."""
        ...


@dataclass(frozen=True)
class CaseQuery:
    school: str | None = None
    state: str | None = None
    school_year: str | None = None
    overdue_at: datetime | None = None
    """Only cases with a duty whose deadline has passed at this instant."""
    stuck: bool = False
    """Only cases with a duty that has escalated past the last level."""
    open_only: bool = False
    """Only cases that are not in a final state."""
    by_urgency: bool = False
    """Most urgent first: the earliest open deadline, then the case number; cases with no open duty last."""
    limit: int | None = None
    scope: ReadScope | None = None
    """Only the cases this reader may see; None: every case (the engine's own work)."""


class CaseRepository(Protocol):
    def get(self, ref: str, *, with_events: bool = False, scope: ReadScope | None = None) -> Case:
        """A case by id or number, with all its obligations; raises CaseNotFound, or ``scope.refused``
        when the case is outside ``scope``."""
        ...

    def get_for_update(self, ref: str) -> Case:
        """As :meth:`get` (no events, no scope), with the case locked until the transaction ends: the first
        lock a step takes. The lock order of every write path: cases (by id), then their duties."""
        ...

    def next_number(self, school: str, school_year: str) -> int: ...

    def add(self, decision: Decision) -> None:
        """Store a new case with its first event, obligations, messages and parties."""
        ...

    def save(self, decision: Decision, expected_version: int) -> None:
        """Store a step; raises ConcurrencyConflict when the case is no longer at ``expected_version``."""
        ...

    def events(self, case_id: str) -> list[Event]: ...

    def list(self, query: CaseQuery) -> list[Case]: ...

    # ``builtins.list``: inside this class ``list`` is the method above.
    def lock_due(self, now: datetime, after: str, limit: int) -> builtins.list[Case]:
        """Up to ``limit`` cases with an open duty due at ``now`` and an id above ``after``, by id, as
        projections (without duties), locked until the transaction ends; on PostgreSQL cases another
        transaction holds are skipped (``FOR NO KEY UPDATE SKIP LOCKED``). The sweep's first lock."""
        ...

    def record_escalations(self, decisions: builtins.list[Decision]) -> None:
        """Store sweep steps: case projections, ``escalated`` events, duty levels and messages."""
        ...


class DutyRepository(Protocol):
    def lock_due(self, case_ids: list[str], now: datetime) -> list[Obligation]:
        """The open duties of these cases whose next escalation step is due at ``now``, locked for this
        transaction. Called with cases this transaction has locked already (cases first, then duties)."""
        ...


class OutboxRepository(Protocol):
    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[OutboxMessage]:
        """Pending messages due at ``now``; each gets one more attempt and is hidden from other
        dispatchers until ``lease_until``."""
        ...

    def mark_sent(self, message_id: str, at: datetime) -> None: ...

    def mark_retry(self, message_id: str, error: str, next_attempt_at: datetime) -> None: ...

    def mark_failed(self, message_id: str, error: str) -> None: ...

    def list(
        self, *, status: str | None = None, limit: int | None = None, scope: ReadScope | None = None
    ) -> list[OutboxMessage]:
        """Messages, newest first; with ``scope``, only those of cases its reader may see."""
        ...

    def retry(self, message_id: str, now: datetime, *, scope: ReadScope | None = None) -> OutboxMessage:
        """Put a failed message back in the queue with fresh attempts; raises KeyError if unknown or
        of a case outside ``scope``."""
        ...


@dataclass(frozen=True)
class DutyGauge:
    """The open duties of one unit now: how many, how many past their deadline, how many stuck."""

    school: str
    open: int
    overdue: int
    stuck: int


class ReportRepository(Protocol):
    """Cases read in bulk for the audit and the meeting agenda; never one query per case."""

    def count_for_audit(self, school_year: str, school: str | None = None, scope: ReadScope | None = None) -> int: ...

    def audit_ids(self, school_year: str, school: str | None = None, scope: ReadScope | None = None) -> dict[str, str]:
        """The school year's cases (at one school, that ``scope`` sees) by number: id -> unit."""
        ...

    def cases_for_audit(
        self, school_year: str, school: str | None = None, batch: int = 500, scope: ReadScope | None = None
    ) -> Iterator[Case]:
        """Every case of the school year (at one school, that ``scope`` sees), by number, with ``events``
        and every duty loaded, read ``batch`` cases at a time."""
        ...

    def cases_by_ids(self, ids: Sequence[str], batch: int = 500) -> Iterator[Case]:
        """The cases ``ids`` in that order, as :meth:`cases_for_audit` loads them."""
        ...

    def agenda_cases(
        self, school: str | None, until: datetime, *, open_states: Sequence[str], scope: ReadScope | None = None
    ) -> list[Case]:
        """The cases in one of ``open_states`` (at one school, that ``scope`` sees), by number, each with
        only its open duties due by ``until``; no events."""
        ...

    def duty_gauges(self, now: datetime, stuck_level: int) -> list[DutyGauge]:
        """Per unit with open duties: open, overdue at ``now``, escalated to ``stuck_level`` or past it."""
        ...

    def outbox_counts(self) -> dict[str, int]:
        """Outbox messages per status."""
        ...

    def numbering(self, school_year: str | None = None, school: str | None = None) -> list[Numbered]:
        """Every case's (unit, school year, sequence, number), of one year and unit when given."""
        ...

    def heads(self) -> Iterator[Head]:
        """Every case's head, in case id order."""
        ...

    def hashes_at(self, wanted: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """The hash of each (case id, seq) event that exists."""
        ...

    def latest_at(self, case_ids: Sequence[str]) -> dict[str, datetime]:
        """When each case's latest event was recorded."""
        ...

    def outbox_of(self, case_ids: Sequence[str]) -> dict[str, builtins.list[OutboxMessage]]:
        """Every outbox message of each case."""
        ...


class AccessLog(Protocol):
    """The append-only log of reads of case content, and the parties the read scope looks for."""

    def append(self, records: Sequence[AccessRecord]) -> None:
        """Add reads, in the reader's own transaction."""
        ...

    def of_cases(self, case_ids: Sequence[str]) -> dict[str, builtins.list[AccessRecord]]:
        """Every read of each case, oldest first."""
        ...

    def parties(self, case_ids: Sequence[str]) -> dict[str, builtins.list[Party]]:
        """The people with a part in each case."""
        ...


class ErasureRepository(Protocol):
    """What retention and erasure need of the storage."""

    def closed_before(self, workflow: str, before: datetime) -> builtins.list[tuple[str, str]]:
        """(id, number) of the workflow's cases closed at or before ``before``, with no open duty, not yet
        erased, the earliest closed first."""
        ...

    def store(self, decision: Decision, expected_version: int, erased: Sequence[Event]) -> None:
        """The erased case (its pupil ref), its events' erased documents and seals, and the erasure
        event, in the unit of work; ConcurrencyConflict when the case is no longer at ``expected_version``."""
        ...


class UnitOfWork(Protocol):
    # Read-only members, so an adapter may hold its own repository types (a mutable protocol
    # attribute would have to be exactly CaseRepository).
    @property
    def cases(self) -> CaseRepository: ...
    @property
    def duties(self) -> DutyRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def reports(self) -> ReportRepository: ...
    @property
    def access(self) -> AccessLog: ...
    @property
    def erasure(self) -> ErasureRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...


__all__ = [
    "AccessLog",
    "CaseQuery",
    "CaseRepository",
    "Clock",
    "Directory",
    "DutyGauge",
    "DutyRepository",
    "ErasureRepository",
    "Notifier",
    "OutboxRepository",
    "ReportRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
