"""Commands for deadlines, messages and the daemon: sweep, dispatch, outbox, daemon, demo."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer

from aktivitetsplikt.engine.cli._app import (
    EXIT_CONFIG,
    EXIT_USAGE,
    JsonOption,
    ReaderId,
    ReaderRole,
    ReaderSchool,
    _engine,
    _fail,
    _print_json,
    _reader,
    _run,
    _settings,
    app,
)
from aktivitetsplikt.engine.core.i18n import N_, _

# --- deadlines, messages, daemon ------------------------------------------------------------------


def _parse_now(value: str | None, as_json: bool) -> Any:
    from datetime import datetime

    from aktivitetsplikt.engine.core.documents import MAX_YEAR, MIN_YEAR, OSLO

    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        msg = N_("--now '%(value)s' is not an ISO 8601 date-time like 2026-09-04T08:00 (Oslo time).")
        _fail(msg, EXIT_USAGE, as_json=as_json, value=value)
    if not MIN_YEAR < parsed.year < MAX_YEAR:  # a year at the edge overflows when moved to UTC
        msg = N_("--now must lie between the years %(min)s and %(max)s.")
        _fail(msg, EXIT_USAGE, as_json=as_json, min=MIN_YEAR, max=MAX_YEAR)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=OSLO)


@app.command("sweep")
def sweep(
    now: Annotated[
        str | None,
        typer.Option("--now", help="Sweep as if it were this instant (ISO 8601; Oslo time without offset)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Run one sweep: queue every reminder and escalation that is due, then exit. With --now in the past,
    a case with events after that instant is left alone (history is never written backwards)."""
    from aktivitetsplikt.engine.app.clock import FixedClock, SystemClock
    from aktivitetsplikt.engine.bootstrap import bootstrap

    at = _parse_now(now, as_json)
    settings = _settings(as_json)

    def work() -> None:
        engine = bootstrap(settings, clock=FixedClock(at) if at else SystemClock(), face="cli")
        skipped: list[str] = []
        steps = engine.sweep(skipped)
        if as_json:
            queued = [s.to_json() for s in steps]
            _print_json({"now": engine.clock.now().isoformat(), "queued": queued, "skipped": skipped})
            return
        from aktivitetsplikt.engine.cli import views

        views.print_sweep(engine, steps)
        if skipped:
            typer.echo(
                f"Ikke rørt, fordi de har hendelser etter --now (loggen skrives aldri bakover): {', '.join(skipped)}."
            )

    _run(as_json, work)


@app.command("dispatch")
def dispatch(as_json: JsonOption = False) -> None:
    """Send the messages waiting in the outbox once, then exit."""
    from aktivitetsplikt.notifiers import build_notifier

    engine = _engine(as_json)

    def work() -> None:
        report = engine.dispatcher(build_notifier(engine.settings, engine.registry.words)).dispatch()
        if as_json:
            _print_json(report.to_json())
        else:
            counts = {"sent": len(report.sent), "retrying": len(report.retrying), "failed": len(report.failed)}
            typer.echo(
                _("Sent: %(sent)s, to be tried again later: %(retrying)s, parked as failed: %(failed)s.") % counts
            )

    _run(as_json, work)


outbox_app = typer.Typer(help="Messages waiting, sent and failed.", invoke_without_command=True)
app.add_typer(outbox_app, name="outbox")


@outbox_app.callback()
def outbox(
    ctx: typer.Context,
    failed: Annotated[bool, typer.Option("--failed", help="Only messages parked as failed.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 200,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """List the outbox messages of the cases the reader may see (newest first); 'outbox retry ID' queues a
    failed one again."""
    if ctx.invoked_subcommand is not None:
        return
    engine = _engine(as_json)
    reader = _reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        messages = engine.outbox(actor=reader, status="failed" if failed else None, limit=limit)
        if as_json:
            _print_json([m.to_json() for m in messages])
            return
        from aktivitetsplikt.engine.cli import views

        views.print_outbox(engine, messages)

    _run(as_json, work)


@outbox_app.command("retry")
def outbox_retry(
    message_id: Annotated[str, typer.Argument(help="The id of a failed message.")],
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """Queue a failed message again, with fresh attempts (as an IT admin, the principal, a deputy or the
    owner, for a case they may read)."""
    engine = _engine(as_json)
    actor = _reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        message = engine.retry_message(message_id, actor=actor)
        if as_json:
            _print_json(message.to_json())
        else:
            typer.echo(_("The message %(id)s is queued again.") % {"id": message.id})

    _run(as_json, work)


@app.command("daemon")
def daemon() -> None:
    """Run the escalation daemon: sweep deadlines and send the outbox until stopped (SIGTERM/SIGINT)."""
    from aktivitetsplikt.engine.bootstrap import bootstrap
    from aktivitetsplikt.engine.cli.logs import configure_logging
    from aktivitetsplikt.engine.daemon import Daemon, sqlite_lock
    from aktivitetsplikt.notifiers import build_notifier

    settings = _settings(False)
    configure_logging()

    observe = _daemon_metrics(settings)

    def work() -> None:
        lock = sqlite_lock(settings.database.url)
        try:
            from aktivitetsplikt.notifiers.checkpoint import checkpoint_webhook

            engine = bootstrap(settings, face="daemon")
            hook = checkpoint_webhook(settings)
            publish = hook.publish if hook is not None else None
            Daemon(engine, build_notifier(settings, engine.registry.words), observe, publish).run()
        finally:
            if lock is not None:
                lock.close()

    _run(False, work)


def _daemon_metrics(settings: Any) -> Any:
    """With ``[daemon] metrics_port``, serve the jobs' durations to Prometheus; else observe nothing."""
    port = settings.daemon.metrics_port
    if port is None:
        return None
    try:
        from aktivitetsplikt.engine.http.daemon_metrics import serve_job_metrics
    except ImportError:
        msg = N_("[daemon] metrics_port needs the http extra (prometheus-client); pip install 'aktivitetsplikt[http]'.")
        _fail(msg, EXIT_CONFIG, as_json=False)
    return serve_job_metrics(settings.daemon.metrics_host, port)


@app.command("demo")
def demo(
    name: Annotated[str, typer.Option("--tour", help="Which tour: skole (the default) or barnehage.")] = "skole",
) -> None:
    """A guided tour on a throwaway database: cases, a simulated clock, escalations, stuck cases."""
    from aktivitetsplikt.engine.cli import demo as tour
    from aktivitetsplikt.engine.cli.logs import configure_logging

    configure_logging(level=logging.WARNING)

    def work() -> None:
        tour.run(tour=name)

    _run(False, work)
