"""Rich tables for people, in Norwegian bokmål. Only the CLI imports this module."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from aktivitetsplikt.engine.core import texts
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.escalation import QueuedStep
    from aktivitetsplikt.engine.core.model import Case, Obligation, OutboxMessage
    from aktivitetsplikt.engine.core.pack import Labels
    from aktivitetsplikt.engine.core.spec import WorkflowSpec

console = Console(highlight=False)
if not console.is_terminal:
    # Piped or captured output gets room for the whole table rather than rich's 80 columns.
    console = Console(highlight=False, width=160)


def when(engine: Engine, instant: datetime | None) -> str:
    return "-" if instant is None else texts.short(instant, engine.decider.calendar.tz)


def deadline(engine: Engine, instant: datetime) -> str:
    """A deadline for people: one at 00:00 is the end of the day before, written 24:00."""
    return texts.short_deadline(instant, engine.decider.calendar.tz)


def _words(engine: Engine, case: Case) -> Labels:
    """The case's workflow pack's words (bokmål)."""
    return engine.registry.pack(case.workflow).label("nb")


def print_case(engine: Engine, case: Case, header: str | None = None) -> None:
    spec = engine.registry.spec(case.workflow, case.workflow_version)
    words = _words(engine, case)
    now = engine.clock.now()
    if header:
        console.print(header)
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(style="bold")
    facts.add_column()
    school = engine.settings.units().get(case.school)
    for label, value in (
        ("Sak", f"{case.number}  ({case.id})"),
        ("Arbeidsflyt", f"{spec.label}, versjon {case.workflow_version}"),
        (words.unit.capitalize(), school.name if school else case.school),
        ("Status", spec.state(case.state).label),
        ("Alvorlig sak", "ja" if case.serious else "nei"),
        ("Ansvarlig", case.responsible or "-"),
        ("Opprettet", when(engine, case.opened_at)),
        ("Avsluttet", when(engine, case.closed_at)),
        ("Versjon", str(case.version)),
    ):
        facts.add_row(label, value)
    console.print(facts)

    duties = Table(title="Frister", title_justify="left")
    for column in ("Plikt", "Frist (Oslo)", "Status", "Eskalert"):
        duties.add_column(column)
    for duty in case.obligations:
        if duty.satisfied_at is not None:
            status = f"oppfylt {when(engine, duty.satisfied_at)}"
        elif duty.overdue(now):
            status = "[bold red]FORFALT[/]"
        else:
            status = "åpen"
        level = "-" if duty.escalation_level is None else f"nivå {duty.escalation_level}"
        duties.add_row(spec.obligation(duty.kind).label, deadline(engine, duty.due_at), status, level)
    console.print(duties)

    timeline = Table(title="Tidslinje", title_justify="left")
    for column in ("#", "Skjedde", "Registrert", "Steg", "Hvem", "Status"):
        timeline.add_column(column)
    for event in case.events or []:
        transition = spec.transition(event.trigger)
        step = transition.label if transition else event.trigger
        moved = spec.state(event.to_state).label
        if event.from_state and event.from_state != event.to_state:
            moved = f"{spec.state(event.from_state).label} → {moved}"
        timeline.add_row(
            str(event.seq),
            when(engine, event.occurred_at),
            when(engine, event.at),
            step,
            f"{event.actor_id} ({event.actor_role})",
            moved,
        )
    console.print(timeline)
    triggers = engine.registry.machine(case.workflow, case.workflow_version).triggers_from(case.state)
    console.print("Mulige steg nå: " + ", ".join(words.steps.get(t, t) for t in triggers))


def print_workflows(specs: list[WorkflowSpec]) -> None:
    table = Table(title="Arbeidsflyter", title_justify="left")
    for column in ("Id", "Versjon", "Navn", "Hjemmel"):
        table.add_column(column)
    for spec in specs:
        table.add_row(spec.id, spec.version, spec.label, spec.legal_basis)
    console.print(table)


def print_workflow(spec: WorkflowSpec) -> None:
    from aktivitetsplikt.engine.reports.diagram import rows

    states = Table(title=f"{spec.label}: tilstander", title_justify="left")
    for column in ("Tilstand", "Navn", "Frist som gjelder"):
        states.add_column(column)
    for state in spec.states:
        duty = spec.obligation(state.obligation).label if state.obligation else "-"
        states.add_row(state.id, state.label + (" (slutt)" if state.final else ""), duty)
    console.print(states)
    steps = Table(title=f"{spec.label}: steg", title_justify="left")
    for column in ("Steg", "Navn", "Fra", "Til", "Roller", "Dokumentasjon", "Oppretter frist", "Oppfyller"):
        steps.add_column(column)
    for row in rows(spec):
        steps.add_row(*row.values())
    console.print(steps)


def print_sweep(engine: Engine, steps: list[QueuedStep]) -> None:
    if not steps:
        console.print(f"Ingen frister å varsle om per {when(engine, engine.clock.now())}.")
        return
    levels = {0: "påminnelse", 1: "frist gått ut", LAST_LEVEL: "til eier"}
    table = Table(title=f"Varsler lagt i kø per {when(engine, engine.clock.now())}", title_justify="left")
    for column in ("Sak", "Plikt", "Nivå", "Mottakere", "Meldinger"):
        table.add_column(column)
    for step in steps:
        table.add_row(
            step.case_number,
            step.obligation,
            f"{step.level} ({levels.get(step.level, '')})",
            ", ".join(step.recipients),
            str(step.messages),
        )
    console.print(table)


def print_outbox(engine: Engine, messages: list[OutboxMessage]) -> None:
    statuses = {"pending": "venter", "sent": "sendt", "failed": "feilet"}
    table = Table(title="Utboks", title_justify="left")
    for column in (
        "Id",
        "Sak",
        "Type",
        "Nivå",
        "Til",
        "Status",
        "Forsøk",
        "Opprettet",
        "Sendt",
        "Siste feil",
    ):
        table.add_column(column)
    for m in messages:
        table.add_row(
            m.id,
            str(m.payload.get("case_number", m.case_id)),
            m.kind,
            "-" if m.level is None else str(m.level),
            f"{m.address} ({m.recipient_role})",
            statuses.get(m.status, m.status),
            str(m.attempts),
            when(engine, m.created_at),
            when(engine, m.sent_at),
            (m.last_error or "")[:60],
        )
    console.print(table)


def _next_duty(engine: Engine, case: Case) -> Obligation | None:
    open_duties = case.open_obligations()
    return min(open_duties, key=lambda o: o.due_at) if open_duties else None


def late_days(engine: Engine, case: Case, duty: Obligation) -> int:
    """Days of the case's unit (school or working days) begun since the duty fell due."""
    calendar = engine.decider.policy.calendar_of(case.school)
    return calendar.school_days_late(duty.due_at, engine.clock.now())


