"""What the audit finds about one case, and the flat CSV row other tools read (spec section 7).

The JSON keys and the :data:`CSV_FIELDS` are a contract with the tools that read audit files: they keep
their names (``pupil_heard``, ``school_owner``, ``late_school_days``) whatever the workflow calls the
person the case is about, its owner or its days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from aktivitetsplikt.engine.core.audit_profile import AuditCheck
from aktivitetsplikt.engine.core.chain import ChainVerdict
from aktivitetsplikt.engine.core.model import iso

Check = Literal[AuditCheck, "reads"]
"""The audit's checks: the packs' and the engine's own look at the reads."""


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the audit found wrong: which check, a code for machines and a sentence for people."""

    check: Check
    code: str
    label: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "code": self.code, "label": self.label, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Tally:
    """How many of the things a check looked at were in order: ``ok`` of ``of``."""

    ok: int = 0
    of: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.ok + other.ok, self.of + other.of)

    def shown(self) -> str:
        return f"{self.ok} av {self.of}"


CSV_FIELDS = (
    "number",
    "case_id",
    "school",
    "school_year",
    "workflow",
    "state",
    "serious",
    "findings",
    "finding_codes",
    "steps_documented",
    "steps_required",
    "deadlines_met",
    "deadlines_counted",
    "late_max_school_days",
    "pupil_heard",
    "pupil_heard_occasions",
    "school_owner_notified",
    "school_owner_required",
    "chain_intact",
    "closed_apart",
    "reads_without_role",
)


@dataclass(frozen=True, slots=True)
class CaseAudit:
    """The audit of one case: who it is, its findings and, per check, how much was in order.

    Holds the case's identity only, not its log, so a school year of audits stays small in memory.
    """

    case_id: str
    number: str
    school: str
    school_year: str
    workflow: str
    workflow_version: str
    state: str
    serious: bool
    opened_at: datetime
    closed_at: datetime | None
    findings: tuple[Finding, ...]
    steps: Tally
    deadlines: Tally
    late_school_days: tuple[int, ...]
    """One entry per duty met late or still overdue: how many days late, on the unit's calendar."""
    pupil_heard: Tally
    school_owner: Tally
    """``0 of 0`` when not required (yet); ``1 of 1`` when done; ``0 of 1`` when missing."""
    chain: ChainVerdict
    closed_apart: str | None = None
    """The name of a closing the profile lists apart (``pupil_left_school``), or None."""
    reads_without_role: int | None = None
    """Reads of the case by people with no role in it; None when the audit did not look at the reads."""

    @property
    def has_findings(self) -> bool:
        return bool(self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "number": self.number,
            "school": self.school,
            "school_year": self.school_year,
            "workflow": self.workflow,
            "workflow_version": self.workflow_version,
            "state": self.state,
            "serious": self.serious,
            "opened_at": iso(self.opened_at),
            "closed_at": iso(self.closed_at),
            "findings": [f.to_json() for f in self.findings],
            "steps": {"documented": self.steps.ok, "required": self.steps.of},
            "deadlines": {
                "met": self.deadlines.ok,
                "counted": self.deadlines.of,
                "late_school_days": list(self.late_school_days),
            },
            "pupil_heard": {"heard": self.pupil_heard.ok, "occasions": self.pupil_heard.of},
            "school_owner": {"required": self.school_owner.of == 1, "notified": self.school_owner.ok == 1},
            "chain": {
                "intact": self.chain.intact,
                "events": self.chain.events,
                "broken_at": self.chain.broken_at,
                "problem": self.chain.problem,
            },
            "closed_apart": self.closed_apart,
            "reads_without_role": self.reads_without_role,
        }

    def csv_row(self) -> dict[str, Any]:
        """One flat row with the :data:`CSV_FIELDS`."""
        return {
            "number": self.number,
            "case_id": self.case_id,
            "school": self.school,
            "school_year": self.school_year,
            "workflow": self.workflow,
            "state": self.state,
            "serious": _flag(self.serious),
            "findings": len(self.findings),
            "finding_codes": " ".join(f.code for f in self.findings),
            "steps_documented": self.steps.ok,
            "steps_required": self.steps.of,
            "deadlines_met": self.deadlines.ok,
            "deadlines_counted": self.deadlines.of,
            "late_max_school_days": max(self.late_school_days, default=""),
            "pupil_heard": self.pupil_heard.ok,
            "pupil_heard_occasions": self.pupil_heard.of,
            "school_owner_notified": self.school_owner.ok,
            "school_owner_required": self.school_owner.of,
            "chain_intact": _flag(self.chain.intact),
            "closed_apart": self.closed_apart or "",
            "reads_without_role": "" if self.reads_without_role is None else self.reads_without_role,
        }


def _flag(value: bool) -> str:
    """A boolean in CSV, spelled as in the JSON."""
    return "true" if value else "false"
