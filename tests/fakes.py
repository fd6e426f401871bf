"""Hand-written fakes of the engine's ports, for fast unit tests (no database, no mocks).

``InMemoryUnitOfWorkFactory`` implements ``UnitOfWorkFactory``: a unit of work stages its writes and
applies them to the shared :class:`InMemoryStore` only on ``commit()``, so a step that raises half-way
leaves the store as it was. Everything crossing the boundary is deep-copied, so a test (or the engine)
holding a ``Case`` cannot change what is stored behind the repository's back.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.app.ports import CaseQuery, Clock
from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.bootstrap import builtin_registry
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.access import AccessRecord, ReadScope
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL
from aktivitetsplikt.engine.core.model import Case, Event, Obligation, OutboxMessage, Party
from aktivitetsplikt.engine.core.numbering import Numbered
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.errors import CaseNotFound, ConcurrencyConflict

if TYPE_CHECKING:
    from aktivitetsplikt.engine.core.model import Decision


def _ordered(obligations: list[Obligation]) -> list[Obligation]:
    # The order the SQL adapter returns: by the step that created them, then by deadline.
    return sorted(obligations, key=lambda o: (o.created_seq, o.due_at))


@dataclass
class InMemoryStore:
    """What has been committed. Tests inspect ``cases``, ``events[case_id]`` and ``outbox`` directly."""

    cases: dict[str, Case] = field(default_factory=dict)
    events: dict[str, list[Event]] = field(default_factory=dict)
    outbox: list[OutboxMessage] = field(default_factory=list)
    parties: dict[str, set[Party]] = field(default_factory=dict)
    access_log: list[AccessRecord] = field(default_factory=list)
    commits: int = 0

    def case(self, ref: str) -> Case:
        """The stored case by id or number (a deep copy, with its events)."""
        for case in self.cases.values():
            if ref in (case.id, case.number):
                found = copy.deepcopy(case)
                found.events = copy.deepcopy(self.events.get(case.id, []))
                return found
        raise CaseNotFound(ref)

    def messages(self, case_id: str) -> list[OutboxMessage]:
        return [copy.deepcopy(m) for m in self.outbox if m.case_id == case_id]

    def snapshot_all(self) -> dict[str, Any]:
        """A deep copy of everything committed, to compare before and after a refused step."""
        return copy.deepcopy(
            {"cases": self.cases, "events": self.events, "outbox": self.outbox, "commits": self.commits}
        )

    def snapshot(self, case_id: str) -> dict[str, Any]:
        """Everything a refused step must leave as it was: the case, its log and its messages."""
        return {
            "case": copy.deepcopy(self.cases.get(case_id)),
            "events": copy.deepcopy(self.events.get(case_id, [])),
            "outbox": self.messages(case_id),
            "case_count": len(self.cases),
            "outbox_count": len(self.outbox),
        }


class InMemoryCaseRepository:
    """The ``CaseRepository`` port over an :class:`InMemoryStore`, with writes staged until commit."""

    def __init__(self, store: InMemoryStore, *, write: bool) -> None:
        self._store = store
        self._write = write
        self._cases: dict[str, Case] = {}
        self._new_events: dict[str, list[Event]] = {}
        self._new_messages: list[OutboxMessage] = []
        self._new_parties: dict[str, set[Party]] = {}
        self._expected: dict[str, int | None] = {}
        """Per staged case: the version the store must still hold at commit (None: a new case)."""

    # --- reading ------------------------------------------------------------------------------------

    def _visible(self) -> dict[str, Case]:
        return self._store.cases | self._cases

    def _find(self, ref: str) -> Case:
        for case in self._visible().values():
            if ref in (case.id, case.number):
                return case
        raise CaseNotFound(ref)

    def _admits(self, scope: ReadScope | None, case: Case) -> bool:
        parties = self._store.parties.get(case.id, set()) | self._new_parties.get(case.id, set())
        return scope is None or scope.admits(case, parties)

    def get(self, ref: str, *, with_events: bool = False, scope: ReadScope | None = None) -> Case:
        found = self._find(ref)
        if scope is not None and not self._admits(scope, found):
            raise scope.refused(ref)
        case = copy.deepcopy(found)
        case.obligations = _ordered(case.obligations)
        case.events = self.events(case.id) if with_events else None
        return case

    def get_for_update(self, ref: str) -> Case:
        """As ``get``: the store has no locks, so a concurrent commit surfaces at ``commit`` (optimistic)."""
        return self.get(ref)

    def events(self, case_id: str) -> list[Event]:
        stored = self._store.events.get(case_id, []) + self._new_events.get(case_id, [])
        return copy.deepcopy(stored)

    def next_number(self, school: str, school_year: str) -> int:
        numbers = [
            int(c.number.rsplit("-", 1)[1])
            for c in self._visible().values()
            if c.school == school and c.school_year == school_year
        ]
        return max(numbers, default=0) + 1

    def list(self, query: CaseQuery) -> list[Case]:
        found = [c for c in self._visible().values() if self._matches(c, query) and self._admits(query.scope, c)]
        found.sort(key=lambda c: (c.opened_at, c.number))
        if query.limit is not None:
            found = found[: query.limit]
        return [self.get(c.id) for c in found]

    @staticmethod
    def _matches(case: Case, query: CaseQuery) -> bool:
        if query.school is not None and case.school != query.school:
            return False
        if query.state is not None and case.state != query.state:
            return False
        if query.school_year is not None and case.school_year != query.school_year:
            return False
        open_duties = case.open_obligations()
        if query.overdue_at is not None and not any(o.due_at <= query.overdue_at for o in open_duties):
            return False
        return not query.stuck or any((o.escalation_level or 0) >= LAST_LEVEL for o in open_duties)

    # --- writing ------------------------------------------------------------------------------------

    def _require_write(self) -> None:
        if not self._write:
            msg = "This unit of work was opened without write=True; it cannot store anything."
            raise RuntimeError(msg)

    def add(self, decision: Decision) -> None:
        self._require_write()
        case = decision.case
        taken = any(c.number == case.number or c.id == case.id for c in self._visible().values())
        if taken:
            msg = f"The case number {case.number} (or id {case.id}) is already taken."
            raise ValueError(msg)
        self._expected[case.id] = None
        self._stage(decision)

    def save(self, decision: Decision, expected_version: int) -> None:
        self._require_write()
        case = decision.case
        current = self._visible().get(case.id)
        if current is None:
            raise CaseNotFound(case.id)
        if current.version != expected_version:
            raise ConcurrencyConflict(case.number, expected_version, current.version)
        if case.id not in self._expected:
            self._expected[case.id] = expected_version
        self._stage(decision)

    def _stage(self, decision: Decision) -> None:
        case = copy.deepcopy(decision.case)
        case.events = None
        self._cases[case.id] = case
        self._new_events.setdefault(case.id, []).append(copy.deepcopy(decision.event))
        self._new_messages.extend(copy.deepcopy(decision.messages))
        self._new_parties.setdefault(case.id, set()).update(decision.parties)

    def _apply(self) -> None:
        """Check every staged case against the store once more, then apply all of it or nothing."""
        for case_id, expected in self._expected.items():
            stored = self._store.cases.get(case_id)
            actual = None if stored is None else stored.version
            if actual != expected:
                number = self._cases[case_id].number
                raise ConcurrencyConflict(number, expected, actual)
        self._store.cases.update(self._cases)
        for case_id, events in self._new_events.items():
            self._store.events.setdefault(case_id, []).extend(events)
        self._store.outbox.extend(self._new_messages)
        for case_id, parties in self._new_parties.items():
            self._store.parties.setdefault(case_id, set()).update(parties)
        self._store.commits += 1
        self._discard()

    def _discard(self) -> None:
        self._cases = {}
        self._new_events = {}
        self._new_messages = []
        self._new_parties = {}
        self._expected = {}


class InMemoryAccessLog:
    """The ``AccessLog`` port over an :class:`InMemoryStore`: reads staged until commit, like the cases."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._new: list[AccessRecord] = []

    def append(self, records: Sequence[AccessRecord]) -> None:
        self._new.extend(records)

    def of_cases(self, case_ids: Sequence[str]) -> dict[str, list[AccessRecord]]:
        every = self._store.access_log + self._new
        return {case_id: [r for r in every if r.case_id == case_id] for case_id in case_ids}

    def parties(self, case_ids: Sequence[str]) -> dict[str, list[Party]]:
        return {case_id: sorted(self._store.parties.get(case_id, set()), key=repr) for case_id in case_ids}


