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
from aktivitetsplikt.engine.core import i18n
from aktivitetsplikt.engine.core.i18n import _

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
    cli.scope_language(engine, school or actor_school)

    def work() -> None:
        from aktivitetsplikt.engine.reports.agenda import meeting_agenda

        result = meeting_agenda(engine, school, actor=reader, days=days, language=i18n.current())
        if as_json:
            cli._print_json(result.to_json())
        else:
            _print_agenda(engine, result)

    cli._run(as_json, work)


def _print_agenda(engine: Engine, result: Agenda) -> None:
    from aktivitetsplikt.engine.core import texts

    console = _console()
    zone = engine.decider.policy.calendar.tz
    day = texts.short_date(result.generated_at, zone)
    if not result.schools:
        console.print(_("Case meeting %(day)s: no schools are set up.") % {"day": day})
    for school in result.schools:
        late = lambda duty, words: texts.late(  # noqa: E731 - a one-line callback
            duty.due_at, result.generated_at, zone, duty.school_days_late or 0, words.day
        )
        _print_school_agenda(console, school, day, result.days, lambda at: texts.deadline(at, zone), late)


def _print_school_agenda(
    console: Console,
    school: SchoolAgenda,
    day: str,
    days: int,
    when: Callable[[Any], str],
    late: Callable[[DutyDue, Labels], str],
) -> None:
    from rich.markup import escape
    from rich.table import Table

    named = {"day": day, "school": escape(school.name)}
    if not school.items:
        console.print(_("Case meeting %(day)s, %(school)s: no open cases.") % named)
        return
    overdue = sum(1 for item in school.items if item.overdue)
    counted = named | {"cases": len(school.items), "overdue": overdue}
    title = _("Case meeting %(day)s, %(school)s: %(cases)s open cases, %(overdue)s with overdue deadlines") % counted
    table = Table(title=title, title_justify="left")
    columns = (
        _("Case"),
        _("Kind"),
        _("Status"),
        _("Responsible"),
        _("Overdue"),
        _("Evaluation in the next %(days)s days") % {"days": days},
        _("Other deadlines"),
    )
    for column in columns:
        table.add_column(column)
    stuck, serious = _("stuck"), _("serious")
    for item in school.items:
        table.add_row(
            item.number + (f" [bold red]({stuck})[/]" if item.stuck else ""),
            item.words.section,
            item.state_label + (f" ({serious})" if item.serious else ""),
            escape(item.responsible or "-"),
            "\n".join(f"[bold red]{d.label}: {late(d, item.words)}[/]" for d in item.overdue) or "-",
            "\n".join(when(d.due_at) for d in item.evaluations_due) or "-",
            "\n".join(f"{d.label}: {when(d.due_at)}" for d in item.due_soon) or "-",
        )
    console.print(table)
