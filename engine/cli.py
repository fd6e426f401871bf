"""The ``aktivitetsplikt`` command line (spec section 8).

Heavy imports (SQLAlchemy, pydantic, the workflows) happen inside commands, so ``--help`` stays quick.
Exit codes: 0 ok, 1 refused by the rules, 2 usage, 3 not found, 4 conflict, 5 configuration or database.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from aktivitetsplikt.engine.model import Actor
    from aktivitetsplikt.engine.service import Engine
    from aktivitetsplikt.engine.settings import Settings

EXIT_USAGE = 2
EXIT_CONFIG = 5

app = typer.Typer(
    name="aktivitetsplikt",
    help="The duty to act (opplæringslova §§ 12-4 and 12-5): cases, deadlines and documentation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
case_app = typer.Typer(help="Open, move and inspect cases.", no_args_is_help=True)
workflow_app = typer.Typer(help="The workflows: list, diagram, documentation schema.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(workflow_app, name="workflow")
app.add_typer(db_app, name="db")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="config.toml to use (default ./config.toml, else $AKTIVITETSPLIKT_CONFIG, else built-in defaults).",
        envvar="AKTIVITETSPLIKT_CONFIG",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
ActorId = Annotated[str, typer.Option("--actor-id", help="Who acts: a staff ref.")]
ActorRole = Annotated[str, typer.Option("--actor-role", help="staff, case_handler, principal, deputy or school_owner.")]
DocOption = Annotated[str, typer.Option("--doc", help="The documentation as a JSON file; '-' reads standard input.")]


class _State:
    config: Path | None = None


_state = _State()


@app.callback()
def _main(config: ConfigOption = None) -> None:
    _state.config = config


# --- plumbing -------------------------------------------------------------------------------------------


def _fail(message: str, code: int, *, as_json: bool, error: str = "UsageError", fields: Any = None) -> NoReturn:
    if as_json:
        body: dict[str, Any] = {"error": error, "message": message}
        if fields is not None:
            body["fields"] = fields
        typer.echo(json.dumps(body, ensure_ascii=False), err=True)
    else:
        typer.echo(f"Feil: {message}" if code != 1 else f"Avvist: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _errors(as_json: bool) -> Iterator[None]:
    """Turn every expected failure into one sentence on stderr and the spec's exit code."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from aktivitetsplikt.engine.errors import AktivitetspliktError, DocumentationMissing

    try:
        yield
    except AktivitetspliktError as exc:
        fields = [f.to_json() for f in exc.fields] if isinstance(exc, DocumentationMissing) else None
        _fail(exc.message, exc.exit_code, as_json=as_json, error=type(exc).__name__, fields=fields)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "unreachable"
        msg = f"The database cannot be reached or used ({reason}); check database.url in the config."
        _fail(msg, EXIT_CONFIG, as_json=as_json, error="DatabaseError")
    except SQLAlchemyError as exc:
        msg = f"The database refused the operation ({type(exc).__name__}); run 'aktivitetsplikt db upgrade'."
        _fail(msg, EXIT_CONFIG, as_json=as_json, error="DatabaseError")


def _settings(as_json: bool) -> Settings:
    from aktivitetsplikt.engine.logs import configure_logging
    from aktivitetsplikt.engine.settings import load_settings

    configure_logging(level=logging.WARNING)  # people read tables; the daemon logs its steps

    with _errors(as_json):
        return load_settings(_state.config)
    raise AssertionError  # pragma: no cover - _errors either returns or exits


def _engine(as_json: bool) -> Engine:
    from aktivitetsplikt.engine.bootstrap import bootstrap

    settings = _settings(as_json)
    with _errors(as_json):
        return bootstrap(settings)
    raise AssertionError  # pragma: no cover


