"""The SQLAlchemy adapter of the engine's UnitOfWork and CaseRepository ports.

A step is stored with a handful of Core statements in one transaction: a conditional UPDATE of the case
(optimistic lock on ``version``), an INSERT of the event, INSERTs of new duties and messages, and an
UPDATE per met duty. Either all of it lands or none of it does.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import ColumnElement, Engine, Select, func, insert, select, text, update
from sqlalchemy import case as sql_case
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aktivitetsplikt.engine.app.ports import CaseQuery
from aktivitetsplikt.engine.core.access import ReadScope
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL
from aktivitetsplikt.engine.core.model import Case, Decision, Event, Obligation, OutboxMessage
from aktivitetsplikt.engine.core.refs import EMPTY, ref_problem
from aktivitetsplikt.engine.errors import CaseNotFound, ConcurrencyConflict, InvalidInput
from aktivitetsplikt.storage.access import SqlAlchemyAccessLog, add_parties, visible
from aktivitetsplikt.storage.cipher import PLAIN, FieldCipher
from aktivitetsplikt.storage.database import IMMEDIATE
from aktivitetsplikt.storage.erasure import SqlAlchemyErasure
from aktivitetsplikt.storage.reports import CASE_COLUMNS, CASES, DUTIES, DUTY_COLUMNS, SqlAlchemyReportRepository
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow, OutboxRow

_SEEN = len(CASE_COLUMNS)
"""Where, in a row of :meth:`SqlAlchemyCaseRepository.get`, the scope's verdict sits: after the case's
columns, before the duty's."""


class NumberTaken(Exception):
    """Another writer took the case number first; the caller decides again with the next one."""


def _is_uuid(ref: str) -> bool:
    try:
        uuid.UUID(ref)
    except ValueError:
        return False
    return True


def _check_ref(ref: str) -> None:
    """InvalidInput for a case ref no case can have (NUL, a lone surrogate, control characters, too long),
    which a driver would refuse with its own text (quoting it), or store."""
    problem = ref_problem(ref)
    if problem is not None and problem != EMPTY:
        msg = f"The case reference {problem}; give the case's id or number."
        raise InvalidInput(msg)


def obligation_from_row(row: Any) -> Obligation:
    return Obligation(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        due_at=row.due_at,
        responsible_role=row.responsible_role,
        created_seq=row.created_seq,
        satisfied_at=row.satisfied_at,
        satisfied_by_seq=row.satisfied_by_seq,
        escalation_level=row.escalation_level,
        next_escalation_at=row.next_escalation_at,
        key=row.key,
    )


def event_from_row(row: Any) -> Event:
    return Event(
        case_id=row.case_id,
        seq=row.seq,
        at=row.at,
        occurred_at=row.occurred_at,
        actor_id=row.actor_id,
        actor_role=row.actor_role,
        trigger=row.trigger,
        from_state=row.from_state,
        to_state=row.to_state,
        document=row.document,
        prev_hash=row.prev_hash,
        hash=row.hash,
        seal=row.seal,
        effects=row.effects,
    )


def case_from_row(row: CaseRow, obligations: Sequence[Obligation]) -> Case:
    return Case(
        id=row.id,
        number=row.number,
        workflow=row.workflow,
        workflow_version=row.workflow_version,
        school=row.school,
        pupil=row.pupil,
        state=row.state,
        version=row.version,
        serious=row.serious,
        responsible=row.responsible,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        school_year=row.school_year,
        occurred_at=row.occurred_at,
        last_seq=row.last_seq,
        head_hash=row.head_hash,
        attributes=dict(row.attributes or {}),
        obligations=list(obligations),
    )


def _new_case_values(case: Case, sequence: int) -> dict[str, Any]:
    """A new case's row: its identity (fixed from then on) and what a step may change."""
    return _case_values(case) | {
        "id": case.id,
        "number": case.number,
        "workflow": case.workflow,
        "workflow_version": case.workflow_version,
        "school": case.school,
        "school_year": case.school_year,
        "sequence": sequence,
        "pupil": case.pupil,
        "opened_at": case.opened_at,
    }


