"""Documentation models for every trigger of both built-in workflows (spec sections 2 and 3).

Field names are the contract with embedding tools: keep them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from aktivitetsplikt.engine.core.documents import (
    CaseInstant,
    Document,
    Instant,
    PastInstant,
    StaffRef,
    Text,
    TextList,
)

Source = Literal["staff_observation", "pupil", "guardian", "other"]
Kind = Literal["bullying", "violence", "discrimination", "harassment", "exclusion", "offensive_words", "other"]


class Intervention(Document):
    """Gripe inn: what was done on the spot."""

    at: PastInstant
    action: Text


class Report(Document):
    """``report`` and ``reopen``: someone at school knows or suspects the pupil is not safe."""

    source: Source
    occurred_at: CaseInstant  # a reopening cannot predate the case it reopens
    description: Text
    kinds: Annotated[list[Kind], Field(min_length=1)]
    pupils_involved: TextList = Field(default_factory=list)
    intervention: Intervention | None = None


class StaffOffenceReport(Report):
    """§ 12-5: an employee offends a pupil."""

    accused_staff: StaffRef
    accused_is_leadership: StrictBool


class NotifyPrincipal(Document):
    notified_at: CaseInstant
    channel: Text
    summary: Text


class AssessSeriousness(Document):
    serious: StrictBool
    reason: Text


class NotifySchoolOwner(Document):
    notified_at: CaseInstant
    summary: Text


class StartInvestigation(Document):
    responsible: StaffRef
    plan: Text


class PupilHeard(Document):
    """The pupil's own voice: what counts is how the pupil experiences it (§ 12-4)."""

    at: PastInstant
    feels_safe: StrictBool
    views: Text


class ConcludeInvestigation(Document):
    pupil_heard: PupilHeard
    others_heard: TextList
    findings: Text
    conclusion: Literal["measures_needed", "safe"]


class Measure(Document):
    description: Text
    when: Text
    responsible: StaffRef


class Plan(Document):
    """The written activity plan (§ 12-4 fifth paragraph)."""

    problem: Text
    measures: Annotated[list[Measure], Field(min_length=1, max_length=100)]
    evaluation_at: Instant
    pupil_participation: Text
    guardians_informed_at: PastInstant | None = None


class RevisePlan(Plan):
    reason: Text


class Evaluate(Document):
    held_at: CaseInstant
    pupil_heard: PupilHeard
    effect: Text
    decision: Literal["continue", "revise"]
    next_evaluation_at: Instant


class Close(Document):
    reason: Text
    pupil_heard: PupilHeard
    guardians_informed_at: PastInstant | None = None


class AddNote(Document):
    text: Text
    corrects: Annotated[StrictInt, Field(ge=1)] | None = None


class RegisterEnforcement(Document):
    """§ 12-6: Statsforvalteren has taken up the case and set a deadline."""

    received_at: PastInstant
    reference: Text
    response_due_at: Instant


class RespondToStatsforvalter(Document):
    sent_at: PastInstant
    summary: Text


DOCUMENTS: dict[str, type[Document]] = {
    model.__name__: model
    for model in (
        Report,
        StaffOffenceReport,
        NotifyPrincipal,
        AssessSeriousness,
        NotifySchoolOwner,
        StartInvestigation,
        ConcludeInvestigation,
        Plan,
        RevisePlan,
        Evaluate,
        Close,
        AddNote,
        RegisterEnforcement,
        RespondToStatsforvalter,
    )
}
"""Documentation models by name, for workflow definitions (built-in or loaded from TOML/JSON)."""
