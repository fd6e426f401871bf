"""Named rules: checks of the law on top of the documentation's own fields.

A workflow pack brings its rules as plain functions of a :class:`RuleContext` and names them on its
transitions (``TransitionSpec.rules``), so a definition loaded from TOML or JSON can use them without
running code. A rule about a field raises :class:`DocumentationMissing` naming the field
(:func:`field_problem`); a rule about the case as a whole raises :class:`TransitionNotAllowed` with the
reason (:func:`case_refusal`). Rules are pure: they read the context and raise, or return.

A rule that must read what happened before (the case log) says so with :func:`needs_log`; only then does
the engine load the case's events for the step, so most steps stay one read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from aktivitetsplikt.engine.core.calendar import Duration, SchoolCalendar
from aktivitetsplikt.engine.core.documents import Document
from aktivitetsplikt.engine.core.model import Case, Event
from aktivitetsplikt.engine.core.spec import Outcome, WorkflowSpec
from aktivitetsplikt.engine.errors import DocumentationMissing, FieldProblem, TransitionNotAllowed

__all__ = [
    "CYCLE_ATTRIBUTE",
    "Event",
    "Rule",
    "RuleContext",
    "case_refusal",
    "field_problem",
    "needs_log",
    "wants_log",
]

CYCLE_ATTRIBUTE = "cycle_seq"
"""The case attribute holding the seq of the step that began the current cycle (the creating step or the
latest reopening); the engine sets it."""


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
    events: Sequence[Event] | None = None
    """The case's events, oldest first; loaded only for a step one of whose rules :func:`needs_log`."""

    @property
    def log(self) -> Sequence[Event]:
        """The case's events, oldest first; only for a rule marked with :func:`needs_log`."""
        if self.events is None:
            msg = f"A rule of '{self.trigger}' reads the case log without being marked @needs_log."
            raise RuntimeError(msg)
        return self.events

    @property
    def cycle_seq(self) -> int:
        """The seq of the step that began the current cycle (0 for a case stored before cycles were kept)."""
        value = self.case.attributes.get(CYCLE_ATTRIBUTE)
        return value if isinstance(value, int) else 0

    def cycle(self) -> list[Event]:
        """The events of the current cycle: from the creating step or the latest reopening on."""
        return [event for event in self.log if event.seq >= self.cycle_seq]


Rule = Callable[[RuleContext], None]
_LOG_READERS: set[Rule] = set()


def needs_log(rule: Rule) -> Rule:
    """Mark a rule that reads ``ctx.events``: the engine loads the case log for its steps."""
    _LOG_READERS.add(rule)
    return rule


def wants_log(rule: Rule) -> bool:
    """Whether a rule was marked with :func:`needs_log`."""
    return rule in _LOG_READERS


def field_problem(ctx: RuleContext, field: str, problem: str) -> DocumentationMissing:
    """The refusal of a rule about one field of the documentation."""
    return DocumentationMissing(ctx.trigger, [FieldProblem(field, problem)])


def case_refusal(ctx: RuleContext, reason: str) -> TransitionNotAllowed:
    """The refusal of a rule about the case as a whole; ``reason`` says what to do first."""
    return TransitionNotAllowed(ctx.trigger, ctx.case.state, (), reason)
