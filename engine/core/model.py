"""The case as the engine sees it: a projection plus its duties, events and queued messages.

Plain dataclasses, no storage concerns. The storage adapter maps them to rows; the CLI and embedders
read them through :meth:`Case.to_json` (spec section 11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from aktivitetsplikt.engine.core.chain import event_hash
from aktivitetsplikt.engine.core.refs import ref_problem
from aktivitetsplikt.engine.core.spec import Role
from aktivitetsplikt.engine.errors import InvalidInput

ROLES: tuple[Role, ...] = ("staff", "case_handler", "principal", "deputy", "school_owner", "system")
"""The roles of the law: every workflow pack names them in its labels."""
ACTOR_ROLES: tuple[Role, ...] = (*ROLES, "it_admin")
"""Every role an actor may claim: the law's and the deployment's ``it_admin`` (reads for operations)."""


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class Actor:
    """Who acts. Authentication is the embedding tool's job; the engine checks role and school."""

    id: str
    role: Role
    school: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ACTOR_ROLES:
            shown = self.role if ref_problem(self.role) is None else "that"
            msg = f"Unknown role '{shown}'; use one of {', '.join(ACTOR_ROLES)}."
            raise InvalidInput(msg)
        if isinstance(self.id, str) and not self.id.strip():
            msg = "An actor needs a non-empty id (a staff ref)."
            raise InvalidInput(msg)
        for name, value in (("id", self.id), ("school", self.school)):
            problem = None if value is None and name == "school" else ref_problem(value)
            if problem is not None:
                msg = f"The actor's {name} {problem}; give the ref from your system."
                raise InvalidInput(msg)


@dataclass
class Obligation:
    """A duty with a deadline (spec section 1)."""

    id: str
    case_id: str
    kind: str
    due_at: datetime
    responsible_role: str
    created_seq: int
    satisfied_at: datetime | None = None
    satisfied_by_seq: int | None = None
    escalation_level: int | None = None
    next_escalation_at: datetime | None = None
    key: str | None = None
    """Which item of its step's documentation a per-item duty is for (``CreateObligation.for_each``)."""

    @property
    def open(self) -> bool:
        return self.satisfied_at is None

    def overdue(self, now: datetime) -> bool:
        return self.satisfied_at is None and self.due_at <= now

    def to_json(self, now: datetime) -> dict[str, Any]:
        shown = {
            "kind": self.kind,
            "due_at": iso(self.due_at),
            "satisfied_at": iso(self.satisfied_at),
            "escalation_level": self.escalation_level,
            "overdue": self.overdue(now),
        }
        return shown if self.key is None else shown | {"key": self.key}


@dataclass(frozen=True)
class Event:
    """One documented step in the case log; append-only and hash-chained."""

    case_id: str
    seq: int
    at: datetime
    occurred_at: datetime
    actor_id: str
    actor_role: str
    trigger: str
    from_state: str | None
    to_state: str
    document: dict[str, Any]
    prev_hash: str
    hash: str
    seal: dict[str, str] | None = None
    """Each free-text value's salt, or its hash once erased (``core.seal``); None on events recorded
    before seals (chain format 1), which hash their document as it stands."""
    effects: dict[str, Any] | None = None
    """What the step did to the case's projection (identity, fields, duties, messages, parties), hashed
    with the event; None on events recorded before migration 0006 (see ``core.projection``)."""

    @classmethod
    def chained(
        cls,
        prev_hash: str,
        *,
        case_id: str,
        seq: int,
        at: datetime,
        occurred_at: datetime,
        actor_id: str,
        actor_role: str,
        trigger: str,
        from_state: str | None,
        to_state: str,
        document: dict[str, Any],
        seal: dict[str, str] | None = None,
        effects: dict[str, Any] | None = None,
    ) -> Event:
        """The event that follows ``prev_hash`` in its case's chain, with its own hash computed; ``seal``
        names the document's free-text values (none when not given)."""
        fields: dict[str, Any] = {
            "case_id": case_id,
            "seq": seq,
            "at": at,
            "occurred_at": occurred_at,
            "actor_id": actor_id,
            "actor_role": actor_role,
            "trigger": trigger,
            "from_state": from_state,
            "to_state": to_state,
            "document": document,
            "seal": dict(seal or {}),
            "effects": effects,
        }
        return cls(prev_hash=prev_hash, hash=event_hash(prev_hash, **fields), **fields)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": iso(self.at),
            "occurred_at": iso(self.occurred_at),
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "trigger": self.trigger,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "document": self.document,
            "hash": self.hash,
        }


MessageKind = Literal["notice", "reminder", "escalation"]
MessageStatus = Literal["pending", "sent", "failed"]


@dataclass
class OutboxMessage:
    """A message to send, written in the same transaction as the step that causes it."""

    id: str
    case_id: str
    kind: MessageKind
    recipient_role: str
    address: str
    payload: dict[str, Any]
    created_at: datetime
    obligation: str | None = None
    obligation_id: str | None = None
    level: int | None = None
    status: MessageStatus = "pending"
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "kind": self.kind,
            "obligation": self.obligation,
            "level": self.level,
            "recipient_role": self.recipient_role,
            "address": self.address,
            "status": self.status,
            "attempts": self.attempts,
            "created_at": iso(self.created_at),
            "sent_at": iso(self.sent_at),
            "last_error": self.last_error,
        }


@dataclass
class Case:
    """The current projection of a case. ``events`` is filled only when the log was asked for."""

    id: str
    number: str
    workflow: str
    workflow_version: str
    school: str
    pupil: str
    state: str
    version: int
    serious: bool
    responsible: str | None
    opened_at: datetime
    closed_at: datetime | None
    school_year: str
    occurred_at: datetime
    last_seq: int
    head_hash: str
    attributes: dict[str, Any] = field(default_factory=dict)
    obligations: list[Obligation] = field(default_factory=list)
    events: list[Event] | None = None

    def open_obligations(self, kind: str | None = None) -> list[Obligation]:
        return [o for o in self.obligations if o.open and (kind is None or o.kind == kind)]

    def has_obligation(self, kind: str) -> bool:
        return any(o.kind == kind for o in self.obligations)

    def to_json(self, now: datetime, allowed_triggers: list[str]) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "workflow": self.workflow,
            "workflow_version": self.workflow_version,
            "school": self.school,
            "pupil": self.pupil,
            "state": self.state,
            "version": self.version,
            "serious": self.serious,
            "responsible": self.responsible,
            "opened_at": iso(self.opened_at),
            "closed_at": iso(self.closed_at),
            "school_year": self.school_year,
            "obligations": [o.to_json(now) for o in self.obligations],
            "events": [e.to_json() for e in self.events or []],
            "allowed_triggers": allowed_triggers,
        }


Relation = Literal["reporter", "responsible", "measure", "accused"]
"""How a person takes part in a case: reported it (or reopened it), is its responsible, holds a measure
of its plan, or is the employee accused in it."""


@dataclass(frozen=True)
class Party:
    """A person with a part in a case; ``person`` is the directory's key for them (or the ref as given,
    when the directory does not know it)."""

    relation: Relation
    person: str


@dataclass
class Decision:
    """Everything one step changes, to be stored in one transaction."""

    case: Case
    event: Event
    created: list[Obligation] = field(default_factory=list)
    satisfied: list[Obligation] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)
    escalated: list[Obligation] = field(default_factory=list)
    """Duties whose escalation level moved (sweeps only)."""
    parties: tuple[Party, ...] = ()
    """People this step gives a part in the case (who reported, is responsible, holds a measure, is
    accused); the storage keeps each once, so the read scope can find them."""
