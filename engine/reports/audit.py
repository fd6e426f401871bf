"""The internal audit (internrevisjon) of a school year's cases (spec section 7).

Hellerud's plan has the principal go through every § 12 case of the school year in June: were the
routines followed, is each case documented well enough. :func:`audit_case` does that for one case from
what is stored, trusting neither the validation at the time (a document may come from an older version
or have been changed since) nor the projection more than the log:

- ``steps``: each step the case's progress proves was taken is documented (report, notice to the
  principal, the investigation started and concluded, the plan, an evaluation for every evaluation date
  that passed, and a closing step for a closed case);
- ``deadlines``: every duty met by its deadline, or how many school days late;
- ``pupil_heard``: the pupil's own views in the conclusion, every plan, every evaluation and the close
  (§ 12-4: the pupil's experience decides; §§ 10-1 and 10-2: the right to be heard);
- ``school_owner``: the school owner told when the case was assessed serious, and always under § 12-5;
- ``chain``: the event log is as it was recorded (the hash chain).

Each finding carries an English ``code`` for machines and a bokmål ``label`` for people. Pure: the
``audit_school_year`` helper at the bottom reaches storage only through ``engine.uow()``.
"""

from __future__ import annotations

import gc
import statistics
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.core.chain import ChainVerdict, verify_chain
from aktivitetsplikt.engine.core.model import Case, Event, iso
from aktivitetsplikt.engine.errors import WorkflowDefinitionError

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.registry import WorkflowRegistry
    from aktivitetsplikt.engine.core.spec import WorkflowSpec

Check = Literal["steps", "deadlines", "pupil_heard", "school_owner", "chain"]

#: The fields without which a step is not documented. The pupil's voice is checked on its own.
ESSENTIAL: Mapping[str, tuple[str, ...]] = {
    "report": ("source", "occurred_at", "description", "kinds"),
    "reopen": ("source", "occurred_at", "description", "kinds"),
    "notify_principal": ("notified_at", "channel", "summary"),
    "start_investigation": ("responsible", "plan"),
    "conclude_investigation": ("findings", "conclusion"),
    "adopt_plan": ("problem", "measures", "evaluation_at"),
    "evaluate": ("held_at", "effect", "decision"),
    "close": ("reason",),
    "notify_school_owner": ("notified_at",),
}
#: Where each step keeps the pupil's voice: a ``pupil_heard`` with ``views``, or a text field.
PUPIL_VOICE: Mapping[str, str] = {
    "conclude_investigation": "pupil_heard",
    "adopt_plan": "pupil_participation",
    "revise_plan": "pupil_participation",
    "evaluate": "pupil_heard",
    "close": "pupil_heard",
}
INVESTIGATED = frozenset({"investigating", "planning", "measures_active"})
CONCLUDED = frozenset({"planning", "measures_active"})
CHAIN_PROBLEMS = {
    "the link to the previous event is broken": "lenken til forrige hendelse er brutt",
    "the event was changed after it was recorded": "hendelsen er endret etter at den ble registrert",
    "events after the last one were removed": "hendelser etter den siste er fjernet",
}


def shown(calendar: SchoolCalendar, instant: datetime) -> str:
    """An instant for people, in the calendar's zone; a deadline at 00:00 is the day before at 24:00."""
    local = calendar.local(instant)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return (local - timedelta(days=1)).strftime("%d.%m.%Y 24:00")
    return local.strftime("%d.%m.%Y %H:%M")


_LATE: weakref.WeakKeyDictionary[SchoolCalendar, dict[tuple[date, bool, date, bool], int]] = weakref.WeakKeyDictionary()
_MIDNIGHT = time(0)


def school_days_late(calendar: SchoolCalendar, due: datetime, actual: datetime) -> int:
    """``calendar.school_days_late(due, actual)``, remembered per calendar.

    The count depends only on the two local dates and on whether each instant is exactly midnight (a
    school day counts when its start lies in ``[due, actual)``), so a school year of overdue duties
    costs a few hundred calendar walks, not one per duty.
    """
    if actual <= due:
        return 0
    d, a = calendar.local(due), calendar.local(actual)
    key = (d.date(), d.time() == _MIDNIGHT, a.date(), a.time() == _MIDNIGHT)
    known = _LATE.setdefault(calendar, {})
    days = known.get(key)
    if days is None:
        days = known[key] = calendar.school_days_late(due, actual)
    return days


