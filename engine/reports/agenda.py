"""The agenda of the fortnightly case meeting (spec section 7).

Hellerud's plan (8.7) has department heads and student services meet every other week to go through
every open case. For each school (or kindergarten) the agenda lists the open cases, the most urgent
first: what is overdue and by how many days on the unit's calendar, and which evaluations (the recurring
duties of the workflow's audit profile) fall due before the next meeting (by default the next 14 days).
Pure, apart from :func:`meeting_agenda`, which reads through ``engine.uow()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL
from aktivitetsplikt.engine.core.i18n import Language
from aktivitetsplikt.engine.core.model import Actor, Case, iso
from aktivitetsplikt.engine.core.pack import Labels, WorkflowPack
from aktivitetsplikt.engine.reports.lookup import pack_lookup, spec_lookup

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.registry import WorkflowRegistry
    from aktivitetsplikt.engine.core.spec import WorkflowSpec

DEFAULT_DAYS = 14


@dataclass(frozen=True)
class DutyDue:
    """An open duty on the agenda: overdue (with days late on the unit's calendar) or falling due in the window."""

    kind: str
    label: str
    due_at: datetime
    school_days_late: int | None = None
    escalation_level: int | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": self.kind, "label": self.label, "due_at": iso(self.due_at)}
        if self.school_days_late is not None:
            body |= {"school_days_late": self.school_days_late, "escalation_level": self.escalation_level}
        return body


@dataclass(frozen=True)
class AgendaItem:
    """One open case as the meeting sees it."""

    case_id: str
    number: str
    school: str
    workflow: str
    legal_basis: str
    state: str
    state_label: str
    responsible: str | None
    serious: bool
    overdue: tuple[DutyDue, ...]
    evaluations_due: tuple[DutyDue, ...]
    due_soon: tuple[DutyDue, ...]
    """Other duties falling due in the window (an investigation to conclude, a plan to adopt)."""
    words: Labels
    """The workflow's words in the agenda's language: its short legal reference, its counted day."""

    @property
    def stuck(self) -> bool:
        """An overdue duty went up the whole escalation ladder, to the owner (spec section 5)."""
        return any((d.escalation_level or 0) >= LAST_LEVEL for d in self.overdue)

    @property
    def most_late(self) -> int:
        return max((d.school_days_late or 0 for d in self.overdue), default=0)

    def urgency(self) -> tuple[int, int, datetime | None, str]:
        """Overdue cases first, the latest first; then by the next deadline; cases with nothing due last."""
        upcoming = [d.due_at for d in (*self.overdue, *self.evaluations_due, *self.due_soon)]
        first = min(upcoming, default=None)
        return (0 if self.overdue else 1 if first else 2, -self.most_late, first, self.number)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "number": self.number,
            "school": self.school,
            "workflow": self.workflow,
            "legal_basis": self.legal_basis,
            "state": self.state,
            "state_label": self.state_label,
            "responsible": self.responsible,
            "serious": self.serious,
            "stuck": self.stuck,
            "overdue": [d.to_json() for d in self.overdue],
            "evaluations_due": [d.to_json() for d in self.evaluations_due],
            "due_soon": [d.to_json() for d in self.due_soon],
        }


@dataclass(frozen=True)
class SchoolAgenda:
    school: str
    name: str
    items: tuple[AgendaItem, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "school": self.school,
            "school_name": self.name,
            "open_cases": len(self.items),
            "overdue_cases": sum(1 for i in self.items if i.overdue),
            "cases": [i.to_json() for i in self.items],
        }


@dataclass(frozen=True)
class Agenda:
    generated_at: datetime
    days: int
    until: datetime
    schools: tuple[SchoolAgenda, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": iso(self.generated_at),
            "days": self.days,
            "until": iso(self.until),
            "schools": [s.to_json() for s in self.schools],
        }


