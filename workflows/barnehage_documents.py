"""Documentation models of the kindergarten workflows (barnehageloven §§ 42 and 43).

Where the law asks the same as of a school the school's models are used as they are. What differs: the
case is about a child, whose parents (not guardians) are told; and the child's voice is the child's
expression, weighed by age and maturity (§ 3). A toddler is seldom interviewed: what the staff observe
of the child's play, body language and mood stands in for a conversation (``ChildHeard.how``).

Field names are the contract with embedding tools: keep them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from aktivitetsplikt.engine.core.documents import (
    CaseInstant,
    Document,
    Instant,
    PastInstant,
    StaffRef,
    Text,
    TextList,
)
from aktivitetsplikt.workflows.documents import (
    AddNote,
    AssessSeriousness,
    Intervention,
    Kind,
    Measure,
    NotifyPrincipal,
    NotifySchoolOwner,
    StartInvestigation,
)

Source = Literal["staff_observation", "child", "parents", "other"]


class Report(Document):
    """``report`` and ``reopen``: someone in the kindergarten knows or suspects the child is not safe."""

    source: Source
    occurred_at: CaseInstant  # a reopening cannot predate the case it reopens
    description: Text
    kinds: Annotated[list[Kind], Field(min_length=1)]
    children_involved: TextList = Field(default_factory=list)
    intervention: Intervention | None = None


class StaffOffenceReport(Report):
    """§ 43: someone who works in the kindergarten offends a child."""

    accused_staff: StaffRef
    accused_is_leadership: StrictBool


class NotifyDirector(NotifyPrincipal):
    """The director (styrer) has been told: when, how and what."""


class NotifyOwner(NotifySchoolOwner):
    """The kindergarten owner (barnehageeier) has been told."""


class ChildHeard(Document):
    """The child's voice: what the child expressed, in words or, for the youngest, as the staff observed it."""

    at: PastInstant
    how: Literal["conversation", "observation"]
    expression: Text
    """What the child said, or what the staff saw of the child's expression (play, body language, mood)."""
    feels_safe: StrictBool
    """Whether the child, so heard, is safe and well in the kindergarten."""


class ConcludeInvestigation(Document):
    child_heard: ChildHeard
    others_heard: TextList
    findings: Text
    conclusion: Literal["measures_needed", "safe"]


class Plan(Document):
    """The written plan (§ 42 sixth paragraph): the problem, the measures, when, who, when evaluated."""

    problem: Text
    measures: Annotated[list[Measure], Field(min_length=1, max_length=100)]
    evaluation_at: Instant
    child_participation: Text
    """How the child's expression shaped the measures."""
    parents_informed_at: PastInstant | None = None


class RevisePlan(Plan):
    reason: Text


class Evaluate(Document):
    held_at: CaseInstant
    child_heard: ChildHeard
    effect: Text
    decision: Literal["continue", "revise"]
    next_evaluation_at: Instant


class Close(Document):
    reason: Text
    child_heard: ChildHeard
    parents_informed_at: PastInstant | None = None


DOCUMENTS: dict[str, type[Document]] = {
    model.__name__: model
    for model in (
        Report,
        StaffOffenceReport,
        NotifyDirector,
        AssessSeriousness,
        NotifyOwner,
        StartInvestigation,
        ConcludeInvestigation,
        Plan,
        RevisePlan,
        Evaluate,
        Close,
        AddNote,
    )
}
"""Documentation models of the kindergarten workflows, by name."""