class InMemoryRecords:
    """The reads of the ``ReportRepository`` port that ``verify`` makes, over an :class:`InMemoryStore`."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def numbering(self, school_year: str | None = None, school: str | None = None) -> list[Numbered]:
        return [
            Numbered(c.school, c.school_year, int(c.number.rsplit("-", 1)[1]), c.number)
            for c in self._store.cases.values()
            if school_year in (None, c.school_year) and school in (None, c.school)
        ]

    def outbox_of(self, case_ids: Sequence[str]) -> dict[str, list[OutboxMessage]]:
        return {case_id: self._store.messages(case_id) for case_id in case_ids}


class InMemoryUnitOfWork:
    """One transaction over the store: staged writes land on ``commit()``, are dropped on exit."""

    def __init__(self, store: InMemoryStore, *, write: bool) -> None:
        self.write = write
        self.cases = InMemoryCaseRepository(store, write=write)
        self.access = InMemoryAccessLog(store)
        self.reports = InMemoryRecords(store)
        self._store = store
        self.committed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cases._discard()
        self.access._new = []

    def commit(self) -> None:
        self.cases._apply()
        self._store.access_log.extend(self.access._new)
        self.access._new = []
        self.committed = True


class InMemoryUnitOfWorkFactory:
    """The ``UnitOfWorkFactory`` port; ``opened`` records the ``write`` flag of every unit of work."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store or InMemoryStore()
        self.opened: list[bool] = []

    def __call__(self, *, write: bool = False) -> InMemoryUnitOfWork:
        self.opened.append(write)
        return InMemoryUnitOfWork(self.store, write=write)


def make_engine(
    settings: Settings, clock: Clock, registry: WorkflowRegistry | None = None
) -> tuple[Engine, InMemoryUnitOfWorkFactory]:
    """An Engine with the built-in workflows (or ``registry``'s) on an in-memory store, and that store's factory."""
    factory = InMemoryUnitOfWorkFactory()
    engine = Engine(
        settings=settings,
        registry=registry or builtin_registry(),
        uow=factory,
        clock=clock,
        directory=ConfigDirectory(settings),
    )
    return engine, factory