def filled(value: Any) -> bool:
    """A documented value: not missing, not blank text, not an empty list or object."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value) and not value.isspace()
    if isinstance(value, list | dict):
        return bool(value)
    return True


def pupil_voice(document: Mapping[str, Any], trigger: str) -> bool:
    value = document.get(PUPIL_VOICE[trigger])
    if PUPIL_VOICE[trigger] == "pupil_heard":
        return isinstance(value, dict) and filled(value.get("views"))
    return filled(value)


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
    """One entry per duty met late or still overdue: how many school days late."""
    pupil_heard: Tally
    school_owner: Tally
    """``0 of 0`` when not required (yet); ``1 of 1`` when done; ``0 of 1`` when missing."""
    chain: ChainVerdict

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
        }


def _flag(value: bool) -> str:
    """A boolean in CSV, spelled as in the JSON."""
    return "true" if value else "false"


# --- the checks -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Audit:
    case: Case
    spec: WorkflowSpec
    calendar: SchoolCalendar
    now: datetime
    events: Sequence[Event]
    findings: list[Finding] = field(default_factory=list)

    def step_label(self, trigger: str) -> str:
        transition = self.spec.transition(trigger)
        return transition.label if transition else trigger

    def duty_label(self, kind: str) -> str:
        try:
            return self.spec.obligation(kind).label
        except KeyError:
            return kind

    def find(self, check: Check, code: str, label: str, **detail: Any) -> None:
        self.findings.append(Finding(check, code, label, detail))

    def documented(self, event: Event) -> bool:
        """Whether the event's documentation has its essential fields; a finding when it has not."""
        missing = _missing(event)
        if missing:
            label = f"«{self.step_label(event.trigger)}» (hendelse {event.seq}) mangler {', '.join(missing)}."
            self.find("steps", "step_incomplete", label, step=event.trigger, seq=event.seq, fields=missing)
        return not missing


@dataclass(frozen=True, slots=True)
class _SpecFacts:
    finals: frozenset[str]
    always_notify_school_owner: bool
    """§ 12-5: the creating step itself makes the school owner's notice a duty."""


_FACTS: dict[int, tuple[WorkflowSpec, _SpecFacts]] = {}


def _facts(spec: WorkflowSpec) -> _SpecFacts:
    """What the audit needs from a definition, worked out once per definition."""
    known = _FACTS.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    creates = (c.kind for o in spec.creating_transition.outcomes for c in o.create)
    facts = _SpecFacts(frozenset(s.id for s in spec.states if s.final), "notify_school_owner" in creates)
    _FACTS[id(spec)] = (spec, facts)
    return facts


def _cycles(events: Sequence[Event]) -> list[list[Event]]:
    """The log split at each ``reopen``: every cycle is a report and the handling that followed it."""
    cycles: list[list[Event]] = [[]]
    for event in events:
        if event.trigger == "reopen" and cycles[-1]:
            cycles.append([])
        cycles[-1].append(event)
    return cycles


def _required_steps(first: bool, reached: set[str], finals: frozenset[str]) -> list[str]:
    steps = ["report" if first else "reopen"]
    if first and reached - {"reported"}:
        steps.append("notify_principal")
    if reached & (INVESTIGATED | finals):
        steps.append("start_investigation")
    if reached & (CONCLUDED | finals):
        steps.append("conclude_investigation")
    if "measures_active" in reached:
        steps.append("adopt_plan")
    return steps


def _check_steps(a: _Audit) -> Tally:
    finals = _facts(a.spec).finals
    cycles = _cycles(a.events)
    ok = of = 0
    for index, cycle in enumerate(cycles):
        reached = {e.to_state for e in cycle}
        if index == len(cycles) - 1:
            reached.add(a.case.state)  # the projection too: a removed last event still counts
        taken: dict[str, list[Event]] = {}
        for event in cycle:
            taken.setdefault(event.trigger, []).append(event)
        for step in _required_steps(index == 0, reached, finals):
            ok += _require_step(a, taken.get(step, []), step)
            of += 1
        if reached & finals:
            ok += _require_closing(a, cycle, finals)
            of += 1
    evaluations = _require_evaluations(a)
    return Tally(ok + evaluations.ok, of + evaluations.of)


def _require_step(a: _Audit, taken: Sequence[Event], step: str) -> bool:
    if not taken:
        a.find("steps", "step_missing", f"«{a.step_label(step)}» er ikke dokumentert.", step=step)
        return False
    return any(not _missing(e) for e in taken) or a.documented(taken[0])


def _missing(event: Event) -> list[str]:
    """The essential fields the event's documentation lacks."""
    document = _doc(event)
    return [name for name in ESSENTIAL.get(event.trigger, ()) if not filled(document.get(name))]


def _require_closing(a: _Audit, cycle: Sequence[Event], finals: frozenset[str]) -> bool:
    closing = [e for e in cycle if e.to_state in finals and e.from_state not in finals]
    if not closing:
        label = "Saken er avsluttet, men avslutningen er ikke dokumentert."
        a.find("steps", "step_missing", label, step="close")
        return False
    event = closing[-1]
    if event.trigger == "close":
        return a.documented(event)
    if event.trigger == "conclude_investigation" and _doc(event).get("conclusion") == "safe":
        return True
    step = a.step_label(event.trigger)
    label = f"Saken ble avsluttet av «{step}» (hendelse {event.seq}) uten at eleven er konkludert trygg."
    a.find("steps", "closed_without_closing_step", label, step=event.trigger, seq=event.seq)
    return False


