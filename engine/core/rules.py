"""Named rules: checks of the law on top of the documentation's own fields.

A workflow pack brings its rules as plain functions of a :class:`RuleContext` and names them on its
transitions (``TransitionSpec.rules``), so a definition loaded from TOML or JSON can use them without
running code. A rule about a field raises :class:`DocumentationMissing` naming the field
(:func:`field_problem`); a rule about the case as a whole raises :class:`TransitionNotAllowed` with the
reason (:func:`case_refusal`). Rules are pure: they read the context and raise, or return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aktivitetsplikt.engine.core.calendar import Duration, SchoolCalendar
from aktivitetsplikt.engine.core.documents import Document
from aktivitetsplikt.engine.core.model import Case
from aktivitetsplikt.engine.core.spec import Outcome, WorkflowSpec
from aktivitetsplikt.engine.errors import DocumentationMissing, FieldProblem, TransitionNotAllowed

__all__ = ["Rule", "RuleContext", "case_refusal", "field_problem"]


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at: the step about to be taken, the case before it and the time."""

    spec: WorkflowSpec
    trigger: str
    case: Case
    document: Document
    outcome: Outcome
    dest: str
    now: datetime
    calendar: SchoolCalendar
    deadline: Callable[[str], Duration]
    """The workflow's configured duration of a name (its pack's defaults, overridden by config)."""


Rule = Callable[[RuleContext], None]


def field_problem(ctx: RuleContext, field: str, problem: str) -> DocumentationMissing:
    """The refusal of a rule about one field of the documentation."""
    return DocumentationMissing(ctx.trigger, [FieldProblem(field, problem)])


def case_refusal(ctx: RuleContext, reason: str) -> TransitionNotAllowed:
    """The refusal of a rule about the case as a whole; ``reason`` says what to do first."""
    return TransitionNotAllowed(ctx.trigger, ctx.case.state, (), reason)
