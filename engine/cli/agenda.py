"""The ``agenda`` command (spec section 7): the fortnightly case meeting, registered on the ``aktivitetsplikt``
app. Like the other command modules it imports only typer and the standard library at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aktivitetsplikt.engine.cli import _app as cli
from aktivitetsplikt.engine.cli._app import ReaderId, ReaderRole, ReaderSchool, app
from aktivitetsplikt.engine.cli.reports import JsonOption, SchoolOption, _console

if TYPE_CHECKING:
    from rich.console import Console

    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.pack import Labels
    from aktivitetsplikt.engine.reports.agenda import Agenda, DutyDue, SchoolAgenda


@app.command("agenda")
def agenda(
    school: SchoolOption = None,
    days: Annotated[int, typer.Option("--days", min=0, max=366, help="Evaluations due within this many days.")] = 14,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """The fortnightly case meeting: the open cases the reader may see, what is overdue and the
    evaluations coming up."""
    engine = cli._engine(as_json)
    reader = cli._reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        from aktivitetsplikt.engine.reports.agenda import meeting_agenda

        result = meeting_agenda(engine, school, actor=reader, days=days)
        if as_json:
            cli._print_json(result.to_json())
        else:
            _print_agenda(engine, result)

    cli._run(as_json, work)


def _print_agenda(engine: Engine, result: Agenda) -> None:
    from aktivitetsplikt.engine.core.texts import short_deadline

    console = _console()
    zone = engine.decider.policy.calendar.tz
    day = result.generated_at.astimezone(zone).strftime("%d.%m.%Y")
    if not result.schools:
        console.print(f"Saksmøte {day}: ingen skoler er satt opp.")
    for school in result.schools:
        _print_school_agenda(console, school, day, result.days, lambda at: short_deadline(at, zone))


def _print_school_agenda(
    console: Console, school: SchoolAgenda, day: str, days: int, when: Callable[[Any], str]
) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not school.items:
        console.print(f"Saksmøte {day}, {escape(school.name)}: ingen åpne saker.")
        return
    overdue = sum(1 for item in school.items if item.overdue)
    title = f"Saksmøte {day}, {escape(school.name)}: {len(school.items)} åpne saker, {overdue} med forfalte frister"
    table = Table(title=title, title_justify="left")
    for column in ("Sak", "Type", "Status", "Ansvarlig", "Forfalt", f"Evaluering neste {days} dager", "Andre frister"):
        table.add_column(column)
    for item in school.items:
        table.add_row(
            item.number + (" [bold red](står fast)[/]" if item.stuck else ""),
            item.words.section,
            item.state_label + (" (alvorlig)" if item.serious else ""),
            escape(item.responsible or "-"),
            "\n".join(_overdue_line(d, item.words) for d in item.overdue) or "-",
            "\n".join(when(d.due_at) for d in item.evaluations_due) or "-",
            "\n".join(f"{d.label}: {when(d.due_at)}" for d in item.due_soon) or "-",
        )
    console.print(table)


def _overdue_line(duty: DutyDue, words: Labels) -> str:
    return f"[bold red]{duty.label}: {words.days(duty.school_days_late or 0)}[/]"
