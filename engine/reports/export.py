"""The complete documentation of one case, in the form a school hands to Statsforvalteren (§ 12-6).

One structure of grouped sections, shown two ways: JSON for machines (the spec section 11 case, the hash
chain verdict and the sections, English keys, instants in ISO 8601 UTC) and one self-contained, printable
HTML page in bokmål for people (``templates/case.html.j2``). The export is for authorised staff: unlike
messages and logs it contains the pupil reference and every free text, so the page says it is confidential.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.core.chain import ChainVerdict, verify_chain
from aktivitetsplikt.engine.core.model import Case, Event, Obligation, iso

if TYPE_CHECKING:
    from jinja2 import Environment

    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.calendar import SchoolCalendar
    from aktivitetsplikt.engine.core.spec import WorkflowSpec

__all__ = ["LABELS", "export_json", "render_html", "sections"]

TEMPLATES = Path(__file__).with_name("templates")
ESCALATED = "escalated"

LABELS: dict[str, dict[str, str]] = {
    "source": {
        "staff_observation": "observert av ansatt",
        "pupil": "eleven selv",
        "guardian": "foresatte",
        "other": "annet",
    },
    "kind": {
        "bullying": "mobbing",
        "violence": "vold",
        "discrimination": "diskriminering",
        "harassment": "trakassering",
        "exclusion": "utestenging",
        "offensive_words": "krenkende ord",
        "other": "annet",
    },
    "conclusion": {"measures_needed": "tiltak er nødvendig", "safe": "eleven har et trygt og godt skolemiljø"},
    "decision": {"continue": "fortsette tiltakene", "revise": "revidere planen"},
    "role": {
        "staff": "ansatt",
        "case_handler": "saksbehandler",
        "principal": "rektor",
        "deputy": "rektors stedfortreder",
        "school_owner": "skoleeier",
        "system": "systemet",
        "reporter": "melder",
        "responsible": "saksansvarlig",
    },
    "status": {
        "met_on_time": "oppfylt i tide",
        "met_late": "oppfylt for sent",
        "superseded": "erstattet av ny plan",
        "open": "åpen",
        "overdue": "forfalt",
    },
    "level": {"0": "påminnelse før fristen", "1": "fristen er gått ut", "2": "meldt til skoleeier"},
}
"""Bokmål for the values of the documentation; the spec's own labels name states, steps and duties."""

_CHAIN_PROBLEMS = {
    "the link to the previous event is broken": "koblingen til forrige hendelse er brutt",
    "the event was changed after it was recorded": "hendelsen er endret etter at den ble registrert",
    "events after the last one were removed": "hendelser etter den siste er fjernet",
}


# --- the data ------------------------------------------------------------------------------------------


def export_json(engine: Engine, case: Case) -> dict[str, Any]:
    """``engine.case_json(case)`` plus the chain ``verdict`` and the grouped ``sections``."""
    verdict = chain_verdict(case)
    return engine.case_json(case) | {"verdict": verdict.to_json(), "sections": sections(engine, case)}


def chain_verdict(case: Case) -> ChainVerdict:
    """The same check as ``Engine.verify``, on the events already loaded with the case."""
    return verify_chain(case.id, case.events or [], case.head_hash)


def sections(engine: Engine, case: Case) -> dict[str, Any]:
    """Every part of the documentation, grouped as Statsforvalteren reads it (see the module docstring)."""
    spec = engine.registry.spec(case.workflow, case.workflow_version)
    events = case.events or []
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by[event.trigger].append(_item(spec, event))
    return {
        "facts": _facts(engine, spec, case),
        "timeline": _timeline(spec, events),
        "reports": sorted(by["report"] + by["reopen"], key=lambda i: int(i["seq"])),
        "notices": {"principal": by["notify_principal"], "school_owner": by["notify_school_owner"]},
        "seriousness": by["assess_seriousness"],
        "investigations": _investigations(by["start_investigation"], by["conclude_investigation"]),
        "plans": _plan_versions(by["adopt_plan"] + by["revise_plan"]),
        "evaluations": by["evaluate"],
        "closing": [_item(spec, e) for e in events if _closes(spec, e)],
        "notes": by["add_note"],
        "enforcement": {"registered": by["register_enforcement"], "responses": by["respond_to_statsforvalter"]},
        "escalations": by[ESCALATED],
        "duties": _duties(engine, spec, case),
    }


