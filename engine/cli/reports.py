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

The CSV files are for Norwegian offices: semicolons (Norwegian Excel opens them as columns), headers in
the language of the call (bokmål or nynorsk), ``ja``/``nei`` and decimal commas. ``--machine-csv`` writes
them for tools instead: the JSON keys as headers, commas, values as in the JSON (the format before 0.2).
"""

from __future__ import annotations

import csv
import io
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
from aktivitetsplikt.engine.cli._app import ForceOption, ReaderId, ReaderRole, ReaderSchool, app
from aktivitetsplikt.engine.core.i18n import N_, _

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
SchoolOption = Annotated[str | None, typer.Option("--school", help="Only this school (its id in the config).")]

SCHOOL_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")
PROGRESS_FROM = 500
"""Show a progress bar (on a terminal) from this many cases."""
FINDINGS_SHOWN = 50
# Column words for every workflow: a report may hold schools' and kindergartens' cases side by side, so
# the person the case is about, the owner and the counted day are named by what they are, not by a law.
CHECKS = {
    "steps": N_("Steps"),
    "deadlines": N_("Deadline"),
    "pupil_heard": N_("Own voice"),
    "school_owner": N_("Owner"),
    "chain": N_("Log"),
}
CSV_ENCODING = "utf-8-sig"
HEADERS = {
    "school": N_("Unit"),
    "school_name": N_("Unit name"),
    "cases": N_("Cases"),
    "cases_with_findings": N_("Cases with findings"),
    "steps_documented": N_("Steps documented"),
    "steps_required": N_("Steps required"),
    "deadlines_met": N_("Deadlines met"),
    "deadlines_counted": N_("Deadlines counted"),
    "late_median_school_days": N_("Delay, median (days)"),
    "late_max_school_days": N_("Delay, max (days)"),
    "pupil_heard": N_("Own voice heard"),
    "pupil_heard_occasions": N_("Occasions to be heard"),
    "school_owner_notified": N_("Owner notified"),
    "school_owner_required": N_("Owner to be notified"),
    "chains_intact": N_("Logs intact"),
    "chains": N_("Logs"),
    "cases_closed_apart": N_("Closed on other grounds"),
    "number": N_("Case"),
    "case_id": N_("Case id"),
    "school_year": N_("School year"),
    "workflow": N_("Workflow"),
    "state": N_("State"),
    "serious": N_("Serious"),
    "findings": N_("Findings"),
    "finding_codes": N_("Finding codes"),
    "chain_intact": N_("Log intact"),
    "closed_apart": N_("Closed on other grounds"),
    "reads_without_role": N_("Reads without a role"),
    "check": N_("Check"),
    "code": N_("Code"),
    "label": N_("Finding"),
    "detail": N_("Detail"),
}
"""The Norwegian CSV headers of the audit files' fields (the JSON keys stay as they are)."""


# --- audit ------------------------------------------------------------------------------------------------


