"""Reading cases in bulk for the audit and the meeting agenda: the ReportRepository port on SQLAlchemy.

A school year can hold thousands of cases, so nothing here asks per case. The audit first reads the
year's case ids in number order (the ``(school_year, school)`` index), then per batch runs three queries
with IN lists: the cases, their events (the ``(case_id, seq)`` unique index) and their duties (the
``case_id`` index). The agenda reads the open cases through the ``state`` indexes and their open duties
in the same way. Plain Core selects, not ORM entities: rows become engine dataclasses directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from aktivitetsplikt.engine.app.ports import DutyGauge
from aktivitetsplikt.engine.core.access import ReadScope
from aktivitetsplikt.engine.core.model import Case, Event, Obligation
from aktivitetsplikt.storage.access import visible
from aktivitetsplikt.storage.cipher import PLAIN, FieldCipher
from aktivitetsplikt.storage.records import RecordQueries
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow, OutboxRow

CASES = CaseRow.__table__
EVENTS = EventRow.__table__
DUTIES = ObligationRow.__table__
OUTBOX = OutboxRow.__table__
# Columns in the order of the dataclass fields, so a row becomes an object positionally (no per-column
# attribute lookups: a school year is tens of thousands of rows). A field without a column fails here.
CASE_COLUMNS = [CASES.c[f.name] for f in fields(Case) if f.name not in ("obligations", "events")]
EVENT_COLUMNS = [EVENTS.c[f.name] for f in fields(Event)]
DUTY_COLUMNS = [DUTIES.c[f.name] for f in fields(Obligation)]
IN_LIST = 500
"""At most this many ids in one IN list (well below every backend's limit on bound parameters)."""


def _duty_order(duty: Obligation) -> tuple[int, datetime]:
    # The order the case repository returns duties in: by the step that created them, then deadline.
    return (duty.created_seq, duty.due_at)


class SqlAlchemyReportRepository(RecordQueries):
    def __init__(self, session: Session, cipher: FieldCipher = PLAIN) -> None:
        self.session = session
        self.cipher = cipher

    def _year(self, stmt: Select[Any], school_year: str, school: str | None, scope: ReadScope | None) -> Select[Any]:
        stmt = stmt.where(CASES.c.school_year == school_year)
        if scope is not None:
            stmt = stmt.where(visible(scope))
        return stmt if school is None else stmt.where(CASES.c.school == school)

    def count_for_audit(self, school_year: str, school: str | None = None, scope: ReadScope | None = None) -> int:
        """How many cases :meth:`cases_for_audit` will yield."""
        counted = self._year(select(func.count()).select_from(CASES), school_year, school, scope)
        return int(self.session.scalar(counted) or 0)

    def audit_ids(self, school_year: str, school: str | None = None, scope: ReadScope | None = None) -> dict[str, str]:
        """The school year's cases (at one school, that ``scope`` sees) by number: id -> unit."""
        stmt = self._year(select(CASES.c.id, CASES.c.school), school_year, school, scope).order_by(CASES.c.number)
        return {case_id: unit for case_id, unit in self.session.execute(stmt)}

    def cases_for_audit(
        self, school_year: str, school: str | None = None, batch: int = IN_LIST, scope: ReadScope | None = None
    ) -> Iterator[Case]:
        """Every case of the school year (at one school, that ``scope`` sees), by number, with its whole
        log and every duty.

        One query for the ids, then three per batch of ``batch`` cases, whatever the number of events.
        """
        return self.cases_by_ids(list(self.audit_ids(school_year, school, scope)), batch)

    def cases_by_ids(self, ids: Sequence[str], batch: int = IN_LIST) -> Iterator[Case]:
        """The cases ``ids`` in that order, with their whole logs and every duty, ``batch`` at a time."""
        if not 1 <= batch <= IN_LIST:
            msg = f"batch must be between 1 and {IN_LIST}, not {batch}."
            raise ValueError(msg)
        for start in range(0, len(ids), batch):
            yield from self._load(ids[start : start + batch])

    def _load(self, ids: Sequence[str]) -> list[Case]:
        events: dict[str, list[Event]] = {case_id: [] for case_id in ids}
        stmt = select(*EVENT_COLUMNS).where(EVENTS.c.case_id.in_(ids)).order_by(EVENTS.c.case_id, EVENTS.c.seq)
        for row in self.session.execute(stmt).all():
            events[row.case_id].append(self.cipher.plain(Event(*row)))
        rows = self.session.execute(select(*CASE_COLUMNS).where(CASES.c.id.in_(ids))).all()
        cases = self._cases(rows, self._duties(ids))
        for case in cases:
            case.events = events[case.id]
        order = {case_id: i for i, case_id in enumerate(ids)}
        return sorted(cases, key=lambda c: order[c.id])

    @staticmethod
    def _cases(rows: Sequence[Any], duties: dict[str, list[Obligation]]) -> list[Case]:
        cases = []
        for row in rows:
            case = Case(*row)
            case.attributes = dict(case.attributes or {})
            case.obligations = sorted(duties[case.id], key=_duty_order)
            cases.append(case)
        return cases

    def _duties(self, ids: Sequence[str], *, open_until: datetime | None = None) -> dict[str, list[Obligation]]:
        stmt = select(*DUTY_COLUMNS).where(DUTIES.c.case_id.in_(ids))
        if open_until is not None:
            stmt = stmt.where(DUTIES.c.satisfied_at.is_(None), DUTIES.c.due_at <= open_until)
        duties: dict[str, list[Obligation]] = {case_id: [] for case_id in ids}
        for row in self.session.execute(stmt).all():
            duties[row.case_id].append(Obligation(*row))
        return duties

    def agenda_cases(
        self, school: str | None, until: datetime, *, open_states: Sequence[str], scope: ReadScope | None = None
    ) -> list[Case]:
        """The open cases (in one of ``open_states``, that ``scope`` sees) by number, each with only its open
        duties that are due by ``until`` (overdue ones and those coming up). Events are not loaded."""
        if not open_states:
            return []
        stmt = select(*CASE_COLUMNS).where(CASES.c.state.in_(list(open_states)))
        if scope is not None:
            stmt = stmt.where(visible(scope))
        if school is not None:
            stmt = stmt.where(CASES.c.school == school)
        rows = self.session.execute(stmt.order_by(CASES.c.number)).all()
        cases: list[Case] = []
        for start in range(0, len(rows), IN_LIST):
            chunk = rows[start : start + IN_LIST]
            cases.extend(self._cases(chunk, self._duties([r.id for r in chunk], open_until=until)))
        return cases

    def duty_gauges(self, now: datetime, stuck_level: int) -> list[DutyGauge]:
        """Open, overdue and stuck duties per unit, in one aggregate over the open duties' partial indexes."""
        overdue = func.sum(when((DUTIES.c.due_at <= now, 1), else_=0))
        stuck = func.sum(when((DUTIES.c.escalation_level >= stuck_level, 1), else_=0))
        stmt = (
            select(CASES.c.school, func.count(), overdue, stuck)
            .select_from(DUTIES.join(CASES, CASES.c.id == DUTIES.c.case_id))
            .where(DUTIES.c.satisfied_at.is_(None))
            .group_by(CASES.c.school)
            .order_by(CASES.c.school)
        )
        return [
            DutyGauge(row[0], int(row[1]), int(row[2] or 0), int(row[3] or 0)) for row in self.session.execute(stmt)
        ]

    def outbox_counts(self) -> dict[str, int]:
        """How many outbox messages are in each status (pending, sent, failed)."""
        stmt = select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status)
        return {str(status): int(count) for status, count in self.session.execute(stmt)}