def _require_evaluations(a: _Audit) -> Tally:
    """An evaluation for every evaluation date that passed while the plan was in force."""
    ok = of = 0
    by_seq: dict[int, Event] | None = None
    for duty in a.case.obligations:
        if duty.kind != "evaluate":
            continue
        if by_seq is None:
            by_seq = {e.seq: e for e in a.events}
        event = by_seq.get(duty.satisfied_by_seq) if duty.satisfied_by_seq is not None else None
        if event is not None and event.trigger == "evaluate":
            ok += a.documented(event)
            of += 1
            continue
        ended = duty.satisfied_at if duty.satisfied_at is not None else a.now
        if duty.due_at > ended:
            continue  # closed or replaced by a revised plan before its date, or not due yet
        label = f"Evalueringen som skulle holdes innen {shown(a.calendar, duty.due_at)}, er ikke dokumentert."
        a.find("steps", "evaluation_missing", label, step="evaluate", due_at=iso(duty.due_at))
        of += 1
    return Tally(ok, of)


def _check_deadlines(a: _Audit) -> tuple[Tally, tuple[int, ...]]:
    met = counted = 0
    late: list[int] = []
    for duty in a.case.obligations:
        done = duty.satisfied_at
        if done is None and duty.due_at > a.now:
            continue  # open and not yet due: nothing to judge
        counted += 1
        if done is not None and done <= duty.due_at:
            met += 1
            continue
        days = school_days_late(a.calendar, duty.due_at, done or a.now)
        late.append(days)
        what, due = a.duty_label(duty.kind), shown(a.calendar, duty.due_at)
        detail = {"kind": duty.kind, "due_at": iso(duty.due_at), "satisfied_at": iso(done), "school_days_late": days}
        if done is None:
            label = f"«{what}» er ikke gjort; fristen {due} er {_school_days(days)} på overtid."
            a.find("deadlines", "deadline_overdue", label, **detail)
        else:
            label = f"«{what}» ble gjort {shown(a.calendar, done)}, {_school_days(days)} etter fristen {due}."
            a.find("deadlines", "deadline_late", label, **detail)
    return Tally(met, counted), tuple(late)


def _school_days(days: int) -> str:
    return "1 skoledag" if days == 1 else f"{days} skoledager"


def _check_pupil_heard(a: _Audit) -> Tally:
    heard = occasions = 0
    for event in a.events:
        if event.trigger not in PUPIL_VOICE:
            continue
        occasions += 1
        if pupil_voice(_doc(event), event.trigger):
            heard += 1
            continue
        label = f"Elevens egen stemme mangler i «{a.step_label(event.trigger)}» (hendelse {event.seq})."
        a.find("pupil_heard", "pupil_not_heard", label, step=event.trigger, seq=event.seq)
    return Tally(heard, occasions)


def _leadership_accused(a: _Audit) -> bool:
    """§ 12-5 second paragraph: the notice that would go to the principal went to the school owner."""
    flag = a.spec.principal_replaced_when
    if flag is None:
        return False
    reports = (e for e in a.events if e.trigger in ("report", "reopen"))
    return a.case.attributes.get(flag) is True or any(_doc(e).get(flag) is True for e in reports)


def _check_school_owner(a: _Audit) -> Tally:
    always = _facts(a.spec).always_notify_school_owner
    assessed = any(e.trigger == "assess_seriousness" and _doc(e).get("serious") is True for e in a.events)
    serious = a.case.serious or assessed
    if not (always or serious):
        return Tally()
    notices = ("notify_school_owner", "notify_principal") if _leadership_accused(a) else ("notify_school_owner",)
    if any(e.trigger in notices and filled(_doc(e).get("notified_at")) for e in a.events):
        return Tally(1, 1)
    if any(o.kind == "notify_school_owner" and o.open and o.due_at > a.now for o in a.case.obligations):
        return Tally()  # the notice is not due yet
    why = "gjelder § 12-5" if always else "er vurdert som alvorlig"
    label = f"Skoleeier er ikke varslet, men saken {why}."
    a.find("school_owner", "school_owner_not_notified", label, serious=serious, section_12_5=always)
    return Tally(0, 1)


def _doc(event: Event) -> Mapping[str, Any]:
    document: Any = event.document
    return document if isinstance(document, dict) else {}


