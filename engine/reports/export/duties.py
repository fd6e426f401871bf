"""Every duty of a case with its deadline, and whether it was met on time, late (by how much) or is open."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.core.model import Case, Event, Obligation, iso

if TYPE_CHECKING:
    from aktivitetsplikt.engine.core.calendar import SchoolCalendar
    from aktivitetsplikt.engine.core.spec import WorkflowSpec
    from aktivitetsplikt.engine.reports.export.words import Words


def duties(
    spec: WorkflowSpec, words: Words, calendar: SchoolCalendar, case: Case, now: datetime
) -> list[dict[str, Any]]:
    """One row per duty, oldest first; lateness is counted on the unit's calendar and in hours."""
    events = {e.seq: e for e in case.events or []}
    rows = []
    for duty in sorted(case.obligations, key=lambda o: (o.created_seq, o.due_at)):
        status = _status(spec, duty, events, now)
        late_until = duty.satisfied_at if status == "met_late" else now if status == "overdue" else None
        satisfier = events.get(duty.satisfied_by_seq) if duty.satisfied_by_seq else None
        rows.append(
            {
                "kind": duty.kind,
                "label": words.duty(duty.kind),
                "responsible_role": duty.responsible_role,
                "created_seq": duty.created_seq,
                "due_at": iso(duty.due_at),
                "satisfied_at": iso(duty.satisfied_at),
                "satisfied_by_seq": duty.satisfied_by_seq,
                "satisfied_by_label": words.step(satisfier.trigger) if satisfier else None,
                "status": status,
                "late_school_days": None if late_until is None else calendar.school_days_late(duty.due_at, late_until),
                "late_hours": None
                if late_until is None
                else round((late_until - duty.due_at).total_seconds() / 3600, 1),
                "escalation_level": duty.escalation_level,
            }
        )
    return rows


def _status(spec: WorkflowSpec, duty: Obligation, events: dict[int, Event], now: datetime) -> str:
    if duty.satisfied_at is None:
        return "overdue" if duty.overdue(now) else "open"
    satisfier = events.get(duty.satisfied_by_seq) if duty.satisfied_by_seq else None
    transition = spec.transition(satisfier.trigger) if satisfier else None
    if transition is not None and any(duty.kind in o.supersede for o in transition.outcomes):
        return "superseded"
    return "met_on_time" if duty.satisfied_at <= duty.due_at else "met_late"
