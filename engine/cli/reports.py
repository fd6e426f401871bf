"""The ``audit`` command (spec sections 7 and 8), registered on the ``aktivitetsplikt`` app (``agenda.py``
has the agenda).

It uses the shared helpers of ``cli._app`` (``_engine``, ``_run``, ``_print_json``) and, like the other
command modules, imports only typer and the standard library at module level, so ``--help`` stays
quick. Tables for people are in bokmål; JSON keys are English.

``audit --out DIR`` writes:

- ``audit.json``: the whole audit (the summaries and every case with its findings), as ``--json`` prints;
- ``audit-summary.csv``: one row per school;
- ``<number>.json``: one file per case (its audit, as in ``audit.json``), to attach to that case's record;
- ``audit-cases.csv``: one row per case, and ``audit-findings.csv``: one row per finding.

One CSV per case was left out on purpose: a case's audit is one flat row, and a thousand one-row files
are useless in a spreadsheet, where the auditor filters a single sheet by school, state or finding
code instead. The CSV files are UTF-8 with a byte order mark, so Excel shows æ, ø and å correctly.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.model import Actor
    from aktivitetsplikt.engine.reports.audit import AuditReport


from aktivitetsplikt.engine.cli import _app as cli
from aktivitetsplikt.engine.cli._app import ReaderId, ReaderRole, ReaderSchool, app

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
SchoolOption = Annotated[str | None, typer.Option("--school", help="Only this school (its id in the config).")]

SCHOOL_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")
PROGRESS_FROM = 500
"""Show a progress bar (on a terminal) from this many cases."""
FINDINGS_SHOWN = 50
# Column words for every workflow: a report may hold schools' and kindergartens' cases side by side, so
# the person the case is about, the owner and the counted day are named by what they are, not by a law.
CHECKS = {
    "steps": "Steg",
    "deadlines": "Frist",
    "pupil_heard": "Egen stemme",
    "school_owner": "Eier",
    "chain": "Logg",
}
CSV_ENCODING = "utf-8-sig"


# --- audit ------------------------------------------------------------------------------------------------


@app.command("audit")
def audit(
    school_year: Annotated[str, typer.Option("--school-year", help="The school year, e.g. 2025-2026.")],
    school: SchoolOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write JSON and CSV files to this folder.", file_okay=False),
    ] = None,
    reads: Annotated[
        bool, typer.Option("--reads", help="Also list reads of each case by people with no role in it.")
    ] = False,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """Internal audit (internrevisjon) of every case of a school year the reader may see. Exit 0 even with
    findings."""
    match = SCHOOL_YEAR.fullmatch(school_year)
    if match is None or int(match[2]) != int(match[1]) + 1:
        msg = f"--school-year '{school_year}' is not a school year; write it like 2025-2026."
        cli._fail(msg, cli.EXIT_USAGE, as_json=as_json)
    engine = cli._engine(as_json)
    reader = cli._reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        report = _run_audit(engine, school_year, school, reader, reads)
        written = _write_or_fail(report, out, as_json) if out is not None else []
        counted = f"{report.cases_with_findings} av {len(report.cases)} saker har avvik."
        if report.numbering:
            missing = [n.number for n in report.numbering if n.code == "missing"]
            counted += f" Saksnumre som mangler: {', '.join(missing) or 'ingen'}; brukt to ganger: " + (
                ", ".join(n.number for n in report.numbering if n.code == "duplicate") or "ingen"
            )
        if as_json:
            cli._print_json(report.to_json())
            typer.echo(counted, err=True)
        else:
            _print_audit(engine, report)
            typer.echo(counted)
            if out is not None:
                typer.echo(f"Skrev {len(written)} filer til {out}.")

    cli._run(as_json, work)


def _run_audit(engine: Engine, school_year: str, school: str | None, reader: Actor, reads: bool) -> AuditReport:
    from aktivitetsplikt.engine.reports.audit import audit_school_year, count_audit_cases

    if not sys.stderr.isatty():
        return audit_school_year(engine, school_year, school, actor=reader, reads=reads)
    total = count_audit_cases(engine, school_year, school, actor=reader)
    if total < PROGRESS_FROM:
        return audit_school_year(engine, school_year, school, actor=reader, reads=reads)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("Reviderer saker"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("audit", total=total)
        advance = lambda _: progress.advance(task)  # noqa: E731 - a one-line callback
        return audit_school_year(engine, school_year, school, actor=reader, reads=reads, on_case=advance)


def _write_or_fail(report: AuditReport, folder: Path, as_json: bool) -> list[Path]:
    try:
        return write_audit(report, folder)
    except OSError as exc:
        msg = f"Cannot write the audit to {folder} ({exc.strerror or exc}); give a folder you can write to."
        cli._fail(msg, cli.EXIT_USAGE, as_json=as_json)
    raise AssertionError  # pragma: no cover - _fail exits


def write_audit(report: AuditReport, folder: Path) -> list[Path]:
    """Write the audit's files (see the module docstring) into ``folder``; returns the paths written."""
    from aktivitetsplikt.engine.reports.audit import CSV_FIELDS, SUMMARY_FIELDS

    folder.mkdir(parents=True, exist_ok=True)
    written = [
        _write_json(folder / "audit.json", report.to_json()),
        _write_csv(folder / "audit-summary.csv", SUMMARY_FIELDS, (s.csv_row() for s in report.schools)),
        _write_csv(folder / "audit-cases.csv", CSV_FIELDS, (a.csv_row() for a in report.cases)),
        _write_csv(folder / "audit-findings.csv", FINDING_FIELDS, _finding_rows(report)),
    ]
    for case in report.cases:
        written.append(_write_json(folder / f"{_file_name(case.number)}.json", case.to_json()))
    return written


