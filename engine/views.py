"""Rich tables for people, in Norwegian bokmål. Only the CLI imports this module."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from aktivitetsplikt.engine.escalation import QueuedStep
    from aktivitetsplikt.engine.model import Case, OutboxMessage
    from aktivitetsplikt.engine.service import Engine
    from aktivitetsplikt.engine.spec import WorkflowSpec

console = Console(highlight=False, soft_wrap=True)


def when(engine: Engine, instant: datetime | None) -> str:
    if instant is None:
        return "-"
    return engine.decider.calendar.local(instant).strftime("%d.%m.%Y %H:%M")


def print_case(engine: Engine, case: Case, header: str | None = None) -> None:
    spec = engine.registry.spec(case.workflow, case.workflow_version)
    now = engine.clock.now()
    if header:
        console.print(header)
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(style="bold")
    facts.add_column()
    school = engine.settings.schools.get(case.school)
    for label, value in (
        ("Sak", f"{case.number}  ({case.id})"),
        ("Arbeidsflyt", f"{spec.label}, versjon {case.workflow_version}"),
        ("Skole", school.name if school else case.school),
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
        duties.add_row(spec.obligation(duty.kind).label, when(engine, duty.due_at), status, level)
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
    console.print("Mulige steg nå: " + ", ".join(triggers))


def print_workflows(specs: list[WorkflowSpec]) -> None:
    table = Table(title="Arbeidsflyter", title_justify="left")
    for column in ("Id", "Versjon", "Navn", "Hjemmel"):
        table.add_column(column)
    for spec in specs:
        table.add_row(spec.id, spec.version, spec.label, spec.legal_basis)
    console.print(table)


def print_workflow(spec: WorkflowSpec) -> None:
    from aktivitetsplikt.engine.diagram import rows

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
    levels = {0: "påminnelse", 1: "frist gått ut", 2: "til skoleeier"}
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
