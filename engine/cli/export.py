"""``aktivitetsplikt case export``: the whole documentation of one case (the dossier), as the workflow's
pack lays it out: for the supervising authority and the archive (HTML, PDF/A or JSON).

Registered on ``case`` when ``aktivitetsplikt.engine.cli`` imports this module. Like the rest of the CLI,
only typer and the standard library load here; the engine and jinja2 load when the command runs, so ``--help`` is quick.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aktivitetsplikt.engine.cli import _app as cli
from aktivitetsplikt.engine.cli._app import CaseRef, ForceOption, ReaderId, ReaderRole, ReaderSchool, case_app
from aktivitetsplikt.engine.core import i18n

if TYPE_CHECKING:
    from aktivitetsplikt.engine.core.pack import Language

FORMATS = ("html", "json", "pdf")
LANGUAGES = ("nb", "nn")


@case_app.command("export")
def case_export(
    case_ref: CaseRef,
    fmt: Annotated[
        str, typer.Option("--format", help="html (one printable page), pdf (that page as PDF/A on A4) or json.")
    ] = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write to this new file (owner-only, 0600) instead of standard output; an existing file or "
            "a symbolic link is refused without --force.",
            dir_okay=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="The words of the page: nb (bokmål) or nn (nynorsk). Default: the global --lang, else the "
            "case's school's language.",
        ),
    ] = None,
    force: ForceOption = False,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
) -> None:
    """Export the whole documentation of a case, for the supervising authority and the archive; confidential.

    One printable HTML page, the same page as a PDF/A file (needs the "pdf" extra), or JSON: the facts,
    the timeline, every document, the duties and deadlines, the hash chain verdict and the access log.
    It contains the pupil reference and every free text.
    """
    if fmt not in FORMATS:
        cli._fail(f"--format must be 'html', 'pdf' or 'json', not '{fmt}'.", cli.EXIT_USAGE, as_json=False)
    if lang is not None and lang not in LANGUAGES:
        cli._fail(f"--lang must be 'nb' or 'nn', not '{lang}'.", cli.EXIT_USAGE, as_json=fmt == "json")
    as_json = fmt == "json"
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        cli._fail(
            "A PDF is not for the terminal: give --out FILE, or redirect standard output.",
            cli.EXIT_USAGE,
            as_json=False,
        )
    engine = cli._engine(as_json)
    reader = cli._reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        from aktivitetsplikt.engine.reports import export

        case = engine.get(case_ref, actor=reader, read="export")
        cli.scope_language(engine, case.school)
        language: Language = "nn" if (lang or i18n.current()) == "nn" else "nb"
        if as_json:
            data = export.export_json(engine, case, language)
            body = (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode()
        elif fmt == "pdf":
            body = export.render_pdf(engine, case, language)
        else:
            body = export.render_html(engine, case, language).encode()
        if out is None:
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
        else:
            _write(out, body, as_json, force)
            typer.echo(f"Dokumentasjonen av sak {case.number} er skrevet til {out}.", err=True)
        verdict = export.chain_verdict(case)
        if not verdict.intact:
            warning = (
                f"Advarsel: hendelsesloggen i sak {case.number} er brutt ved hendelse {verdict.broken_at}; "
                "det står i eksporten."
            )
            typer.echo(warning, err=True)

    cli._run(as_json, work)


def _write(path: Path, body: bytes, as_json: bool, force: bool) -> None:
    """Write the export to ``path``: a new file readable by its owner only; an existing file or a symlink
    only with ``force`` (replaced, never followed)."""
    from aktivitetsplikt.engine.reports.files import write_private

    try:
        write_private(path, body, force=force)
    except OSError as exc:
        msg = f"Cannot write {path} ({exc.strerror}); give a file in a folder you can write to."
        cli._fail(msg, cli.EXIT_USAGE, as_json=as_json)