FINDING_FIELDS = ("number", "case_id", "school", "check", "code", "label", "detail")


def _finding_rows(report: AuditReport) -> Iterable[dict[str, Any]]:
    for case in report.cases:
        for finding in case.findings:
            yield {
                "number": case.number,
                "case_id": case.case_id,
                "school": case.school,
                "check": finding.check,
                "code": finding.code,
                "label": finding.label,
                "detail": json.dumps(finding.detail, ensure_ascii=False, sort_keys=True),
            }


def _file_name(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", number)


def _write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _write_csv(path: Path, fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False)
    # Piped or captured output gets room for the whole table rather than rich's 80 columns.
    return console if console.is_terminal else Console(highlight=False, width=160)


def _print_audit(engine: Engine, report: AuditReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    where = f", {engine.settings.units()[report.school].name}" if report.school in engine.settings.units() else ""
    title = f"Internrevisjon skoleåret {report.school_year}{where}"
    if not report.cases:
        console.print(f"{title}: ingen saker.")
        return
    table = Table(title=title, title_justify="left")
    for column in ("Skole", "Saker", "Med avvik", "Steg dokumentert", "Frister holdt", "Forsinkelse*"):
        table.add_column(column)
    for column in ("Egen stemme hørt", "Eier varslet", "Logg intakt"):
        table.add_column(column)
    for s in report.schools:
        late = "-" if s.late_max is None else f"{s.late_median:g} / {s.late_max}".replace(".", ",")
        table.add_row(
            escape(s.name),
            str(s.cases),
            str(s.cases_with_findings),
            s.steps.shown(),
            s.deadlines.shown(),
            late,
            s.pupil_heard.shown(),
            s.school_owner.shown(),
            s.chains.shown(),
        )
    console.print(table)
    console.print(
        "* Forsinkelse: median / maks dager etter enhetens kalender, for frister holdt for sent eller på overtid."
    )
    apart = [(a.number, a.closed_apart) for a in report.cases if a.closed_apart is not None]
    if apart:
        # Not findings: closings the workflow lists apart, for the auditor to look at on their own.
        listed = ", ".join(f"{number} ({escape(name)})" for number, name in apart)
        console.print(f"Avsluttet på annet grunnlag: {listed}")
    _print_findings(console, report)


def _print_findings(console: Console, report: AuditReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    rows = [(a.number, f) for a in report.cases for f in a.findings]
    if not rows:
        return
    table = Table(title="Avvik", title_justify="left")
    for column in ("Sak", "Kontroll", "Avvik"):
        table.add_column(column)
    for number, finding in rows[:FINDINGS_SHOWN]:
        table.add_row(number, CHECKS.get(finding.check, finding.check), escape(finding.label))
    console.print(table)
    if len(rows) > FINDINGS_SHOWN:
        console.print(f"Viser {FINDINGS_SHOWN} av {len(rows)} avvik; alle står i --json og i filene fra --out.")
