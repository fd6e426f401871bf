"""Rich tables for people, in bokmål or nynorsk (the language of :mod:`aktivitetsplikt.engine.core.i18n`).
Only the CLI imports this module. Steps, states, duties and roles are named by the workflow pack's words
in that language, never by their ids."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aktivitetsplikt.engine.core import i18n, texts
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL
from aktivitetsplikt.engine.core.escalation import TRIGGER as ESCALATED
from aktivitetsplikt.engine.core.i18n import N_, _

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.escalation import QueuedStep
    from aktivitetsplikt.engine.core.model import Case, Event, Obligation, OutboxMessage
    from aktivitetsplikt.engine.core.pack import Labels
    from aktivitetsplikt.engine.core.spec import WorkflowSpec

console = Console(highlight=False)
if not console.is_terminal:
    # Piped or captured output gets room for the whole table rather than rich's 80 columns.
    console = Console(highlight=False, width=160)

MESSAGE_KINDS = {"notice": N_("notice"), "reminder": N_("reminder"), "escalation": N_("escalation")}
MESSAGE_STATUSES = {"pending": N_("waiting"), "sent": N_("sent"), "failed": N_("failed")}
LEVELS = {0: N_("reminder before the deadline"), 1: N_("the deadline has passed")}
"""What the levels below the last mean; the last names the owner in the case's own words."""


def when(engine: Engine, instant: datetime | None) -> str:
    return "-" if instant is None else texts.short(instant, engine.decider.calendar.tz)


def deadline(engine: Engine, instant: datetime) -> str:
    """A deadline for people, written as everywhere (:func:`texts.deadline`)."""
    return texts.deadline(instant, engine.decider.calendar.tz)


def words_of(engine: Engine, workflow: str) -> Labels:
    """A workflow pack's words in the current language."""
    return engine.registry.pack(workflow).label(i18n.current())


def _words(engine: Engine, case: Case) -> Labels:
    return words_of(engine, case.workflow)


def level_text(level: int, words: Labels) -> str:
    """``1 (fristen har gått ut)``; the last level names the owner: ``2 (meldt til skoleeier)``."""
    if level >= LAST_LEVEL:
        meaning = _("reported to the %(owner)s") % {"owner": words.roles.get("school_owner", "school_owner")}
    else:
        meaning = _(LEVELS[level])
    return f"{level} ({meaning})"


def escalated(level: int | None) -> str:
    return "-" if level is None else _("level %(level)s") % {"level": level}


def who(event: Event, words: Labels) -> str:
    """``t-1 (ansatt)``: the ref and the role in the workflow's words."""
    return f"{event.actor_id} ({words.roles.get(event.actor_role, event.actor_role)})"