def _read_doc(path: str, as_json: bool) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        _fail(
            f"Cannot read the documentation file {path} ({exc.strerror}); give an existing JSON file.",
            EXIT_USAGE,
            as_json=as_json,
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(
            f"The documentation in {path} is not valid JSON (line {exc.lineno}: {exc.msg}); fix it.",
            EXIT_USAGE,
            as_json=as_json,
        )
    if not isinstance(data, dict):
        _fail(f"The documentation in {path} must be a JSON object of fields.", EXIT_USAGE, as_json=as_json)
    return data


def _actor(actor_id: str, role: str, school: str | None, as_json: bool) -> Actor:
    from aktivitetsplikt.engine.model import Actor

    try:
        return Actor(id=actor_id, role=role, school=school)  # type: ignore[arg-type]
    except ValueError as exc:
        _fail(str(exc), EXIT_USAGE, as_json=as_json)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _run(as_json: bool, work: Callable[[], None]) -> None:
    with _errors(as_json):
        work()


# --- db -------------------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(as_json: JsonOption = False) -> None:
    """Create or migrate the database schema to this version."""
    from aktivitetsplikt.engine.bootstrap import upgrade_database

    settings = _settings(as_json)

    def work() -> None:
        before, after = upgrade_database(settings)
        if as_json:
            _print_json({"before": before, "after": after})
        elif before == after:
            typer.echo(f"Databasen er allerede oppdatert (revisjon {after}).")
        else:
            typer.echo(f"Databasen er oppdatert fra {before or 'tom'} til revisjon {after}.")

    _run(as_json, work)


# --- cases ----------------------------------------------------------------------------------------------


@app.command("cases")
def cases(
    school: Annotated[str | None, typer.Option("--school", help="Only this school (its id in the config).")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only cases in this state, e.g. planning.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases with a deadline that has passed.")] = False,
    stuck: Annotated[
        bool, typer.Option("--stuck", help="Only cases escalated to the school owner and still not acted on.")
    ] = False,
    include_closed: Annotated[bool, typer.Option("--all", help="Closed cases too.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many, most urgent first.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """List cases, the most urgent first: overdue deadlines at the top, by how late they are."""
    engine = _engine(as_json)

    def work() -> None:
        found = engine.list_cases(
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
        from aktivitetsplikt.engine import views

        views.print_cases(engine, found, limit=limit, stuck=stuck)

    _run(as_json, work)


def _without_events(case: dict[str, Any]) -> dict[str, Any]:
    case.pop("events", None)
    return case


# --- case -----------------------------------------------------------------------------------------------


@case_app.command("report")
def case_report(
    workflow: Annotated[str, typer.Option("--workflow", help="aktivitetsplikt or skjerpa_aktivitetsplikt.")],
    school: Annotated[str, typer.Option("--school", help="The school id from [schools.*] in the config.")],
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

    def work() -> None:
        case = engine.report(workflow=workflow, school=school, pupil=pupil, document=document, actor=actor)
        if as_json:
            _print_json(engine.case_json(engine.get(case.id)))
        else:
            from aktivitetsplikt.engine import views

            views.print_case(engine, engine.get(case.id), header=f"Sak {case.number} er opprettet.")

    _run(as_json, work)


@case_app.command("fire")
def case_fire(
    case_ref: Annotated[str, typer.Argument(metavar="ID|NUMBER", help="The case's id or number.")],
    trigger: Annotated[str, typer.Argument(help="The step to take, e.g. notify_principal.")],
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
        school = actor_school or engine.get(case_ref, events=False).school
        actor = _actor(actor_id, actor_role, school, as_json)
        case = engine.fire(case_ref, trigger, document, actor, expected_version=expected_version)
        if as_json:
            _print_json(engine.case_json(engine.get(case.id)))
        else:
            from aktivitetsplikt.engine import views

            views.print_case(engine, engine.get(case.id), header=f"{trigger} er dokumentert i sak {case.number}.")

    _run(as_json, work)


@case_app.command("show")
def case_show(
    case_ref: Annotated[str, typer.Argument(metavar="ID|NUMBER", help="The case's id or number.")],
    as_json: JsonOption = False,
) -> None:
    """Show a case: its state, its deadlines and the whole timeline."""
    engine = _engine(as_json)

    def work() -> None:
        case = engine.get(case_ref)
        if as_json:
            _print_json(engine.case_json(case))
        else:
            from aktivitetsplikt.engine import views

            views.print_case(engine, case)

    _run(as_json, work)


@case_app.command("verify")
def case_verify(
    case_ref: Annotated[str, typer.Argument(metavar="ID|NUMBER", help="The case's id or number.")],
    as_json: JsonOption = False,
) -> None:
    """Check the case's hash chain: exit 0 when every event is as recorded, 1 when it is broken."""
    engine = _engine(as_json)

    def work() -> None:
        verdict = engine.verify(case_ref)
        if as_json:
            _print_json(verdict.to_json())
        elif verdict.intact:
            typer.echo(f"Kjeden er intakt: {verdict.events} hendelser er som de ble registrert.")
        else:
            typer.echo(f"Kjeden er brutt ved hendelse {verdict.broken_at}: {verdict.problem}.", err=True)
        if not verdict.intact:
            raise typer.Exit(1)

    _run(as_json, work)


# --- deadlines, messages, daemon ------------------------------------------------------------------


def _parse_now(value: str | None, as_json: bool) -> Any:
    from datetime import datetime

    from aktivitetsplikt.engine.documents import OSLO

    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(
            f"--now '{value}' is not an ISO 8601 date-time like 2026-09-04T08:00 (Oslo time).",
            EXIT_USAGE,
            as_json=as_json,
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=OSLO)


@app.command("sweep")
def sweep(
    now: Annotated[
        str | None,
        typer.Option("--now", help="Sweep as if it were this instant (ISO 8601; Oslo time without offset)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Run one sweep: queue every reminder and escalation that is due, then exit."""
    from aktivitetsplikt.engine.bootstrap import bootstrap
    from aktivitetsplikt.engine.clock import FixedClock, SystemClock

    at = _parse_now(now, as_json)
    settings = _settings(as_json)

    def work() -> None:
        engine = bootstrap(settings, clock=FixedClock(at) if at else SystemClock())
        steps = engine.sweep()
        if as_json:
            _print_json({"now": engine.clock.now().isoformat(), "queued": [s.to_json() for s in steps]})
            return
        from aktivitetsplikt.engine import views

        views.print_sweep(engine, steps)

    _run(as_json, work)


@app.command("dispatch")
def dispatch(as_json: JsonOption = False) -> None:
    """Send the messages waiting in the outbox once, then exit."""
    from aktivitetsplikt.notifiers import build_notifier

    engine = _engine(as_json)

    def work() -> None:
        report = engine.dispatcher(build_notifier(engine.settings)).dispatch()
        if as_json:
            _print_json(report.to_json())
        else:
            typer.echo(
                f"Sendt: {len(report.sent)}, prøves igjen senere: {len(report.retrying)}, "
                f"parkert som feilet: {len(report.failed)}."
            )

    _run(as_json, work)


outbox_app = typer.Typer(help="Messages waiting, sent and failed.", invoke_without_command=True)
app.add_typer(outbox_app, name="outbox")


@outbox_app.callback()
def outbox(
    ctx: typer.Context,
    failed: Annotated[bool, typer.Option("--failed", help="Only messages parked as failed.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 200,
    as_json: JsonOption = False,
) -> None:
    """List outbox messages (newest first); 'outbox retry ID' queues a failed one again."""
    if ctx.invoked_subcommand is not None:
        return
    engine = _engine(as_json)

    def work() -> None:
        messages = engine.outbox(status="failed" if failed else None, limit=limit)
        if as_json:
            _print_json([m.to_json() for m in messages])
            return
        from aktivitetsplikt.engine import views

        views.print_outbox(engine, messages)

    _run(as_json, work)


@outbox_app.command("retry")
def outbox_retry(
    message_id: Annotated[str, typer.Argument(help="The id of a failed message.")],
    as_json: JsonOption = False,
) -> None:
    """Queue a failed message again, with fresh attempts."""
    engine = _engine(as_json)

    def work() -> None:
        message = engine.retry_message(message_id)
        if as_json:
            _print_json(message.to_json())
        else:
            typer.echo(f"Meldingen {message.id} står i kø igjen (status {message.status}).")

    _run(as_json, work)


@app.command("daemon")
def daemon() -> None:
    """Run the escalation daemon: sweep deadlines and send the outbox until stopped (SIGTERM/SIGINT)."""
    from aktivitetsplikt.engine.bootstrap import bootstrap
    from aktivitetsplikt.engine.daemon import Daemon, sqlite_lock
    from aktivitetsplikt.engine.logs import configure_logging
    from aktivitetsplikt.notifiers import build_notifier

    settings = _settings(False)
    configure_logging()

    def work() -> None:
        lock = sqlite_lock(settings.database.url)
        try:
            engine = bootstrap(settings)
            Daemon(engine, build_notifier(settings)).run()
        finally:
            if lock is not None:
                lock.close()

    _run(False, work)


@app.command("demo")
def demo() -> None:
    """A guided tour on a throwaway database: cases, a simulated clock, escalations, stuck cases."""
    from aktivitetsplikt.engine import demo as tour
    from aktivitetsplikt.engine.logs import configure_logging

    configure_logging(level=logging.WARNING)

    def work() -> None:
        tour.run()

    _run(False, work)


# --- workflow -------------------------------------------------------------------------------------------


def _registry() -> Any:
    from aktivitetsplikt.engine.bootstrap import builtin_registry

    return builtin_registry()


@workflow_app.command("list")
def workflow_list(as_json: JsonOption = False) -> None:
    """List the workflows this engine knows."""
    specs = _registry().workflows()
    if as_json:
        _print_json([{"id": s.id, "version": s.version, "label": s.label, "legal_basis": s.legal_basis} for s in specs])
        return
    from aktivitetsplikt.engine import views

    views.print_workflows(specs)


@workflow_app.command("show")
def workflow_show(
    workflow: Annotated[str, typer.Argument(help="The workflow id.")],
    fmt: Annotated[str, typer.Option("--format", help="table or mermaid.")] = "table",
    as_json: JsonOption = False,
) -> None:
    """Show a workflow as a table of its steps or as a Mermaid state diagram."""
    from aktivitetsplikt.engine import diagram

    if fmt not in ("table", "mermaid"):
        _fail(f"--format must be 'table' or 'mermaid', not '{fmt}'.", EXIT_USAGE, as_json=as_json)

    def work() -> None:
        spec = _registry().spec(workflow)
        if fmt == "mermaid":
            typer.echo(diagram.mermaid(spec), nl=False)
        elif as_json:
            _print_json(diagram.rows(spec))
        else:
            from aktivitetsplikt.engine import views

            views.print_workflow(spec)

    _run(as_json, work)


@workflow_app.command("schema")
def workflow_schema(workflow: Annotated[str, typer.Argument(help="The workflow id.")]) -> None:
    """Print the JSON Schema of every trigger's documentation."""

    def work() -> None:
        _print_json(_registry().json_schema(workflow))

    _run(True, work)


import aktivitetsplikt.engine.cli_reports  # noqa: E402,F401 - registers audit and agenda
from aktivitetsplikt.engine import cli_export  # noqa: E402,F401 - registers case export


def main() -> None:
    app()


if __name__ == "__main__":
    main()
