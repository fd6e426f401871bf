"""Commands that open, move and show cases, and the database schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aktivitetsplikt.engine.cli._app import (
    ActorId,
    ActorRole,
    CaseRef,
    DocOption,
    JsonOption,
    ReaderId,
    ReaderRole,
    ReaderSchool,
    _actor,
    _engine,
    _print_json,
    _read_doc,
    _reader,
    _run,
    _settings,
    app,
    case_app,
    db_app,
    scope_language,
    use_words,
)
from aktivitetsplikt.engine.core.i18n import _

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.model import Actor, Case

# --- db -------------------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(as_json: JsonOption = False) -> None:
    """Create or migrate the database schema to this version."""
    from aktivitetsplikt.engine.bootstrap import upgrade_database

    settings = _settings(as_json)

    def work() -> None:
        from aktivitetsplikt.engine.core.redact import redact_url

        before, after = upgrade_database(settings)
        database = redact_url(settings.database.url)  # say which database it touched, without its password
        if as_json:
            _print_json({"database": database, "before": before, "after": after})
        elif before == after:
            current = {"database": database, "after": after}
            typer.echo(_("The database %(database)s is already up to date (revision %(after)s).") % current)
        else:
            moved = {"database": database, "before": before or _("empty"), "after": after}
            typer.echo(_("The database %(database)s was upgraded from %(before)s to revision %(after)s.") % moved)

    _run(as_json, work)


# --- cases ----------------------------------------------------------------------------------------------


@app.command("cases")
def cases(
    school: Annotated[str | None, typer.Option("--school", help="Only this school (its id in the config).")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only cases in this state, e.g. planning.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases with a deadline that has passed.")] = False,
    stuck: Annotated[
        bool, typer.Option("--stuck", help="Only cases escalated to the last level (the owner) and still not acted on.")
    ] = False,
    include_closed: Annotated[bool, typer.Option("--all", help="Closed cases too.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many, most urgent first.")] = 100,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """List the cases the reader may see, the most urgent first: overdue deadlines at the top."""
    engine = _engine(as_json)
    reader = _reader(engine, actor_id, actor_role, actor_school, as_json)
    scope_language(engine, school or actor_school)

    def work() -> None:
        found = engine.list_cases(
            actor=reader,
            school=school,
            state=state,
            overdue=overdue,
            stuck=stuck,
            open_only=not include_closed and state is None,
            by_urgency=True,
            limit=limit,
        )
        if as_json:
            _print_json([_without_events(engine.case_json(c)) for c in found])
            return
        from aktivitetsplikt.engine.cli import views

        views.print_cases(engine, found, limit=limit, stuck=stuck)

    _run(as_json, work)


def _without_events(case: dict[str, Any]) -> dict[str, Any]:
    case.pop("events", None)
    return case


# --- case -----------------------------------------------------------------------------------------------


@case_app.command("report")
def case_report(
    workflow: Annotated[
        str, typer.Option("--workflow", help="The workflow id; 'aktivitetsplikt workflow list' shows them.")
    ],
    school: Annotated[str, typer.Option("--school", help="The school id from \\[schools.*] in the config.")],
    pupil: Annotated[str, typer.Option("--pupil", help="The pupil's reference in your system (never a name).")],
    doc: DocOption,
    actor_id: ActorId,
    actor_role: ActorRole,
    as_json: JsonOption = False,
) -> None:
    """Open a case: document that a pupil may not have a safe and good school environment."""
    engine = _engine(as_json)
    document = _read_doc(doc, as_json)
    actor = _actor(actor_id, actor_role, school, as_json)
    scope_language(engine, school)

    def work() -> None:
        if workflow in {spec.id for spec in engine.workflows()}:
            use_words(engine, workflow)
        case = engine.report(workflow=workflow, school=school, pupil=pupil, document=document, actor=actor)
        header = _("Case %(number)s has been opened.") % {"number": case.number}
        _show_written(engine, case, actor, header, as_json)

    _run(as_json, work)


@case_app.command("fire")
def case_fire(
    case_ref: CaseRef,
    trigger: Annotated[
        str, typer.Argument(help="The step (trigger) to take; 'case show' lists the steps possible now.")
    ],
    doc: DocOption,
    actor_id: ActorId,
    actor_role: ActorRole,
    actor_school: Annotated[
        str | None, typer.Option("--actor-school", help="The actor's school (default: the case's school).")
    ] = None,
    expected_version: Annotated[
        int | None,
        typer.Option("--expected-version", help="Refuse (exit 4) unless the case is still at this version."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Take a documented step on a case."""
    engine = _engine(as_json)
    document = _read_doc(doc, as_json)

    def work() -> None:
        unit, workflow = _unit_and_workflow(engine, case_ref)
        scope_language(engine, unit)
        words = use_words(engine, workflow)
        school = actor_school or (None if actor_role == "school_owner" else unit)
        actor = _actor(actor_id, actor_role, school, as_json)
        case = engine.fire(case_ref, trigger, document, actor, expected_version=expected_version)
        done = {"step": words.steps.get(trigger, trigger), "number": case.number}
        _show_written(engine, case, actor, _("%(step)s is documented in case %(number)s.") % done, as_json)

    _run(as_json, work)


def _unit_and_workflow(engine: Engine, case_ref: str) -> tuple[str, str]:
    """The unit and the workflow of a case, and nothing else of it (not a read of its content, like
    ``Engine.school_of``): which language to speak and which words name its steps."""
    with engine.uow() as uow:
        case = uow.cases.get(case_ref)
        return case.school, case.workflow


def _show_written(engine: Engine, written: Case, actor: Actor, header: str, as_json: bool) -> None:
    """Show the case after a step, as its writer may read it (a logged read); a writer the case is hidden
    from (a note by staff with no part in it) sees only that the step was documented."""
    from aktivitetsplikt.engine.errors import NotPermitted

    try:
        case = engine.get(written.id, actor=actor, read="json" if as_json else "show")
    except NotPermitted:
        if as_json:
            _print_json({"id": written.id, "number": written.number, "version": written.version})
        else:
            typer.echo(header)
        return
    if as_json:
        _print_json(engine.case_json(case))
    else:
        from aktivitetsplikt.engine.cli import views

        views.print_case(engine, case, header=header)


@case_app.command("show")
def case_show(
    case_ref: CaseRef,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """Show a case: its state, its deadlines and the whole timeline (a logged read)."""
    engine = _engine(as_json)
    reader = _reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        case = engine.get(case_ref, actor=reader, read="json" if as_json else "show")
        if as_json:
            _print_json(engine.case_json(case))
        else:
            scope_language(engine, case.school)
            from aktivitetsplikt.engine.cli import views

            views.print_case(engine, case)

    _run(as_json, work)


@case_app.command("verify")
def case_verify(
    case_ref: CaseRef,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """Check the case: its hash chain, every stored field, duty, message and party against its log, and
    the numbering of its unit's school year. Exit 0 when all hold, 1 when anything differs."""
    engine = _engine(as_json)
    reader = _reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        verdict = engine.verify(case_ref, actor=reader)
        if as_json:
            _print_json(verdict.to_json())
        else:
            from aktivitetsplikt.engine.cli.record_views import print_verdict

            print_verdict(verdict)
        if not verdict.intact:
            raise typer.Exit(1)

    _run(as_json, work)