def _obligation_values(o: Obligation) -> dict[str, Any]:
    return {
        "id": o.id,
        "case_id": o.case_id,
        "kind": o.kind,
        "due_at": o.due_at,
        "responsible_role": o.responsible_role,
        "created_seq": o.created_seq,
        "satisfied_at": o.satisfied_at,
        "satisfied_by_seq": o.satisfied_by_seq,
        "escalation_level": o.escalation_level,
        "next_escalation_at": o.next_escalation_at,
        "key": o.key,
    }


def _event_values(event: Event) -> dict[str, Any]:
    return {
        "case_id": event.case_id,
        "seq": event.seq,
        "at": event.at,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "trigger": event.trigger,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "document": event.document,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "seal": event.seal,
        "effects": event.effects,
    }


def _message_values(m: OutboxMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "case_id": m.case_id,
        "kind": m.kind,
        "obligation": m.obligation,
        "obligation_id": m.obligation_id,
        "level": m.level,
        "recipient_role": m.recipient_role,
        "address": m.address,
        "payload": m.payload,
        "status": m.status,
        "attempts": m.attempts,
        "created_at": m.created_at,
        "next_attempt_at": m.next_attempt_at,
        "sent_at": m.sent_at,
        "last_error": m.last_error,
    }


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "state": case.state,
        "version": case.version,
        "serious": case.serious,
        "responsible": case.responsible,
        "closed_at": case.closed_at,
        "occurred_at": case.occurred_at,
        "last_seq": case.last_seq,
        "head_hash": case.head_hash,
        "attributes": case.attributes,
    }