def print_case(engine: Engine, case: Case, header: str | None = None) -> None:
    words = _words(engine, case)
    now = engine.clock.now()
    if header:
        console.print(header)
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(style="bold")
    facts.add_column()
    school = engine.settings.units().get(case.school)
    for label, value in (
        (_("Case"), f"{case.number}  ({case.id})"),
        (
            _("Workflow"),
            _("%(workflow)s, version %(version)s") % {"workflow": words.workflow, "version": case.workflow_version},
        ),
        (words.unit.capitalize(), school.name if school else case.school),
        (_("Status"), words.states.get(case.state, case.state)),
        (_("Serious case"), _("yes") if case.serious else _("no")),
        (_("Responsible"), case.responsible or "-"),
        (_("Opened"), when(engine, case.opened_at)),
        (_("Closed"), when(engine, case.closed_at)),
        (_("Version"), str(case.version)),
    ):
        facts.add_row(label, escape(value))
    console.print(facts)

    duties = Table(title=_("Deadlines"), title_justify="left")
    for column in (_("Duty"), _("Deadline"), _("Status"), _("Escalated")):
        duties.add_column(column)
    for duty in case.obligations:
        if duty.satisfied_at is not None:
            status = _("met %(when)s") % {"when": when(engine, duty.satisfied_at)}
        elif duty.overdue(now):
            status = "[bold red]" + _("OVERDUE") + "[/]"
        else:
            status = _("open")
        duties.add_row(
            words.duties.get(duty.kind, duty.kind),
            deadline(engine, duty.due_at),
            status,
            escalated(duty.escalation_level),
        )
    console.print(duties)

    timeline = Table(title=_("Timeline"), title_justify="left")
    for column in ("#", _("Happened"), _("Recorded"), _("Step"), _("Who"), _("Status")):
        timeline.add_column(column)
    for event in case.events or []:
        moved = words.states.get(event.to_state, event.to_state)
        if event.from_state and event.from_state != event.to_state:
            moved = f"{words.states.get(event.from_state, event.from_state)} → {moved}"
        timeline.add_row(
            str(event.seq),
            when(engine, event.occurred_at),
            when(engine, event.at),
            _step(event.trigger, event.document, words),
            escape(who(event, words)),
            moved,
        )
    console.print(timeline)
    triggers = engine.registry.machine(case.workflow, case.workflow_version).triggers_from(case.state)
    steps = ", ".join(words.steps.get(t, t) for t in triggers) or _("none")
    console.print(_("Possible steps now: %(steps)s") % {"steps": steps})


def _step(trigger: str, document: object, words: Labels) -> str:
    """The step of an event in the workflow's words; the engine's own escalation events by their level."""
    if trigger == ESCALATED and isinstance(document, dict):
        return _("Reminder") if document.get("level") == 0 else _("Escalation")
    return words.steps.get(trigger, trigger)


def print_workflows(specs: list[WorkflowSpec]) -> None:
    table = Table(title=_("Workflows"), title_justify="left")
    for column in ("Id", _("Version"), _("Name"), _("Legal basis")):
        table.add_column(column)
    for spec in specs:
        table.add_row(spec.id, spec.version, spec.label, spec.legal_basis)
    console.print(table)


def print_workflow(spec: WorkflowSpec) -> None:
    """The definition of a workflow, for who writes or checks one: ids beside the words on purpose."""
    from aktivitetsplikt.engine.reports.diagram import rows

    states = Table(title=_("%(workflow)s: states") % {"workflow": spec.label}, title_justify="left")
    for column in (_("State"), _("Name"), _("Deadline that applies")):
        states.add_column(column)
    for state in spec.states:
        duty = spec.obligation(state.obligation).label if state.obligation else "-"
        states.add_row(state.id, state.label + (_(" (final)") if state.final else ""), duty)
    console.print(states)
    steps = Table(title=_("%(workflow)s: steps") % {"workflow": spec.label}, title_justify="left")
    columns = (
        _("Step"),
        _("Name"),
        _("From"),
        _("To"),
        _("Roles"),
        _("Documentation"),
        _("Creates deadline"),
        _("Meets"),
    )
    for column in columns:
        steps.add_column(column)
    for row in rows(spec):
        steps.add_row(*(escape(v) for v in row.values()))
    console.print(steps)


def _duty_word(engine: Engine, kind: str) -> tuple[str, Labels | None]:
    """A duty kind in the words of the first pack that has it (a sweep's step names no workflow)."""
    for pack in engine.registry.packs():
        words = pack.label(i18n.current())
        if kind in words.duties:
            return words.duties[kind], words
    return kind, None


def print_sweep(engine: Engine, steps: list[QueuedStep]) -> None:
    at = {"when": when(engine, engine.clock.now())}
    if not steps:
        console.print(_("No deadlines to give notice of as of %(when)s.") % at)
        return
    table = Table(title=_("Notices queued as of %(when)s") % at, title_justify="left")
    for column in (_("Case"), _("Duty"), _("Level"), _("Recipients"), _("Messages")):
        table.add_column(column)
    for step in steps:
        duty, words = _duty_word(engine, step.obligation)
        roles = words.roles if words is not None else {}
        table.add_row(
            step.case_number,
            duty,
            level_text(step.level, words) if words is not None else str(step.level),
            ", ".join(roles.get(r, r) for r in step.recipients),
            str(step.messages),
        )
    console.print(table)


