"""``aktivitetsplikt case access-log ID``: every read of a case's content, who, when, what and how.

Registered on ``case`` when ``aktivitetsplikt.engine.cli`` imports this module; like the other command
modules it loads only typer here, the engine when the command runs. Reading the log is itself a read
of the case, and is logged like any other.
"""

from __future__ import annotations

from aktivitetsplikt.engine.cli import _app as cli
from aktivitetsplikt.engine.cli._app import CaseRef, JsonOption, ReaderId, ReaderRole, ReaderSchool, case_app


@case_app.command("access-log")
def case_access_log(
    case_ref: CaseRef,
    actor_id: ReaderId = None,
    actor_role: ReaderRole = None,
    actor_school: ReaderSchool = None,
    as_json: JsonOption = False,
) -> None:
    """Show who has read the case (the access log), oldest first, this read included."""
    engine = cli._engine(as_json)
    reader = cli._reader(engine, actor_id, actor_role, actor_school, as_json)

    def work() -> None:
        from aktivitetsplikt.engine.reports.export.access import log_json

        log = engine.access_log(case_ref, actor=reader)
        shown = log_json(engine, log)
        rows = shown["reads"]
        if as_json:
            cli._print_json(shown)
            return
        from datetime import datetime

        from rich.table import Table

        from aktivitetsplikt.engine.cli import views

        table = Table(title=f"Tilgangslogg for sak {log.number}", title_justify="left")
        for column in ("Tidspunkt", "Lest av", "Rolle", "Hva", "Hvordan"):
            table.add_column(column)
        for row in rows:
            at = views.when(engine, datetime.fromisoformat(row["at"]))
            table.add_row(at, row["actor_id"], row["role_label"], row["kind_label"], row["face_label"])
        views.console.print(table)

    cli._run(as_json, work)
