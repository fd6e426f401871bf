"""Commands that show the workflows: list, show (table or Mermaid), schema."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from aktivitetsplikt.engine.cli._app import (
    EXIT_USAGE,
    JsonOption,
    _fail,
    _print_json,
    _run,
    _settings,
    workflow_app,
)

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
    from aktivitetsplikt.engine.cli import views

    views.print_workflows(specs)


VersionOption = Annotated[
    str | None,
    typer.Option("--version", help="A version of the workflow (default: the one new cases start on)."),
]


def _version(workflow: str, version: str | None, as_json: bool) -> str | None:
    """The version asked for, else the one [versions] starts new cases on (None: the newest)."""
    return version if version is not None else _settings(as_json).versions.get(workflow)


@workflow_app.command("show")
def workflow_show(
    workflow: Annotated[str, typer.Argument(help="The workflow id.")],
    fmt: Annotated[str, typer.Option("--format", help="table or mermaid.")] = "table",
    version: VersionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a workflow as a table of its steps or as a Mermaid state diagram."""
    from aktivitetsplikt.engine.reports import diagram

    if fmt not in ("table", "mermaid"):
        _fail(f"--format must be 'table' or 'mermaid', not '{fmt}'.", EXIT_USAGE, as_json=as_json)

    def work() -> None:
        spec = _registry().spec(workflow, _version(workflow, version, as_json))
        if fmt == "mermaid":
            typer.echo(diagram.mermaid(spec), nl=False)
        elif as_json:
            _print_json(diagram.rows(spec))
        else:
            from aktivitetsplikt.engine.cli import views

            views.print_workflow(spec)

    _run(as_json, work)


@workflow_app.command("schema")
def workflow_schema(
    workflow: Annotated[str, typer.Argument(help="The workflow id.")], version: VersionOption = None
) -> None:
    """Print the JSON Schema of every trigger's documentation."""

    def work() -> None:
        _print_json(_registry().json_schema(workflow, _version(workflow, version, True)))

    _run(True, work)
