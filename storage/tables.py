"""SQLAlchemy 2 typed models of the tables: cases, case_events, obligations, outbox, case_parties, access_log.

Instants are stored in UTC (naive on SQLite, ``timestamptz`` on PostgreSQL) and always read back as
aware UTC datetimes. Every query the sweep, the dispatcher and the CLI make has an index.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime in, an aware UTC datetime out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "Refusing to store a naive datetime; the engine works in aware UTC."
            raise ValueError(msg)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JsonDoc = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")
OPEN = text("satisfied_at IS NULL")
PLANNER_INDEXES = {"postgresql": frozenset({"ix_obligations_open_due_pg"})}
"""Indexes a migration makes on one backend for its planner's statistics only, outside the models
(SQLite cannot reflect an index on an expression, so the models cannot carry it for both):
``ix_obligations_open_due_pg`` on ``CASE WHEN satisfied_at IS NULL THEN due_at END`` (0007)."""


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JsonDoc}


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    workflow: Mapped[str] = mapped_column(String(64))
    workflow_version: Mapped[str] = mapped_column(String(16))
    school: Mapped[str] = mapped_column(String(64))
    school_year: Mapped[str] = mapped_column(String(9))
    sequence: Mapped[int] = mapped_column(Integer)
    pupil: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    responsible: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    occurred_at: Mapped[datetime]
    last_seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]]

    __table_args__ = (
        UniqueConstraint("school", "school_year", "sequence", name="uq_cases_school_year_sequence"),
        Index("ix_cases_school_state", "school", "state"),
        Index("ix_cases_school_year", "school_year", "school"),
        Index("ix_cases_state", "state"),
    )


class EventRow(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    occurred_at: Mapped[datetime]
    actor_id: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    trigger: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    seal: Mapped[dict[str, Any] | None]
    """Each free-text value's salt or, once erased, its hash (migration 0005_event_seal; NULL before)."""
    effects: Mapped[dict[str, Any] | None]
    """What the step did to the projection, hashed with the event (migration 0006_event_effects)."""

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_events_case_seq"),)


class ObligationRow(Base):
    __tablename__ = "obligations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    responsible_role: Mapped[str] = mapped_column(String(32))
    created_seq: Mapped[int] = mapped_column(Integer)
    satisfied_at: Mapped[datetime | None]
    satisfied_by_seq: Mapped[int | None] = mapped_column(Integer)
    escalation_level: Mapped[int | None] = mapped_column(Integer)
    next_escalation_at: Mapped[datetime | None]
    key: Mapped[str | None] = mapped_column(String(200))
    """The item of its step's documentation a per-item duty is for (migration 0003_obligation_key)."""

    __table_args__ = (
        Index("ix_obligations_case", "case_id"),
        # The sweep reads only this index: open duties whose next escalation step is due.
        Index("ix_obligations_next_escalation", "next_escalation_at", sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_obligations_open_due", "due_at", sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_obligations_open_level", "escalation_level", sqlite_where=OPEN, postgresql_where=OPEN),
    )


class OutboxRow(Base):
    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(16))
    obligation: Mapped[str | None] = mapped_column(String(64))
    obligation_id: Mapped[str | None] = mapped_column(String(36))
    level: Mapped[int | None] = mapped_column(Integer)
    recipient_role: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(320))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # One message per escalation step and recipient: the idempotency key of the ladder.
        UniqueConstraint("obligation_id", "level", "address", name="uq_outbox_step_address"),
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_case", "case_id"),
    )


class PartyRow(Base):
    """A person with a part in a case (reporter, responsible, measure holder, accused): what the read
    scope of staff and case handlers looks for. Each (case, relation, person) once."""

    __tablename__ = "case_parties"

    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(16), primary_key=True)
    person: Mapped[str] = mapped_column(String(200), primary_key=True)

    __table_args__ = (Index("ix_case_parties_person", "person", "case_id"),)


class AccessLogRow(Base):
    """One read of a case's content: who, when, what and through which face. Append-only (the migration
    adds triggers that refuse UPDATE and DELETE)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36), ForeignKey("cases.id"))
    at: Mapped[datetime]
    actor_id: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    person: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    face: Mapped[str] = mapped_column(String(16))

    __table_args__ = (Index("ix_access_log_case", "case_id", "at"),)