def agenda_item(
    case: Case,
    spec: WorkflowSpec,
    pack: WorkflowPack,
    calendar: SchoolCalendar,
    now: datetime,
    until: datetime,
    language: Language = "nb",
) -> AgendaItem:
    """What the meeting must know about one open case as of ``now``, looking ahead to ``until``; ``calendar``
    is the calendar of the case's unit; labels in ``language``."""
    words = pack.label(language)
    recurring = {r.duty for r in pack.audit_for(spec.version).recurring}
    overdue: list[DutyDue] = []
    evaluations: list[DutyDue] = []
    soon: list[DutyDue] = []
    for duty in sorted(case.open_obligations(), key=lambda d: d.due_at):
        label = words.duties.get(duty.kind) or spec.obligation(duty.kind).label
        if duty.due_at <= now:
            days = calendar.school_days_late(duty.due_at, now)
            overdue.append(DutyDue(duty.kind, label, duty.due_at, days, duty.escalation_level))
        elif duty.due_at <= until:
            (evaluations if duty.kind in recurring else soon).append(DutyDue(duty.kind, label, duty.due_at))
    return AgendaItem(
        case_id=case.id,
        number=case.number,
        school=case.school,
        workflow=case.workflow,
        legal_basis=spec.legal_basis,
        state=case.state,
        state_label=words.states.get(case.state) or spec.state(case.state).label,
        responsible=case.responsible,
        serious=case.serious,
        overdue=tuple(overdue),
        evaluations_due=tuple(evaluations),
        due_soon=tuple(soon),
        words=words,
    )


def build_agenda(
    cases: Iterable[Case],
    spec_of: Callable[[Case], WorkflowSpec],
    pack_of: Callable[[Case], WorkflowPack],
    calendar_of: Callable[[str], SchoolCalendar],
    now: datetime,
    *,
    days: int = DEFAULT_DAYS,
    schools: Mapping[str, str] | None = None,
    language: Language = "nb",
) -> Agenda:
    """The agenda per school, each school's cases by urgency; ``calendar_of`` gives a unit's calendar.
    ``schools`` (id -> name) are listed even with no open case, so the meeting sees that there is nothing
    to discuss."""
    until = now + timedelta(days=days)
    names = dict(schools or {})
    by_school: dict[str, list[AgendaItem]] = {school: [] for school in names}
    for case in cases:
        item = agenda_item(case, spec_of(case), pack_of(case), calendar_of(case.school), now, until, language)
        by_school.setdefault(case.school, []).append(item)
    agendas = tuple(
        SchoolAgenda(school, names.get(school, school), tuple(sorted(items, key=AgendaItem.urgency)))
        for school, items in sorted(by_school.items())
    )
    return Agenda(now, days, until, agendas)


def open_states(registry: WorkflowRegistry) -> list[str]:
    """Every state that is not final in some registered workflow."""
    return sorted({s.id for spec in registry.workflows() for s in spec.states if not s.final})


def meeting_agenda(
    engine: Engine,
    school: str | None = None,
    *,
    actor: Actor,
    days: int = DEFAULT_DAYS,
    language: Language = "nb",
) -> Agenda:
    """The agenda for a meeting now, for one school or every school in the configuration, of the cases
    ``actor`` may read (each one a logged read): a leadership case is on its owner's agenda, never on
    the school's. Labels in ``language``."""
    if days < 0:
        msg = f"days must be 0 or more, not {days}."
        raise ValueError(msg)
    now = engine.clock.now()
    until = now + timedelta(days=days)
    scope = engine.scope(actor)
    with engine.uow(write=True) as uow:
        cases = uow.reports.agenda_cases(school, until, open_states=open_states(engine.registry), scope=scope)
        uow.access.append(engine.records(actor, cases, "agenda"))
        uow.commit()
    units = engine.settings.units()
    seen = scope.units if scope.units is not None else units.keys()
    configured = {k: s.name for k, s in units.items() if (school is None or k == school) and k in seen}
    if school is not None:
        configured.setdefault(school, school)
    registry, calendar_of = engine.registry, engine.decider.policy.calendar_of
    return build_agenda(
        cases,
        spec_lookup(registry),
        pack_lookup(registry),
        calendar_of,
        now,
        days=days,
        schools=configured,
        language=language,
    )
