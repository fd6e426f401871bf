"""A school year's audit: a summary per school (or kindergarten) and the whole report."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aktivitetsplikt.engine.core.model import iso
from aktivitetsplikt.engine.core.numbering import NumberingFinding
from aktivitetsplikt.engine.reports.audit.model import CaseAudit, Tally

SUMMARY_FIELDS = (
    "school",
    "school_name",
    "cases",
    "cases_with_findings",
    "steps_documented",
    "steps_required",
    "deadlines_met",
    "deadlines_counted",
    "late_median_school_days",
    "late_max_school_days",
    "pupil_heard",
    "pupil_heard_occasions",
    "school_owner_notified",
    "school_owner_required",
    "chains_intact",
    "chains",
    "cases_closed_apart",
)


@dataclass
class SchoolSummary:
    """One school's year at a glance: per check, how much was in order across its cases."""

    school: str
    name: str
    cases: int = 0
    cases_with_findings: int = 0
    steps: Tally = field(default_factory=Tally)
    deadlines: Tally = field(default_factory=Tally)
    late_school_days: list[int] = field(default_factory=list)
    pupil_heard: Tally = field(default_factory=Tally)
    school_owner: Tally = field(default_factory=Tally)
    chains: Tally = field(default_factory=Tally)
    closed_apart: dict[str, int] = field(default_factory=dict)
    """How many cases were closed in a way the audit lists apart, by its name (``pupil_left_school``)."""

    def add(self, audit: CaseAudit) -> None:
        self.cases += 1
        self.cases_with_findings += audit.has_findings
        self.steps += audit.steps
        self.deadlines += audit.deadlines
        self.late_school_days.extend(audit.late_school_days)
        self.pupil_heard += audit.pupil_heard
        self.school_owner += audit.school_owner
        self.chains += Tally(int(audit.chain.intact), 1)
        if audit.closed_apart is not None:
            self.closed_apart[audit.closed_apart] = self.closed_apart.get(audit.closed_apart, 0) + 1

    @property
    def late_median(self) -> float | None:
        return statistics.median(self.late_school_days) if self.late_school_days else None

    @property
    def late_max(self) -> int | None:
        return max(self.late_school_days, default=None)

    def csv_row(self) -> dict[str, Any]:
        """One flat row with the :data:`SUMMARY_FIELDS`."""
        return {
            "school": self.school,
            "school_name": self.name,
            "cases": self.cases,
            "cases_with_findings": self.cases_with_findings,
            "steps_documented": self.steps.ok,
            "steps_required": self.steps.of,
            "deadlines_met": self.deadlines.ok,
            "deadlines_counted": self.deadlines.of,
            "late_median_school_days": "" if self.late_median is None else self.late_median,
            "late_max_school_days": "" if self.late_max is None else self.late_max,
            "pupil_heard": self.pupil_heard.ok,
            "pupil_heard_occasions": self.pupil_heard.of,
            "school_owner_notified": self.school_owner.ok,
            "school_owner_required": self.school_owner.of,
            "chains_intact": self.chains.ok,
            "chains": self.chains.of,
            "cases_closed_apart": sum(self.closed_apart.values()),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "school": self.school,
            "school_name": self.name,
            "cases": self.cases,
            "cases_with_findings": self.cases_with_findings,
            "steps": {"documented": self.steps.ok, "required": self.steps.of},
            "deadlines": {
                "met": self.deadlines.ok,
                "counted": self.deadlines.of,
                "late": len(self.late_school_days),
                "late_median_school_days": self.late_median,
                "late_max_school_days": self.late_max,
            },
            "pupil_heard": {"heard": self.pupil_heard.ok, "occasions": self.pupil_heard.of},
            "school_owner": {"notified": self.school_owner.ok, "required": self.school_owner.of},
            "chains": {"intact": self.chains.ok, "checked": self.chains.of},
            "closed_apart": dict(sorted(self.closed_apart.items())),
        }


def summarize(audits: Iterable[CaseAudit], names: Mapping[str, str] | None = None) -> list[SchoolSummary]:
    """One summary per school, by school id; ``names`` gives the schools' names for people."""
    found: dict[str, SchoolSummary] = {}
    for audit in audits:
        summary = found.get(audit.school)
        if summary is None:
            summary = found[audit.school] = SchoolSummary(audit.school, (names or {}).get(audit.school, audit.school))
        summary.add(audit)
    return [found[school] for school in sorted(found)]


@dataclass(frozen=True)
class AuditReport:
    """A school year's audit: every case and a summary per school."""

    school_year: str
    school: str | None
    generated_at: datetime
    cases: list[CaseAudit]
    schools: list[SchoolSummary]
    numbering: tuple[NumberingFinding, ...] = ()
    """Gaps and reused numbers in the numbering of the audited units' school year."""

    @property
    def cases_with_findings(self) -> int:
        return sum(1 for audit in self.cases if audit.has_findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "school_year": self.school_year,
            "school": self.school,
            "generated_at": iso(self.generated_at),
            "cases_audited": len(self.cases),
            "cases_with_findings": self.cases_with_findings,
            "schools": [s.to_json() for s in self.schools],
            "cases": [a.to_json() for a in self.cases],
            "numbering": [n.to_json() for n in self.numbering],
        }
