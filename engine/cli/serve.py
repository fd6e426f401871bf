"""``aktivitetsplikt serve`` (the HTTP service) and ``aktivitetsplikt dev-token`` (a token for it on a laptop).

Only typer loads here; FastAPI, uvicorn and PyJWT load when a command runs, so ``--help`` stays quick and
the library installs without the ``http`` extra.
"""

from __future__ import annotations

from typing import Annotated

import typer

from aktivitetsplikt.engine.cli._app import EXIT_CONFIG, ActorId, ActorRole, _fail, _run, _settings, app


def _needs_http_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import jwt  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        msg = f"The HTTP service needs the http extra ({exc.name} is missing); pip install 'aktivitetsplikt[http]'."
        _fail(msg, EXIT_CONFIG, as_json=False)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8000,
) -> None:
    """Run the HTTP service (OpenAPI at /openapi.json, docs at /docs) until stopped (SIGTERM/SIGINT)."""
    _needs_http_extra()
    from aktivitetsplikt.engine.cli.logs import configure_logging

    settings = _settings(False)
    configure_logging()

    def work() -> None:
        from aktivitetsplikt.engine.http.server import serve as run

        run(settings, host=host, port=port)

    _run(False, work)


@app.command("dev-token")
def dev_token(
    actor_id: ActorId,
    actor_role: ActorRole,
    school: Annotated[
        list[str] | None, typer.Option("--school", help="A unit the person belongs to (repeatable).")
    ] = None,
    minutes: Annotated[int, typer.Option("--minutes", min=1, max=24 * 60, help="How long the token is valid.")] = 60,
) -> None:
    """Print a bearer token for the service in development mode (http.auth mode = "development")."""
    _needs_http_extra()
    settings = _settings(False)

    def work() -> None:
        from aktivitetsplikt.engine.http.auth import dev_token as sign

        token = sign(settings.http.auth, actor_id=actor_id, role=actor_role, units=school or [], minutes=minutes)
        typer.echo(token)

    _run(False, work)