def print_cases(engine: Engine, cases: list[Case], *, limit: int, stuck: bool = False) -> None:
    now = engine.clock.now()
    title = "Saker som står fast (meldt til eier, ikke fulgt opp)" if stuck else "Saker, mest hastende først"
    if not cases:
        console.print(f"{title}: ingen per {when(engine, now)}.")
        return
    table = Table(title=f"{title} per {when(engine, now)}", title_justify="left")
    for column in (
        "Sak",
        "Skole/barnehage",
        "Type",
        "Status",
        "Neste plikt",
        "Frist",
        "Forsinket",
        "Eskalert",
        "Ansvarlig",
    ):
        table.add_column(column)
    for case in cases:
        spec = engine.registry.spec(case.workflow, case.workflow_version)
        words = _words(engine, case)
        duty = _next_duty(engine, case)
        school = engine.settings.units().get(case.school)
        if duty is None:
            duty_label, due, late, level = "-", "-", "", "-"
        else:
            duty_label, due = spec.obligation(duty.kind).label, deadline(engine, duty.due_at)
            late = f"[bold red]{words.days(late_days(engine, case, duty))}[/]" if duty.overdue(now) else ""
            level = "-" if duty.escalation_level is None else f"nivå {duty.escalation_level}"
        table.add_row(
            case.number,
            school.name if school else case.school,
            words.section,
            spec.state(case.state).label,
            duty_label,
            due,
            late,
            level,
            case.responsible or "-",
        )
    console.print(table)
    if len(cases) >= limit:
        console.print(f"Viser de {limit} mest hastende; bruk --limit for flere.")