class SqlAlchemyCaseRepository:
    def __init__(self, session: Session, cipher: FieldCipher = PLAIN) -> None:
        self.session = session
        self.cipher = cipher

    def get(self, ref: str, *, with_events: bool = False, scope: ReadScope | None = None) -> Case:
        case = self._read(ref, scope, lock=False)
        if with_events:
            case.events = self.events(case.id)
        return case

    def get_for_update(self, ref: str) -> Case:
        return self._read(ref, None, lock=True)

    def _read(self, ref: str, scope: ReadScope | None, *, lock: bool) -> Case:
        # One query for the case, whether the reader may see it, and its duties (a step's whole read):
        # the case by its primary key or number, its duties through ix_obligations_case.
        _check_ref(ref)
        column = CASES.c.id if _is_uuid(ref) else CASES.c.number
        stmt = (
            select(*CASE_COLUMNS, visible(scope).label("seen"), *DUTY_COLUMNS)
            .select_from(CASES.outerjoin(DUTIES, DUTIES.c.case_id == CASES.c.id))
            .where(column == ref)
        )
        if lock:
            # The case's row only (FOR NO KEY UPDATE OF cases): a step's first lock, before its duties. It is
            # the lock an UPDATE of the row takes anyway, so inserts that reference the case (events, the
            # access log) do not queue behind it as they would behind FOR UPDATE.
            stmt = stmt.with_for_update(key_share=True, of=CASES)
        rows = self.session.execute(stmt).all()
        if not rows:
            raise CaseNotFound(ref)
        first = rows[0]
        if scope is not None and not first[_SEEN]:
            raise scope.refused(ref)
        duties = [Obligation(*r[_SEEN + 1 :]) for r in rows if r[_SEEN + 1] is not None]
        case = Case(*first[:_SEEN])
        case.attributes = dict(case.attributes or {})
        case.obligations = sorted(duties, key=lambda o: (o.created_seq, o.due_at))
        return case

    def events(self, case_id: str) -> list[Event]:
        stmt = select(EventRow).where(EventRow.case_id == case_id).order_by(EventRow.seq)
        return [self.cipher.plain(event_from_row(r)) for r in self.session.scalars(stmt)]

    def next_number(self, school: str, school_year: str) -> int:
        if self.session.get_bind().dialect.name == "postgresql":
            # Writers opening cases at one school serialise on this lock until they commit, so max+1
            # is never taken twice (SQLite already serialises writers with BEGIN IMMEDIATE).
            key = zlib.crc32(f"aktivitetsplikt/{school}/{school_year}".encode())
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        stmt = select(func.max(CaseRow.sequence)).where(CaseRow.school == school, CaseRow.school_year == school_year)
        return int(self.session.scalar(stmt) or 0) + 1

    def add(self, decision: Decision) -> None:
        case = decision.case
        sequence = int(case.number.rsplit("-", 1)[1])
        try:
            self.session.execute(insert(CaseRow), [_new_case_values(case, sequence)])
        except IntegrityError as exc:
            raise NumberTaken(case.number) from exc
        self._write_step(decision)

    def save(self, decision: Decision, expected_version: int) -> None:
        case = decision.case
        result = self.session.execute(
            update(CaseRow)
            .where(CaseRow.id == case.id, CaseRow.version == expected_version)
            .values(**_case_values(case))
        )
        # An UPDATE returns a CursorResult, which has rowcount; Session.execute is typed as any Result.
        if result.rowcount != 1:  # type: ignore[attr-defined]
            actual = self.session.scalar(select(CaseRow.version).where(CaseRow.id == case.id))
            raise ConcurrencyConflict(case.number, expected_version, actual)
        try:
            self._write_step(decision)
        except IntegrityError as exc:
            reason = str(exc.orig)
            if "uq_case_events_case_seq" not in reason and "case_events.case_id, case_events.seq" not in reason:
                raise  # not a race on the log: a real fault, not something to retry
            raise ConcurrencyConflict(case.number) from exc

    def _write_step(self, decision: Decision) -> None:
        self.session.execute(insert(EventRow), [_event_values(self.cipher.stored(decision.event))])
        if decision.created:
            self.session.execute(insert(ObligationRow), [_obligation_values(o) for o in decision.created])
        for done in decision.satisfied:
            self.session.execute(
                update(ObligationRow)
                .where(ObligationRow.id == done.id)
                .values(
                    satisfied_at=done.satisfied_at,
                    satisfied_by_seq=done.satisfied_by_seq,
                    next_escalation_at=None,
                )
            )
        if decision.messages:
            self.session.execute(insert(OutboxRow), [_message_values(m) for m in decision.messages])
        add_parties(self.session, decision.case.id, decision.parties)

    def lock_due(self, now: datetime, after: str, limit: int) -> list[Case]:
        due = select(ObligationRow.case_id).where(
            ObligationRow.satisfied_at.is_(None), ObligationRow.next_escalation_at <= now
        )
        stmt = (
            select(CaseRow)
            .where(CaseRow.id > after, CaseRow.id.in_(due))
            .order_by(CaseRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True, key_share=True)
        )
        return [case_from_row(r, []) for r in self.session.scalars(stmt)]

    def record_escalations(self, decisions: list[Decision]) -> None:
        if not decisions:
            return
        last: dict[str, Case] = {d.case.id: d.case for d in decisions}
        self.session.execute(update(CaseRow), [{"id": c.id} | _case_values(c) for c in last.values()])
        self.session.execute(insert(EventRow), [_event_values(d.event) for d in decisions])
        levels: dict[str, Obligation] = {o.id: o for d in decisions for o in d.escalated}
        self.session.execute(
            update(ObligationRow),
            [
                {
                    "id": o.id,
                    "escalation_level": o.escalation_level,
                    "next_escalation_at": o.next_escalation_at,
                }
                for o in levels.values()
            ],
        )
        messages = [m for d in decisions for m in d.messages]
        if messages:
            self.session.execute(insert(OutboxRow), [_message_values(m) for m in messages])

    def _query(self, query: CaseQuery) -> Select[tuple[CaseRow]]:
        stmt = select(CaseRow)
        led = query.overdue_at is not None or query.stuck  # by the duties: nothing on cases may lead
        if query.scope is not None:
            stmt = stmt.where(visible(query.scope, lead=not led))
        if query.school is not None:
            stmt = stmt.where(CaseRow.school == query.school)
        if query.state is not None:
            stmt = stmt.where(CaseRow.state == query.state)
        if query.school_year is not None:
            stmt = stmt.where(CaseRow.school_year == query.school_year)
        # The stuck and overdue lists start from the few duties in the open duties' partial indexes
        # (ix_obligations_open_level, ix_obligations_open_due) and look their cases up by primary key,
        # so they cost what they return, not what the database holds (tests/integration/test_query_plans.py).
        if query.overdue_at is not None:
            if self.session.get_bind().dialect.name == "postgresql":
                # The open deadline as one expression: PostgreSQL's statistics of its index (migration
                # 0007) count the open duties alone, so the plan starts from the overdue ones.
                overdue = select(ObligationRow.case_id).where(_open_deadline() <= query.overdue_at)
            else:
                overdue = _open_duties(ObligationRow.due_at <= query.overdue_at)
            stmt = stmt.where(CaseRow.id.in_(overdue))
        if query.stuck:
            stmt = stmt.where(CaseRow.id.in_(_open_duties(ObligationRow.escalation_level >= LAST_LEVEL)))
        if query.open_only:
            stmt = stmt.where(CaseRow.closed_at.is_(None))
        if query.by_urgency:
            # A correlated subquery per selected case (through ix_obligations_case), so a narrow filter
            # such as --stuck never aggregates every open duty of a large database.
            earliest = (
                select(func.min(ObligationRow.due_at))
                .where(ObligationRow.case_id == CaseRow.id, ObligationRow.satisfied_at.is_(None))
                .scalar_subquery()
            )
            stmt = stmt.order_by(earliest.asc().nulls_last(), CaseRow.number)
        else:
            stmt = stmt.order_by(CaseRow.opened_at, CaseRow.number)
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        return stmt

    def list(self, query: CaseQuery) -> list[Case]:
        rows = list(self.session.scalars(self._query(query)))
        if not rows:
            return []
        by_case: dict[str, list[Obligation]] = {r.id: [] for r in rows}
        ids = list(by_case)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for o in self.session.scalars(select(ObligationRow).where(ObligationRow.case_id.in_(chunk))):
                by_case[o.case_id].append(obligation_from_row(o))
        return [case_from_row(r, sorted(by_case[r.id], key=lambda o: (o.created_seq, o.due_at))) for r in rows]