def _check_chain(a: _Audit) -> ChainVerdict:
    verdict = verify_chain(a.case.id, a.events, a.case.head_hash)
    if not verdict.intact:
        problem = CHAIN_PROBLEMS.get(verdict.problem or "", verdict.problem or "")
        label = f"Hendelsesloggen er ikke slik den ble registrert: ved hendelse {verdict.broken_at} {problem}."
        a.find("chain", "chain_broken", label, broken_at=verdict.broken_at, problem=verdict.problem)
    return verdict


def audit_case(case: Case, spec: WorkflowSpec, calendar: SchoolCalendar, now: datetime) -> CaseAudit:
    """Audit one case with its ``events`` and ``obligations`` loaded, as of ``now``."""
    if case.events is None:
        msg = f"Case {case.number} was loaded without its events; the audit needs the whole log."
        raise ValueError(msg)
    a = _Audit(case, spec, calendar, now, case.events)
    steps = _check_steps(a)
    deadlines, late = _check_deadlines(a)
    pupil = _check_pupil_heard(a)
    owner = _check_school_owner(a)
    chain = _check_chain(a)
    return CaseAudit(
        case_id=case.id,
        number=case.number,
        school=case.school,
        school_year=case.school_year,
        workflow=case.workflow,
        workflow_version=case.workflow_version,
        state=case.state,
        serious=case.serious,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        findings=tuple(a.findings),
        steps=steps,
        deadlines=deadlines,
        late_school_days=late,
        pupil_heard=pupil,
        school_owner=owner,
        chain=chain,
    )


# --- per school ---------------------------------------------------------------------------------------------

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
)


@dataclass
class SchoolSummary:
    """One school's year at a glance: per check, how much was in order across its cases."""

    school: str
    name: str
    cases: int = 0
    cases_with_findings: int = 0
    steps: Tally = Tally()
    deadlines: Tally = Tally()
    late_school_days: list[int] = field(default_factory=list)
    pupil_heard: Tally = Tally()
    school_owner: Tally = Tally()
    chains: Tally = Tally()

    def add(self, audit: CaseAudit) -> None:
        self.cases += 1
        self.cases_with_findings += audit.has_findings
        self.steps += audit.steps
        self.deadlines += audit.deadlines
        self.late_school_days.extend(audit.late_school_days)
        self.pupil_heard += audit.pupil_heard
        self.school_owner += audit.school_owner
        self.chains += Tally(int(audit.chain.intact), 1)

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
        }


# --- through the Engine -------------------------------------------------------------------------------------


def spec_lookup(registry: WorkflowRegistry) -> Callable[[Case], WorkflowSpec]:
    """The definition a case was handled under; a version no longer registered falls back to the newest."""
    cache: dict[tuple[str, str], WorkflowSpec] = {}

    def spec_of(case: Case) -> WorkflowSpec:
        key = (case.workflow, case.workflow_version)
        spec = cache.get(key)
        if spec is None:
            try:
                spec = registry.spec(*key)
            except WorkflowDefinitionError:
                spec = registry.spec(case.workflow)
            cache[key] = spec
        return spec

    return spec_of


def count_audit_cases(engine: Engine, school_year: str, school: str | None = None) -> int:
    """How many cases an audit of the school year (at one school) would check."""
    with engine.uow() as uow:
        return uow.reports.count_for_audit(school_year, school)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk audit.

    A school year is hundreds of thousands of small objects without reference cycles, most of them kept
    until the report is done; the collector would walk them again and again while they are made (a
    fifth to a quarter of the time). Reference counting still frees what is dropped, and the collector
    is enabled again afterwards if it was before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def audit_cases(
    engine: Engine, school_year: str, school: str | None = None, *, batch: int = 500, now: datetime | None = None
) -> Iterator[CaseAudit]:
    """Audit the school year's cases one by one, in case number order, loading them batch by batch; as of
    ``now`` (default: the engine's clock)."""
    now = now or engine.clock.now()
    calendar = engine.decider.calendar
    spec_of = spec_lookup(engine.registry)
    with engine.uow() as uow:
        for case in uow.reports.cases_for_audit(school_year, school, batch=batch):
            yield audit_case(case, spec_of(case), calendar, now)


def audit_school_year(
    engine: Engine,
    school_year: str,
    school: str | None = None,
    *,
    batch: int = 500,
    on_case: Callable[[CaseAudit], None] | None = None,
) -> AuditReport:
    """The whole audit of a school year (or one school's part of it); ``on_case`` sees each audit as it
    is made (a progress bar)."""
    generated_at = engine.clock.now()
    audits: list[CaseAudit] = []
    with _collector_paused():
        for audit in audit_cases(engine, school_year, school, batch=batch, now=generated_at):
            audits.append(audit)
            if on_case is not None:
                on_case(audit)
    names = {school_id: s.name for school_id, s in engine.settings.schools.items()}
    return AuditReport(school_year, school, generated_at, audits, summarize(audits, names))
