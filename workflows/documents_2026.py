"""Documentation models of version 2026-12 of both school workflows (issue "The law, whole").

The models of 2024-08 (``documents.py``) stay as they are: cases opened on that version keep them. Field
names are the contract with embedding tools; what is new here:

- the report says where it happened (``setting``, rule 11);
- the investigation's conclusion, the plan and the closing weigh the pupil's best interests (rule 9);
- a plan's measures have ids, and each evaluation records every current measure's status (rule 10);
- a closing says why: the pupil is safe again, or has left the school (rule 8);
- Statsforvaltaren's decision and the report on each measure it imposed (rule 7);
- only the school owner changes whether the leadership is accused, with a reason (rule 6).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from aktivitetsplikt.engine.core.documents import Document, Instant, PastInstant, StaffRef, Text
from aktivitetsplikt.workflows.documents import ConcludeInvestigation, Evaluate, PupilHeard, Report

Setting = Literal["school", "sfo", "homework_help", "school_trip", "online"]
"""Where it happened: the school environment of § 12-1 reaches the after-school programme (SFO), homework
help, school trips and what happens online between pupils."""
MeasureStatus = Literal["carried_out", "partly", "not_carried_out"]
ClosingReason = Literal["pupil_safe", "pupil_left_school"]
MeasureId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


class Report2026(Report):
    """``report`` and ``reopen``: someone at school knows or suspects the pupil is not safe, and where."""

    setting: Setting = "school"


class StaffOffenceReopen2026(Report2026):
    """§ 12-5, a new incident: who is accused. Whether the leadership is accused stays as the owner set it."""

    accused_staff: StaffRef


class StaffOffenceReport2026(StaffOffenceReopen2026):
    """§ 12-5: an employee offends a pupil."""

    accused_is_leadership: StrictBool


class ConcludeInvestigation2026(ConcludeInvestigation):
    best_interests: Text
    """How the pupil's best interests were weighed (§ 10-2)."""


class Measure2026(Document):
    id: MeasureId | None = None
    """Given by the engine when left out (``m-<seq>-<n>``); a revision repeats it to keep the measure."""
    description: Text
    when: Text
    responsible: StaffRef


class Plan2026(Document):
    """The written activity plan (§ 12-4 fifth paragraph)."""

    problem: Text
    measures: Annotated[list[Measure2026], Field(min_length=1, max_length=100)]
    evaluation_at: Instant
    pupil_participation: Text
    best_interests: Text
    guardians_informed_at: PastInstant | None = None


class RevisePlan2026(Plan2026):
    reason: Text


class MeasureFollowUp(Document):
    """What became of one measure of the plan in force."""

    id: MeasureId
    status: MeasureStatus
    note: Text | None = None


class Evaluate2026(Evaluate):
    measures: Annotated[list[MeasureFollowUp], Field(min_length=1, max_length=100)]
    """Every measure of the plan in force, each once, with what became of it (rule 10)."""


class LeftSchool(Document):
    """The pupil has left the school: when, and whether the new school was told."""

    at: PastInstant
    new_school_told: StrictBool
    guardians_consented: StrictBool
    """The guardians agreed that the new school is told (the case is confidential, forvaltningsloven § 13)."""


class Close2026(Document):
    reason: Text
    closing_reason: ClosingReason = "pupil_safe"
    pupil_heard: PupilHeard | None = None
    """Required when the pupil is safe again; the pupil's own experience decides."""
    left_school: LeftSchool | None = None
    """Required when the pupil has left the school."""
    best_interests: Text
    guardians_informed_at: PastInstant | None = None


class ImposedMeasure(Document):
    id: MeasureId | None = None
    description: Text
    due_at: Instant
    """By when Statsforvaltaren ordered the school to carry it out."""


class RegisterDecision(Document):
    """§ 12-6: Statsforvaltaren's decision in the case."""

    received_at: PastInstant
    reference: Text
    decided_at: PastInstant
    breach_found: StrictBool
    measures: Annotated[list[ImposedMeasure], Field(max_length=100)] = Field(default_factory=list)


class ReportCompliance(Document):
    """What the school did about one measure Statsforvaltaren imposed."""

    measure: MeasureId
    reported_at: PastInstant
    summary: Text


class ChangeLeadershipRouting(Document):
    """The school owner decides whether the leadership is accused (and so kept out of the case)."""

    accused_is_leadership: StrictBool
    reason: Text


DOCUMENTS_2026: dict[str, type[Document]] = {
    model.__name__: model
    for model in (
        Report2026,
        StaffOffenceReport2026,
        StaffOffenceReopen2026,
        ConcludeInvestigation2026,
        Plan2026,
        RevisePlan2026,
        Evaluate2026,
        Close2026,
        RegisterDecision,
        ReportCompliance,
        ChangeLeadershipRouting,
    )
}
"""The 2026-12 models by name; the packs hold them beside the 2024-08 ones."""