def _facts(engine: Engine, spec: WorkflowSpec, case: Case) -> dict[str, Any]:
    school = engine.settings.schools.get(case.school)
    facts: dict[str, Any] = {
        "id": case.id,
        "number": case.number,
        "school": case.school,
        "school_name": school.name if school else case.school,
        "workflow": case.workflow,
        "workflow_label": spec.label,
        "workflow_version": case.workflow_version,
        "legal_basis": spec.legal_basis,
        "state": case.state,
        "state_label": spec.state(case.state).label,
        "serious": case.serious,
        "responsible": case.responsible,
        "pupil": case.pupil,
        "occurred_at": iso(case.occurred_at),
        "opened_at": iso(case.opened_at),
        "closed_at": iso(case.closed_at),
        "school_year": case.school_year,
        "case_url": engine.settings.links.case_url.format(id=case.id),
        "exported_at": iso(engine.clock.now()),
    }
    for key in ("accused_staff", "accused_is_leadership"):  # § 12-5 only
        if key in case.attributes:
            facts[key] = case.attributes[key]
    return facts


def _trigger_label(spec: WorkflowSpec, trigger: str) -> str:
    transition = spec.transition(trigger)
    if transition is not None:
        return transition.label
    return "Påminnelse eller eskalering" if trigger == ESCALATED else trigger  # refined per level in _item


