"""Retention, erasure on request and confidential files, through the CLI as a subprocess (issue 11 items
4 and 5)."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import Engine, FixedClock, bootstrap, load_settings
from tests.conftest import HANDLER, PRINCIPAL, TEACHER, plan_doc, pupil_heard, report_doc
from tests.e2e.conftest import Cli

pytestmark = pytest.mark.e2e

OWNER = ("--actor-id", "skoleeier@kommune.example", "--actor-role", "school_owner")


def closed_in(engine: Engine, year: int) -> str:
    """A case reported and closed on 2 September of ``year`` (the engine's clock must be that day)."""

    def on(doc: dict[str, Any]) -> dict[str, Any]:
        dated: dict[str, Any] = json.loads(json.dumps(doc).replace("2026-09-", f"{year}-09-"))
        return dated

    case = engine.report(
        workflow="aktivitetsplikt", school="hellerud", pupil="elev-9001", document=on(report_doc()), actor=TEACHER
    )
    steps = [
        ("notify_principal", {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"}, TEACHER),
        ("start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, PRINCIPAL),
        (
            "conclude_investigation",
            {
                "pupil_heard": pupil_heard(),
                "others_heard": ["kontaktlærer"],
                "findings": "Funn.",
                "conclusion": "measures_needed",
            },
            HANDLER,
        ),
        ("adopt_plan", plan_doc(), HANDLER),
        ("close", {"reason": "Eleven er trygg.", "pupil_heard": pupil_heard(True)}, PRINCIPAL),
    ]
    for trigger, document, actor in steps:
        engine.fire(case.id, trigger, on(document), actor)
    return case.number


@pytest.fixture
def old_case(cli: Cli, config_file: Path) -> str:
    """A case closed in September 2022, stored on the CLI's database by the library."""
    engine = bootstrap(load_settings(config_file), clock=FixedClock(datetime(2022, 9, 2, 8, 0, tzinfo=UTC)))
    try:
        return closed_in(engine, 2022)
    finally:
        engine.uow.engine.dispose()  # type: ignore[attr-defined]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestRetentionRun:
    def test_a_dry_run_lists_and_changes_nothing(self, cli: Cli, old_case: str) -> None:
        """--dry-run names the case due and leaves it as it was."""
        listed = json.loads(cli("retention", "run", "--dry-run", "--json").stdout)

        assert [(old_case, False)] == [(c["number"], c["erased"]) for c in listed["cases"]]
        assert "elev-9001" == json.loads(cli("case", "show", old_case, "--json").stdout)["pupil"]

    def test_without_an_archive_folder_nothing_is_erased(self, cli: Cli, old_case: str) -> None:
        """The default hands the case to the archive first; with no folder configured, exit 5."""
        refused = cli("retention", "run", check=5)

        assert "[archive] folder" in refused.stderr
        assert "elev-9001" == json.loads(cli("case", "show", old_case, "--json").stdout)["pupil"]

    def test_the_case_is_archived_then_erased_and_still_verifies(self, cli: Cli, old_case: str, tmp_path: Path) -> None:
        """The dossier lands in the archive folder (owner-only), then the case is erased and verifies."""
        folder = tmp_path / "arkiv"
        env = {"AKTIVITETSPLIKT_ARCHIVE__FOLDER": str(folder)}

        ran = json.loads(cli("retention", "run", "--json", env=env).stdout)

        files = [folder / f"{old_case}.json", folder / f"{old_case}.html"]
        assert ([True], True) == ([c["erased"] for c in ran["cases"]], ran["compacted"])
        assert [0o600, 0o600] == [mode(f) for f in files]
        assert "Eleven er trygg." in files[0].read_text(encoding="utf-8")
        shown = json.loads(cli("case", "show", old_case, "--json").stdout)
        assert ("(slettet)", "erased") == (shown["pupil"], shown["events"][-1]["trigger"])
        assert "Eleven er trygg." not in json.dumps(shown)
        assert json.loads(cli("case", "verify", old_case, "--json").stdout)["intact"]
        assert [] == json.loads(cli("retention", "run", "--json", env=env).stdout)["cases"]


class TestCaseErase:
    def test_the_owner_erases_and_the_principal_is_refused(self, cli: Cli, old_case: str) -> None:
        """Only the owner decides an erasure on request; a refusal changes nothing."""
        principal = ("--actor-id", "rektor", "--actor-role", "principal", "--actor-school", "hellerud")
        cli("case", "erase", old_case, "--reason", "Feil elev.", *principal, check=1)
        assert "elev-9001" == json.loads(cli("case", "show", old_case, "--json").stdout)["pupil"]

        cli("case", "erase", old_case, "--reason", "Saken ble opprettet på feil elev.", *OWNER)

        shown = json.loads(cli("case", "show", old_case, "--json").stdout)
        assert ("(slettet)", "request") == (shown["pupil"], shown["events"][-1]["document"]["basis"])
        assert json.loads(cli("case", "verify", old_case, "--json").stdout)["intact"]


class TestConfidentialFiles:
    def test_a_new_database_and_its_wal_and_shm_are_owner_only(self, cli: Cli, config_file: Path) -> None:
        """The SQLite file the CLI creates is 0600, and so are the -wal and -shm SQLite keeps beside it
        while the database is open (checked in this process, whose connection keeps them)."""
        db = config_file.parent / "aktivitetsplikt.db"
        assert 0o600 == mode(db)
        engine = bootstrap(load_settings(config_file), clock=FixedClock(datetime(2022, 9, 2, 8, 0, tzinfo=UTC)))
        try:
            closed_in(engine, 2022)
            files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
            assert [0o600, 0o600, 0o600] == [mode(f) for f in files]
        finally:
            engine.uow.engine.dispose()  # type: ignore[attr-defined]

    def test_export_refuses_an_existing_file_or_a_link_without_force(
        self, cli: Cli, old_case: str, tmp_path: Path
    ) -> None:
        """An existing file or a symbolic link is refused (exit 2, untouched); --force replaces it,
        private, without writing through the link."""
        existing, target, link = tmp_path / "x.html", tmp_path / "target.txt", tmp_path / "link.html"
        existing.write_text("keep", encoding="utf-8")
        target.write_text("keep", encoding="utf-8")
        link.symlink_to(target)

        for path in (existing, link):
            refused = cli("case", "export", old_case, "--out", str(path), check=2)
            assert "--force" in refused.stderr
        assert ("keep", "keep") == (existing.read_text(encoding="utf-8"), target.read_text(encoding="utf-8"))

        cli("case", "export", old_case, "--out", str(link), "--force")
        cli("case", "export", old_case, "--out", str(tmp_path / "new.json"), "--format", "json")

        assert ("keep", False, 0o600) == (target.read_text(encoding="utf-8"), link.is_symlink(), mode(link))
        assert 0o600 == mode(tmp_path / "new.json")

    def test_audit_files_are_owner_only_and_not_overwritten(self, cli: Cli, old_case: str, tmp_path: Path) -> None:
        """The audit's files are 0600; a second run into the same folder needs --force."""
        out = tmp_path / "revisjon"
        cli("audit", "--school-year", "2022-2023", "--out", str(out))
        cli("audit", "--school-year", "2022-2023", "--out", str(out), check=2)
        cli("audit", "--school-year", "2022-2023", "--out", str(out), "--force")

        assert {0o600} == {mode(p) for p in out.iterdir()}
        assert os.path.exists(out / "audit.json")
