"""``retention run``: every case past its workflow's retention handed to the archive, then erased.

For each case due (``Engine.due_for_erasure``), when its workflow's retention says ``archive`` (the
default), the dossier goes to ``[archive] folder`` first, as ``<number>.json`` and ``<number>.html``
(owner-only files), and only then is the case erased; the erasure event names the files. A case whose
archiving fails is not erased. ``dry_run`` lists what would happen and changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.engine.reports.files import private_folder, write_private

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.erasure import Due
    from aktivitetsplikt.engine.app.service import Engine

__all__ = ["RetentionStep", "archive_case", "run_retention"]


@dataclass(frozen=True)
class RetentionStep:
    """One case of a retention run: archived where, erased or (in a dry run) only due."""

    case_id: str
    number: str
    workflow: str
    archived: tuple[str, ...]
    erased: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "number": self.number,
            "workflow": self.workflow,
            "archived": list(self.archived),
            "erased": self.erased,
        }


def archive_case(engine: Engine, case_id: str, folder: Path) -> tuple[str, ...]:
    """Write the case's dossier (JSON and HTML) to ``folder``; returns the file names."""
    from aktivitetsplikt.engine.reports.export import export_json, render_html

    case = engine.archive_copy(case_id)
    name = _name(case.number)
    body = json.dumps(export_json(engine, case), ensure_ascii=False, indent=2, default=str) + "\n"
    private_folder(folder)
    written = (
        write_private(folder / f"{name}.json", body, force=True),  # an interrupted run's copy of the same case
        write_private(folder / f"{name}.html", render_html(engine, case), force=True),
    )
    return tuple(path.name for path in written)


def run_retention(engine: Engine, *, dry_run: bool = False) -> list[RetentionStep]:
    """Archive and erase every case past its retention, one case at a time (see the module docstring)."""
    rules = engine.retention()
    due = engine.due_for_erasure()
    folder = engine.settings.archive.folder
    if folder is None and not dry_run and any(rules[d.workflow].archive for d in due):
        workflow = next(d.workflow for d in due if rules[d.workflow].archive)
        msg = (
            f"Cases of {workflow} go to the archive before they are erased, and [archive] folder is not set; "
            f"set it, or set [retention.{workflow}] archive = false."
        )
        raise ConfigError(msg)
    if dry_run:
        return [_planned(d, rules[d.workflow].archive) for d in due]
    return [_step(engine, d, folder if rules[d.workflow].archive else None) for d in due]


def _name(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", number)


def _planned(due: Due, archive: bool) -> RetentionStep:
    planned = (f"{_name(due.number)}.json", f"{_name(due.number)}.html") if archive else ()
    return RetentionStep(due.case_id, due.number, due.workflow, planned, erased=False)


def _step(engine: Engine, due: Due, folder: Path | None) -> RetentionStep:
    archived = archive_case(engine, due.case_id, folder) if folder is not None else ()
    engine.erase_expired(due.case_id, archived=", ".join(archived) or None)
    return RetentionStep(due.case_id, due.number, due.workflow, archived, erased=True)