def _open_deadline() -> ColumnElement[datetime]:
    """An open duty's deadline, NULL once met: the expression ``ix_obligations_open_due_pg`` indexes."""
    return sql_case((ObligationRow.satisfied_at.is_(None), ObligationRow.due_at))


def _open_duties(condition: ColumnElement[bool]) -> Select[tuple[str]]:
    """The cases with an open duty that meets ``condition`` (a column of one open-duty partial index)."""
    return select(ObligationRow.case_id).where(ObligationRow.satisfied_at.is_(None), condition)


def _message_from_row(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,  # type: ignore[arg-type]  # a str column holding only the kinds the engine wrote
        recipient_role=row.recipient_role,
        address=row.address,
        payload=dict(row.payload),
        created_at=row.created_at,
        obligation=row.obligation,
        obligation_id=row.obligation_id,
        level=row.level,
        status=row.status,  # type: ignore[arg-type]  # as kind: only statuses the engine wrote
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )


class SqlAlchemyDutyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_due(self, case_ids: list[str], now: datetime) -> list[Obligation]:
        # A fresh statement: a duty another sweeper escalated before we locked its case is no longer due.
        # No SKIP LOCKED and no wait: whoever writes a duty holds its case first, and we hold the cases.
        stmt = (
            select(ObligationRow)
            .where(
                ObligationRow.case_id.in_(case_ids),
                ObligationRow.satisfied_at.is_(None),
                ObligationRow.next_escalation_at <= now,
            )
            .order_by(ObligationRow.case_id, ObligationRow.next_escalation_at, ObligationRow.id)
            .with_for_update()
        )
        return [obligation_from_row(r) for r in self.session.scalars(stmt)]


class SqlAlchemyOutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[OutboxMessage]:
        ids = list(
            self.session.scalars(
                select(OutboxRow.id)
                .where(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now)
                .order_by(OutboxRow.next_attempt_at, OutboxRow.created_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(ids))
            .values(attempts=OutboxRow.attempts + 1, next_attempt_at=lease_until)
        )
        rows = self.session.scalars(select(OutboxRow).where(OutboxRow.id.in_(ids)))
        order = {message_id: i for i, message_id in enumerate(ids)}
        return sorted((_message_from_row(r) for r in rows), key=lambda m: order[m.id])

    def mark_sent(self, message_id: str, at: datetime) -> None:
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id)
            .values(status="sent", sent_at=at, next_attempt_at=None, last_error=None)
        )

    def mark_retry(self, message_id: str, error: str, next_attempt_at: datetime) -> None:
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id, OutboxRow.status == "pending")
            .values(last_error=error[:2000], next_attempt_at=next_attempt_at)
        )

    def mark_failed(self, message_id: str, error: str) -> None:
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id, OutboxRow.status == "pending")
            .values(status="failed", last_error=error[:2000], next_attempt_at=None)
        )

    def list(
        self, *, status: str | None = None, limit: int | None = None, scope: ReadScope | None = None
    ) -> list[OutboxMessage]:
        stmt = select(OutboxRow)
        if scope is not None:
            stmt = stmt.join(CaseRow, CaseRow.id == OutboxRow.case_id).where(visible(scope))
        if status is not None:
            stmt = stmt.where(OutboxRow.status == status)
        stmt = stmt.order_by(OutboxRow.created_at.desc(), OutboxRow.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_message_from_row(r) for r in self.session.scalars(stmt)]

    def retry(self, message_id: str, now: datetime, *, scope: ReadScope | None = None) -> OutboxMessage:
        """Queue a failed message again; a message of a case outside ``scope`` is as absent (KeyError)."""
        stmt = select(OutboxRow).where(OutboxRow.id == message_id)
        if scope is not None:
            stmt = stmt.join(CaseRow, CaseRow.id == OutboxRow.case_id).where(visible(scope))
        row = self.session.scalars(stmt).one_or_none()
        if row is None:
            raise KeyError(message_id)
        if row.status == "failed":
            row.status = "pending"
            row.attempts = 0
            row.next_attempt_at = now
            self.session.flush()
        return _message_from_row(row)


class SqlAlchemyUnitOfWork:
    """One transaction. Write transactions on SQLite take the write lock at BEGIN."""

    def __init__(self, engine: Engine, *, write: bool = False, cipher: FieldCipher = PLAIN) -> None:
        self._bind = engine.execution_options(**{IMMEDIATE: True}) if write else engine
        self._cipher = cipher
        self.session: Session
        self.cases: SqlAlchemyCaseRepository
        self.duties: SqlAlchemyDutyRepository
        self.outbox: SqlAlchemyOutboxRepository
        self.reports: SqlAlchemyReportRepository
        self.access: SqlAlchemyAccessLog
        self.erasure: SqlAlchemyErasure

    def __enter__(self) -> Self:
        self.session = Session(self._bind, expire_on_commit=False, autoflush=False)
        self.cases = SqlAlchemyCaseRepository(self.session, self._cipher)
        self.duties = SqlAlchemyDutyRepository(self.session)
        self.outbox = SqlAlchemyOutboxRepository(self.session)
        self.reports = SqlAlchemyReportRepository(self.session, self._cipher)
        self.access = SqlAlchemyAccessLog(self.session)
        self.erasure = SqlAlchemyErasure(self.session, self._cipher)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class SqlAlchemyUnitOfWorkFactory:
    def __init__(self, engine: Engine, cipher: FieldCipher = PLAIN) -> None:
        self.engine = engine
        self.cipher = cipher
        """Encrypts free text on its way in and decrypts it on its way out (``storage.cipher``)."""

    def __call__(self, *, write: bool = False) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.engine, write=write, cipher=self.cipher)
