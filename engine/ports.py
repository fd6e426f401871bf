"""The small interfaces the engine core talks through; storage and notifiers implement them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from aktivitetsplikt.engine.model import Case, Event, OutboxMessage

if TYPE_CHECKING:
    from aktivitetsplikt.engine.decide import Decision


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class Directory(Protocol):
    """Resolves who a message goes to. The default reads ``[schools.*]``; embedders plug their own."""

    def addresses(self, case: Case, role: str) -> list[str]:
        """The addresses of everyone holding ``role`` (principal, school_owner, responsible, reporter)
        on the case. A staff ref with no known address is returned as it is, so the send fails loudly."""
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
    limit: int | None = None


class CaseRepository(Protocol):
    def get(self, ref: str, *, with_events: bool = False) -> Case:
        """A case by id or number, with all its obligations; raises CaseNotFound."""
        ...

    def next_number(self, school: str, school_year: str) -> int: ...

    def add(self, decision: Decision) -> None:
        """Store a new case with its first event, obligations and messages."""
        ...

    def save(self, decision: Decision, expected_version: int) -> None:
        """Store a step; raises ConcurrencyConflict when the case is no longer at ``expected_version``."""
        ...

    def events(self, case_id: str) -> list[Event]: ...

    def list(self, query: CaseQuery) -> list[Case]: ...


class UnitOfWork(Protocol):
    cases: CaseRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...
