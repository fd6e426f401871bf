"""What the internal audit (internrevisjon) demands of a workflow's cases, as data of its pack.

The audit in ``reports/audit/`` is generic: which steps a case's progress proves were taken, which
fields make a step documented, where the pupil's (or child's) voice is kept, which duty recurs (the
evaluations) and when the owner must have been told all come from here. The registry checks every id
named here against the workflow's spec.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RequiredStep(_Frozen):
    """A step that must be documented in a cycle (a report or a reopening and what followed it)."""

    trigger: str
    when_reached: tuple[str, ...]
    """Required when the cycle reached any of these states (a final state counts like any other)."""
    first_cycle_only: bool = False
    """Only in the first cycle (a reopening starts later cycles past this step)."""


class ClosingStep(_Frozen):
    """A step that may close a case properly; ``when`` are the documentation values that make it so."""

    trigger: str
    when: dict[str, Any] = Field(default_factory=dict)
    documented: bool = True
    """Whether the step's essential fields are checked (a closing by conclusion counts as documented)."""


class VoiceField(_Frozen):
    """Where a step keeps the pupil's voice: a text field, or an object whose ``subfield`` holds it."""

    trigger: str
    field: str
    subfield: str | None = None


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


class AuditProfile(_Frozen):
    """Everything the audit checks of one workflow's cases."""

    essential: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Trigger -> the fields without which the step is not documented."""
    required_steps: tuple[RequiredStep, ...] = ()
    closing_steps: tuple[ClosingStep, ...] = ()
    voice: tuple[VoiceField, ...] = ()
    recurring: tuple[RecurringDuty, ...] = ()
    owner_notice: OwnerNotice | None = None
