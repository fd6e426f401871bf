"""The shapes the service answers with, for the OpenAPI document: the spec section 11 case and its parts.

The values themselves come from the engine's own ``to_json`` methods (one home for each shape); these
models only describe them, and FastAPI checks every answer against them before it leaves.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class DutyOut(BaseModel):
    kind: str
    due_at: str
    satisfied_at: str | None
    escalation_level: int | None
    overdue: bool


class EventOut(BaseModel):
    seq: int
    at: str
    occurred_at: str
    actor_id: str
    actor_role: str
    trigger: str
    from_state: str | None
    to_state: str
    document: dict[str, Any]
    hash: str


class CaseOut(BaseModel):
    """A case as spec section 11 shapes it; ``events`` is empty in lists and in a step's answer."""

    id: str
    number: str
    workflow: str
    workflow_version: str
    school: str
    pupil: str
    state: str
    version: int = Field(description="The case's version; send it back in If-Match to step on exactly this case.")
    serious: bool
    responsible: str | None
    opened_at: str
    closed_at: str | None
    school_year: str
    obligations: list[DutyOut]
    events: list[EventOut]
    allowed_triggers: list[str] = Field(description="The steps the caller may take now.")


class AllowedOut(BaseModel):
    case: str
    version: int
    allowed_triggers: list[str]


class AccessReadOut(BaseModel):
    """One read of the case's content: who, when, what and through which face, with the words for people."""

    case_id: str
    at: str
    actor_id: str
    actor_role: str
    person: str | None
    kind: str
    face: str
    role_label: str
    kind_label: str
    face_label: str


class AccessLogOut(BaseModel):
    case_id: str
    number: str
    reads: list[AccessReadOut] = Field(description="Every read of the case, oldest first, this one included.")


class WorkflowOut(BaseModel):
    id: str
    version: str
    label: str
    legal_basis: str


class StepRow(BaseModel):
    """One row of a workflow's step table (``aktivitetsplikt workflow show --json``)."""

    model_config = {"extra": "allow"}


class MessageOut(BaseModel):
    id: str
    case_id: str
    kind: str
    obligation: str | None
    level: int | None
    recipient_role: str
    address: str
    status: str
    attempts: int
    created_at: str
    sent_at: str | None
    last_error: str | None


class Health(BaseModel):
    status: str
    auth_mode: str = Field(description="'development' when tokens are signed with the static development key.")
    warning: str | None = None


class Ready(BaseModel):
    status: str
    schema_revision: str | None
    detail: str | None = None