@app.command("audit")
def audit(
    school_year: Annotated[str, typer.Option("--school-year", help="The school year, e.g. 2025-2026.")],
    school: SchoolOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write JSON and CSV files (owner-only) to this folder.", file_okay=False),
    ] = None,
    force: ForceOption = False,
    reads: Annotated[
        bool, typer.Option("--reads", help="Also list reads of each case by people with no role in it.")
    ] = False,
    machine_csv: Annotated[
        bool,
        typer.Option(
            "--machine-csv",
            help="With --out: CSV for tools (the JSON keys as headers, commas) instead of for Norwegian Excel.",
        ),
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
        msg = N_("--school-year '%(year)s' is not a school year; write it like 2025-2026.")
        cli._fail(msg, cli.EXIT_USAGE, as_json=as_json, year=school_year)
    engine = cli._engine(as_json)
    reader = cli._reader(engine, actor_id, actor_role, actor_school, as_json)
    cli.scope_language(engine, school or actor_school)

    def work() -> None:
        report = _run_audit(engine, school_year, school, reader, reads)
        written = _write_or_fail(report, out, as_json, machine_csv, force) if out is not None else []
        counts = {"with": report.cases_with_findings, "cases": len(report.cases)}
        counted = _("%(with)s of %(cases)s cases have findings.") % counts
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
                typer.echo(_("Wrote %(files)s files to %(folder)s.") % {"files": len(written), "folder": out})

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

    columns = (TextColumn(_("Auditing cases")), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("audit", total=total)
        advance = lambda _: progress.advance(task)  # noqa: E731 - a one-line callback
        return audit_school_year(engine, school_year, school, actor=reader, reads=reads, on_case=advance)


def _write_or_fail(
    report: AuditReport, folder: Path, as_json: bool, machine: bool = False, force: bool = False
) -> list[Path]:
    try:
        return write_audit(report, folder, machine=machine, force=force)
    except OSError as exc:
        msg = N_("Cannot write the audit to %(folder)s (%(reason)s); give a folder you can write to.")
        cli._fail(msg, cli.EXIT_USAGE, as_json=as_json, folder=folder, reason=exc.strerror or exc)
    raise AssertionError  # pragma: no cover - _fail exits


def write_audit(report: AuditReport, folder: Path, *, machine: bool = False, force: bool = False) -> list[Path]:
    """Write the audit's files (see the module docstring) into ``folder``, each private (0600); returns
    the paths written. ``machine``: the CSV files for tools rather than for Norwegian offices. Without
    ``force`` a file that exists already refuses the whole audit, unwritten."""
    from aktivitetsplikt.engine.reports.audit import CSV_FIELDS, SUMMARY_FIELDS
    from aktivitetsplikt.engine.reports.files import private_folder, refuse_existing, write_private

    csv_file = _csv if machine else _office_csv
    files: dict[Path, str | bytes] = {
        folder / "audit.json": _json(report.to_json()),
        folder / "audit-summary.csv": csv_file(SUMMARY_FIELDS, (s.csv_row() for s in report.schools)),
        folder / "audit-cases.csv": csv_file(CSV_FIELDS, (a.csv_row() for a in report.cases)),
        folder / "audit-findings.csv": csv_file(FINDING_FIELDS, _finding_rows(report)),
    }
    for case in report.cases:
        files[folder / f"{_file_name(case.number)}.json"] = _json(case.to_json())
    private_folder(folder)
    if not force:
        refuse_existing(list(files))
    return [write_private(path, content, force=force) for path, content in files.items()]


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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _csv(fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> bytes:
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return handle.getvalue().encode(CSV_ENCODING)


def _office_csv(fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> bytes:
    """CSV for Norwegian Excel: semicolons, headers in the current language, ja/nei, decimal commas."""
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, delimiter=";")
    writer.writerow([_(HEADERS[f]) if f in HEADERS else f for f in fields])
    writer.writerows([_office_value(row.get(f)) for f in fields] for row in rows)
    return handle.getvalue().encode(CSV_ENCODING)


def _office_value(value: Any) -> Any:
    if isinstance(value, bool) or value in ("true", "false"):  # csv_row writes booleans as JSON does
        return _("yes") if value in (True, "true") else _("no")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return "" if value is None else value


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
    title = _("Internal audit, school year %(year)s") % {"year": report.school_year} + where
    if not report.cases:
        console.print(_("%(title)s: no cases.") % {"title": title})
        return
    table = Table(title=title, title_justify="left")
    for column in (_("Unit"), _("Cases"), _("With findings"), _("Steps documented"), _("Deadlines met")):
        table.add_column(column)
    for column in (_("Delay*"), _("Own voice heard"), _("Owner notified"), _("Log intact")):
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
    console.print(_("* Delay: median / max days on the unit's calendar, for deadlines met late or overdue."))
    apart = [(a.number, a.closed_apart) for a in report.cases if a.closed_apart is not None]
    if apart:
        # Not findings: closings the workflow lists apart, for the auditor to look at on their own.
        listed = ", ".join(f"{number} ({escape(name)})" for number, name in apart)
        console.print(_("Closed on other grounds: %(cases)s") % {"cases": listed})
    _print_findings(console, report)


def _print_findings(console: Console, report: AuditReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    rows = [(a.number, f) for a in report.cases for f in a.findings]
    if not rows:
        return
    table = Table(title=_("Findings"), title_justify="left")
    for column in (_("Case"), _("Check"), _("Finding")):
        table.add_column(column)
    for number, finding in rows[:FINDINGS_SHOWN]:
        check = _(CHECKS[finding.check]) if finding.check in CHECKS else finding.check
        table.add_row(number, check, escape(finding.label))
    console.print(table)
    if len(rows) > FINDINGS_SHOWN:
        shown = {"shown": FINDINGS_SHOWN, "all": len(rows)}
        console.print(
            _("Showing %(shown)s of %(all)s findings; all are in --json and in the files from --out.") % shown
        )
