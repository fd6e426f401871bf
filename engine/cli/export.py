"""``aktivitetsplikt case export``: the whole documentation of one case (the dossier), as the workflow's
pack lays it out: for the supervising authority and the archive.

Registered on ``case`` when ``aktivitetsplikt.engine.cli`` imports this module. Like the rest of the CLI,
only typer and the standard library load here; the engine and jinja2 load when the command runs, so ``--help`` is quick.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from aktivitetsplikt.engine.cli import _app as cli
from aktivitetsplikt.engine.cli._app import CaseRef, ForceOption, ReaderId, ReaderRole, ReaderSchool, case_app

FORMATS = ("html", "json")


@case_app.command("export")
def case_export(
    case_ref: CaseRef,
    fmt: Annotated[str, typer.Option("--format", help="html (one printable page) or json.")] = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write to this new file (owner-only, 0600) instead of standard output; an existing file or "
            "a symbolic link is refused without --force.",
            dir_okay=False,
        ),
    ] = None,
    force: ForceOption = False,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
) -> None:
    """Export the whole documentation of a case, for the supervising authority; confidential.

    One printable HTML page, or JSON: the facts, the timeline, every document, the duties and deadlines,
    the hash chain verdict and the access log. It contains the pupil reference and every free text.
    """
    if fmt not in FORMATS:
        cli._fail(f"--format must be 'html' or 'json', not '{fmt}'.", cli.EXIT_USAGE, as_json=False)
    as_json = fmt == "json"
    engine = cli._engine(as_json)
    reader = cli._reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        from aktivitetsplikt.engine.reports import export

        case = engine.get(case_ref, actor=reader, read="export")
        if as_json:
            text = json.dumps(export.export_json(engine, case), ensure_ascii=False, indent=2, default=str) + "\n"
        else:
            text = export.render_html(engine, case)
        if out is None:
            typer.echo(text, nl=False)
        else:
            _write(out, text, as_json, force)
            typer.echo(f"Dokumentasjonen av sak {case.number} er skrevet til {out}.", err=True)
        verdict = export.chain_verdict(case)
        if not verdict.intact:
            warning = (
                f"Advarsel: hendelsesloggen i sak {case.number} er brutt ved hendelse {verdict.broken_at}; "
                "det står i eksporten."
            )
            typer.echo(warning, err=True)

    cli._run(as_json, work)


def _write(path: Path, text: str, as_json: bool, force: bool) -> None:
    from aktivitetsplikt.engine.reports.files import write_private

    try:
        write_private(path, text, force=force)
    except OSError as exc:
        msg = f"Cannot write {path} ({exc.strerror}); give a file in a folder you can write to."
        cli._fail(msg, cli.EXIT_USAGE, as_json=as_json)
