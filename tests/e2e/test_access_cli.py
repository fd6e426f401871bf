"""The CLI acts as someone (issue 10): read commands take --actor-*, or read as the OS user's IT admin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import OS_USER
from tests.e2e.conftest import Cli
from tests.e2e.test_cli import report

pytestmark = pytest.mark.e2e

IMPOSTOR = ("--actor-id", "t-17", "--actor-role", "principal", "--actor-school", "hellerud")


class TestReadingFromTheCommandLine:
    def test_reads_are_scoped_checked_and_logged_with_the_face(self, cli: Cli, tmp_path: Path) -> None:
        """A principal id that is not the configured one is refused (exit 1); without options the OS user
        reads as IT admin; the access log shows both readers, through the command line."""
        number = report(cli, tmp_path)["number"]

        refused = cli("case", "show", number, *IMPOSTOR, check=1)
        cli("cases", "--json")
        log = json.loads(cli("case", "access-log", number, "--json").stdout)

        assert "t-17 is not the principal configured for school 'hellerud'" in refused.stderr
        expected = [
            ("t-17", "staff", "json", "kommandolinje"),
            (OS_USER, "it_admin", "list", "kommandolinje"),
            (OS_USER, "it_admin", "access_log", "kommandolinje"),
        ]
        assert expected == [(r["actor_id"], r["actor_role"], r["kind"], r["face_label"]) for r in log["reads"]]

    def test_an_os_user_who_is_no_it_admin_must_say_who_reads(self, cli: Cli) -> None:
        """Without --actor-* options and without the OS user under [access] it_admins, nothing is read."""
        refused = cli("agenda", env={"AKTIVITETSPLIKT_ACCESS__IT_ADMINS": '["someone-else"]'}, check=1)

        assert f"leser kommandoen som IT-ansvarlig «{OS_USER}» (brukeren i operativsystemet)" in refused.stderr