def _item(spec: WorkflowSpec, event: Event) -> dict[str, Any]:
    """One documented step: who, when (recorded and occurred), and its documentation as recorded."""
    base = {
        "seq": event.seq,
        "trigger": event.trigger,
        "trigger_label": _trigger_label(spec, event.trigger),
        "recorded_at": iso(event.at),
        "occurred_at": iso(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
    }
    document = dict(event.document)
    if event.trigger == ESCALATED:
        document["obligation_label"] = _duty_label(spec, str(document.get("obligation")))
        base["trigger_label"] = "Påminnelse" if document.get("level") == 0 else "Eskalering"
    return base | {"document": document}


def _timeline(spec: WorkflowSpec, events: list[Event]) -> list[dict[str, Any]]:
    corrected_by: dict[int, list[int]] = defaultdict(list)
    for event in events:
        target = event.document.get("corrects") if event.trigger == "add_note" else None
        if isinstance(target, int):
            corrected_by[target].append(event.seq)
    rows = []
    for event in events:
        row = {k: v for k, v in _item(spec, event).items() if k != "document"}
        row |= {
            "from_state": event.from_state,
            "from_state_label": _state_label(spec, event.from_state),
            "to_state": event.to_state,
            "to_state_label": _state_label(spec, event.to_state),
            "corrected_by": corrected_by.get(event.seq, []),
            "hash": event.hash,
        }
        rows.append(row)
    return rows


def _state_label(spec: WorkflowSpec, state: str | None) -> str | None:
    if state is None:
        return None
    try:
        return spec.state(state).label
    except KeyError:
        return state


def _investigations(started: list[dict[str, Any]], concluded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each investigation: its start and the conclusion that followed it (a reopened case has several)."""
    runs: list[dict[str, Any]] = [{"start": s, "conclusion": None} for s in started]
    for conclusion in concluded:
        earlier = [r for r in runs if int(r["start"]["seq"]) < int(conclusion["seq"]) and r["conclusion"] is None]
        if earlier:
            earlier[-1]["conclusion"] = conclusion
        else:
            runs.append({"start": None, "conclusion": conclusion})
    return sorted(runs, key=lambda r: int((r["start"] or r["conclusion"])["seq"]))


def _plan_versions(plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every version of the written plan, oldest first; each later one supersedes the one before."""
    ordered = sorted(plans, key=lambda p: int(p["seq"]))
    versions = []
    for number, plan in enumerate(ordered, start=1):
        following = ordered[number] if number < len(ordered) else None
        versions.append(
            plan
            | {
                "version": number,
                "current": following is None,
                "superseded_by_seq": following["seq"] if following else None,
            }
        )
    return versions


def _closes(spec: WorkflowSpec, event: Event) -> bool:
    if not spec.state(event.to_state).final:
        return False
    return event.from_state is None or not spec.state(event.from_state).final


def _duty_label(spec: WorkflowSpec, kind: str) -> str:
    try:
        return spec.obligation(kind).label
    except KeyError:
        return kind


def _duties(engine: Engine, spec: WorkflowSpec, case: Case) -> list[dict[str, Any]]:
    """Every duty with its deadline and whether it was met on time, late (by how much) or is still open."""
    now = engine.clock.now()
    calendar = engine.settings.school_calendar()
    events = {e.seq: e for e in case.events or []}
    rows = []
    for duty in sorted(case.obligations, key=lambda o: (o.created_seq, o.due_at)):
        status = _duty_status(spec, duty, events, now)
        late_until = duty.satisfied_at if status == "met_late" else now if status == "overdue" else None
        satisfier = events.get(duty.satisfied_by_seq) if duty.satisfied_by_seq else None
        rows.append(
            {
                "kind": duty.kind,
                "label": _duty_label(spec, duty.kind),
                "responsible_role": duty.responsible_role,
                "created_seq": duty.created_seq,
                "due_at": iso(duty.due_at),
                "satisfied_at": iso(duty.satisfied_at),
                "satisfied_by_seq": duty.satisfied_by_seq,
                "satisfied_by_label": _trigger_label(spec, satisfier.trigger) if satisfier else None,
                "status": status,
                "late_school_days": _late_days(calendar, duty.due_at, late_until),
                "late_hours": _late_hours(duty.due_at, late_until),
                "escalation_level": duty.escalation_level,
            }
        )
    return rows


def _duty_status(spec: WorkflowSpec, duty: Obligation, events: dict[int, Event], now: datetime) -> str:
    if duty.satisfied_at is None:
        return "overdue" if duty.overdue(now) else "open"
    satisfier = events.get(duty.satisfied_by_seq) if duty.satisfied_by_seq else None
    transition = spec.transition(satisfier.trigger) if satisfier else None
    if transition is not None and any(duty.kind in o.supersede for o in transition.outcomes):
        return "superseded"
    return "met_on_time" if duty.satisfied_at <= duty.due_at else "met_late"


def _late_days(calendar: SchoolCalendar, due: datetime, until: datetime | None) -> int | None:
    return None if until is None else calendar.school_days_late(due, until)


def _late_hours(due: datetime, until: datetime | None) -> float | None:
    return None if until is None else round((until - due).total_seconds() / 3600, 1)


# --- the page ------------------------------------------------------------------------------------------


def render_html(engine: Engine, case: Case) -> str:
    """One self-contained, printable HTML page (inline CSS, no scripts, nothing fetched), escaped."""
    verdict = chain_verdict(case)
    spec = engine.registry.spec(case.workflow, case.workflow_version)
    env = _environment(engine.settings.school_calendar())
    data = sections(engine, case)
    documents = {e.seq: e.document for e in case.events or []}
    return env.get_template("case.html.j2").render(
        s=data,
        f=data["facts"],
        verdict=verdict.to_json(),
        chain_problem=_chain_problem(verdict),
        documents=documents,
        duty_labels={o.kind: o.label for o in spec.obligations},
    )


def _chain_problem(verdict: ChainVerdict) -> str | None:
    if verdict.problem is None:
        return None
    if verdict.problem.endswith(" is missing"):
        return f"hendelse {verdict.broken_at} mangler"
    return _CHAIN_PROBLEMS.get(verdict.problem, verdict.problem)


def _environment(calendar: SchoolCalendar) -> Environment:
    from jinja2 import ChainableUndefined, Environment, FileSystemLoader

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every free text may contain markup; it is shown, never interpreted
        undefined=ChainableUndefined,  # a field an older document lacks shows as empty, it does not fail
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=lambda value: _when(calendar, value),
        deadline=lambda value: _deadline(calendar, value),
        nb=_nb,
        yesno=lambda value: "-" if value is None else ("ja" if value else "nei"),
        css_string=_css_string,
        number=lambda value: f"{value:g}".replace(".", ","),
    )
    return env


def _instant(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _when(calendar: SchoolCalendar, value: datetime | str | None) -> str:
    """``02.09.2026 kl. 10:00``, Oslo time (spec section 9)."""
    if not value:
        return "-"
    return calendar.local(_instant(value)).strftime("%d.%m.%Y kl. %H:%M")


def _deadline(calendar: SchoolCalendar, value: datetime | str | None) -> str:
    """A school-day deadline ends at 00:00, which a reader understands as the end of the day before."""
    if not value:
        return "-"
    local = calendar.local(_instant(value))
    if local.time() == time(0):
        return f"utgangen av {(local - timedelta(days=1)):%d.%m.%Y}"
    return _when(calendar, value)


def _nb(value: Any, group: str) -> str:
    if value is None:
        return "-"
    return LABELS.get(group, {}).get(str(value), str(value))


def _css_string(value: Any) -> Any:
    """A CSS string literal (for ``@page`` margin boxes): every non-alphanumeric character escaped, so
    nothing in it can close the string or the ``<style>`` element."""
    from markupsafe import Markup

    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in str(value))
    return Markup(f'"{escaped}"')  # only escaped characters, see above