def print_outbox(engine: Engine, messages: list[OutboxMessage]) -> None:
    table = Table(title=_("Outbox"), title_justify="left")
    for column in (
        "Id",
        _("Case"),
        _("Kind"),
        _("Level"),
        _("To"),
        _("Status"),
        _("Attempts"),
        _("Created"),
        _("Sent"),
        _("Last error"),
    ):
        table.add_column(column)
    for m in messages:
        words = engine.registry.words(str(m.payload.get("workflow", "")), i18n.current())
        roles = words.roles if words is not None else {}
        table.add_row(
            m.id,
            str(m.payload.get("case_number", m.case_id)),
            _(MESSAGE_KINDS[m.kind]) if m.kind in MESSAGE_KINDS else m.kind,
            "-" if m.level is None else str(m.level),
            escape(f"{m.address} ({roles.get(m.recipient_role, m.recipient_role)})"),
            _(MESSAGE_STATUSES[m.status]) if m.status in MESSAGE_STATUSES else m.status,
            str(m.attempts),
            when(engine, m.created_at),
            when(engine, m.sent_at),
            escape((m.last_error or "")[:60]),
        )
    console.print(table)


def _next_duty(engine: Engine, case: Case) -> Obligation | None:
    open_duties = case.open_obligations()
    return min(open_duties, key=lambda o: o.due_at) if open_duties else None


def late_days(engine: Engine, case: Case, duty: Obligation) -> int:
    """Days of the case's unit (school or working days) begun since the duty fell due."""
    calendar = engine.decider.policy.calendar_of(case.school)
    return calendar.school_days_late(duty.due_at, engine.clock.now())


def late_text(engine: Engine, case: Case, duty: Obligation, words: Labels) -> str:
    """How late: in the unit's counted days, or in hours for a deadline counted in hours."""
    days = late_days(engine, case, duty)
    return texts.late(duty.due_at, engine.clock.now(), engine.decider.calendar.tz, days, words.day)


def print_cases(engine: Engine, cases: list[Case], *, limit: int, stuck: bool = False) -> None:
    now = engine.clock.now()
    title = _("Cases that are stuck (reported to the owner, not acted on)") if stuck else _("Cases, most urgent first")
    at = when(engine, now)
    if not cases:
        console.print(_("%(title)s: none as of %(when)s.") % {"title": title, "when": at})
        return
    table = Table(title=_("%(title)s as of %(when)s") % {"title": title, "when": at}, title_justify="left")
    for column in (
        _("Case"),
        _("School/kindergarten"),
        _("Kind"),
        _("Status"),
        _("Next duty"),
        _("Deadline"),
        _("Late"),
        _("Escalated"),
        _("Responsible"),
    ):
        table.add_column(column)
    for case in cases:
        words = _words(engine, case)
        duty = _next_duty(engine, case)
        school = engine.settings.units().get(case.school)
        if duty is None:
            duty_label, due, late, level = "-", "-", "", "-"
        else:
            duty_label, due = words.duties.get(duty.kind, duty.kind), deadline(engine, duty.due_at)
            late = f"[bold red]{late_text(engine, case, duty, words)}[/]" if duty.overdue(now) else ""
            level = escalated(duty.escalation_level)
        table.add_row(
            case.number,
            escape(school.name if school else case.school),
            words.section,
            words.states.get(case.state, case.state),
            duty_label,
            due,
            late,
            level,
            escape(case.responsible or "-"),
        )
    console.print(table)
    if len(cases) >= limit:
        console.print(_("Showing the %(limit)s most urgent; use --limit for more.") % {"limit": limit})
