"""What the internal audit (internrevisjon) demands of a workflow's cases, as data of its pack.

The audit in ``reports/audit/`` is generic: which steps a case's progress proves were taken, which
fields make a step documented, where the pupil's (or child's) voice is kept, which duty recurs (the
evaluations) and when the owner must have been told all come from here. The registry checks every id
named here against the workflow's spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.core.model import Case, Event

AuditCheck = Literal["steps", "deadlines", "pupil_heard", "school_owner", "chain"]
"""The audit's checks; a finding belongs to one of them."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RequiredStep(_Frozen):
    """A step that must be documented in a cycle (a report or a reopening and what followed it)."""

    trigger: str
    when_reached: tuple[str, ...]
    """Required when the cycle reached any of these states (a final state counts like any other)."""
    first_cycle_only: bool = False
    """Only in the first cycle (a reopening starts later cycles past this step)."""
    code: str = "step_missing"
    """The finding's code when the step is missing (a breach of its own, e.g. seriousness never assessed)."""


class ClosingStep(_Frozen):
    """A step that may close a case properly; ``when`` are the documentation values that make it so."""

    trigger: str
    when: dict[str, Any] = Field(default_factory=dict)
    documented: bool = True
    """Whether the step's essential fields are checked (a closing by conclusion counts as documented)."""
    listed_apart: str | None = None
    """A closing the audit lists apart under this name (the pupil left the school): not a breach, but the
    auditor looks at these cases on their own."""


class BeforeClosing(_Frozen):
    """A step a closing needs after the latest of some others in its cycle (an evaluation after the plan)."""

    trigger: str
    after: tuple[str, ...]
    closing: str
    """The closing step this applies to."""
    when: dict[str, Any] = Field(default_factory=dict)
    """The closing's documentation values that make the demand apply."""
    code: str


class VoiceField(_Frozen):
    """Where a step keeps the pupil's voice: a text field, or an object whose ``subfield`` holds it."""

    trigger: str
    field: str
    subfield: str | None = None
    when: dict[str, Any] = Field(default_factory=dict)
    """The documentation values that make the step keep the voice (a closing when the pupil is safe)."""


class RecurringDuty(_Frozen):
    """A duty that comes back (the evaluations): each one due must be met by ``trigger``, documented."""

    duty: str
    trigger: str
    occurrence: str | None = None
    """One occurrence as a sentence begins, definite form in bokmål ("Evalueringen"): the audit writes
    "<occurrence> som skulle holdes innen <frist>, er ikke dokumentert."; without it, it quotes the duty's label."""


class OwnerNotice(_Frozen):
    """When the owner must have been told, and which steps tell them."""

    duty: str
    """The duty kind of the notice."""
    notice_triggers: tuple[str, ...]
    """Steps that tell the owner."""
    replaced_notice_triggers: tuple[str, ...] = ()
    """Steps that tell the owner when the head of the unit is taken out of the case (its notice goes there)."""
    notified_field: str
    """The field of a notice that says when the owner was told."""
    serious_trigger: str | None = None
    serious_field: str | None = None
    """The step and its boolean field that assess a case as serious; a serious case needs the notice."""
    per_cycle: bool = False
    """Every cycle (the report, each reopening) that needs the notice needs its own."""


class AuditProfile(_Frozen):
    """Everything the audit checks of one workflow's cases."""

    essential: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Trigger -> the fields without which the step is not documented."""
    required_steps: tuple[RequiredStep, ...] = ()
    closing_steps: tuple[ClosingStep, ...] = ()
    voice: tuple[VoiceField, ...] = ()
    recurring: tuple[RecurringDuty, ...] = ()
    owner_notice: OwnerNotice | None = None
    before_closing: tuple[BeforeClosing, ...] = ()
    own_steps: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Duty kind -> the only steps that meet it properly; met by any other (a closing) is a finding."""
    hooks: tuple[str, ...] = ()
    """Names of the pack's own checks (``WorkflowPack.audit_hooks``), for what no declaration says."""


@dataclass(frozen=True)
class HookFinding:
    """What a pack's own audit check found: the check it belongs to, a code, a bokmål sentence."""

    check: AuditCheck
    code: str
    label: str
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditedCase:
    """What a pack's own audit check reads: the case, its whole log and its unit's calendar."""

    case: Case
    events: Sequence[Event]
    calendar: SchoolCalendar
    person: Callable[[str], str | None] = lambda ref: None
    """The directory's person of a ref at the case's unit (``Directory.person``), None when unknown."""


AuditHook = Callable[[AuditedCase], Iterable[HookFinding]]
