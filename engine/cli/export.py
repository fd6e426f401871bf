"""``aktivitetsplikt case export``: the whole documentation of one case (the dossier), as the workflow's
pack lays it out: for the supervising authority and the archive.

Registered on ``case`` when ``aktivitetsplikt.engine.cli`` imports this module. Like the rest of the CLI,
only typer and the standard library load here; the engine and jinja2 load when the command runs, so ``--help`` is quick.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from aktivitetsplikt.engine.cli import _app as cli
from aktivitetsplikt.engine.cli._app import CaseRef, ReaderId, ReaderRole, ReaderSchool, case_app

FORMATS = ("html", "json")
_PRIVATE = 0o600  # the export is confidential: a new file is readable by its owner only


@case_app.command("export")
def case_export(
    case_ref: CaseRef,
    fmt: Annotated[str, typer.Option("--format", help="html (one printable page) or json.")] = "html",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of standard output.", dir_okay=False)
    ] = None,
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
            _write(out, text, as_json)
            typer.echo(f"Dokumentasjonen av sak {case.number} er skrevet til {out}.", err=True)
        verdict = export.chain_verdict(case)
        if not verdict.intact:
            warning = (
                f"Advarsel: hendelsesloggen i sak {case.number} er brutt ved hendelse {verdict.broken_at}; "
                "det står i eksporten."
            )
            typer.echo(warning, err=True)

    cli._run(as_json, work)


def _write(path: Path, text: str, as_json: bool) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _PRIVATE)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        msg = f"Cannot write {path} ({exc.strerror}); give a file in a folder you can write to."
        cli._fail(msg, cli.EXIT_USAGE, as_json=as_json)
