"""Bad input at the CLI gets a typed answer with the documented exit code, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import report_doc
from tests.e2e.conftest import Cli, run_cli, write_doc

pytestmark = pytest.mark.e2e

REPORT = ("case", "report", "--workflow", "aktivitetsplikt", "--school", "hellerud", "--pupil", "elev-1")
STAFF = ("--actor-id", "t-17", "--actor-role", "staff")


def refused(result_stderr: str) -> dict[str, object]:
    """The JSON refusal on stderr; a traceback would not parse."""
    assert "Traceback" not in result_stderr
    body: dict[str, object] = json.loads(result_stderr)
    return body


class TestDocumentFiles:
    def test_an_endless_file_is_read_only_up_to_the_bound(self, cli: Cli) -> None:
        """--doc /dev/zero stops at the size bound: exit 2, not a MemoryError."""
        result = cli(*REPORT, "--doc", "/dev/zero", *STAFF, "--json", check=2)
        assert "larger than 1024 KiB" in str(refused(result.stderr)["message"])

    def test_deeply_nested_json_is_refused(self, cli: Cli, tmp_path: Path) -> None:
        """JSON nested 100,000 deep: exit 2, not a RecursionError."""
        path = tmp_path / "deep.json"
        path.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
        result = cli(*REPORT, "--doc", str(path), *STAFF, "--json", check=2)
        assert "nests objects or lists too deeply" in str(refused(result.stderr)["message"])

    def test_latin1_bytes_are_refused_as_not_utf8(self, cli: Cli, tmp_path: Path) -> None:
        """A file saved as Latin-1: exit 2 with what to do, not a UnicodeDecodeError."""
        path = tmp_path / "latin1.json"
        path.write_bytes(json.dumps(report_doc(description="Utestengt i friminuttene, også på vårparty.")).encode())
        path.write_bytes(path.read_bytes().replace(b"\\u00e5", "å".encode("latin-1")))
        result = cli(*REPORT, "--doc", str(path), *STAFF, "--json", check=2)
        assert "is not UTF-8 text; save it as UTF-8" in str(refused(result.stderr)["message"])


class TestArguments:
    def test_a_now_at_the_edge_of_time_is_refused(self, cli: Cli) -> None:
        """sweep --now 0001-01-01T00:00: exit 2, not an OverflowError."""
        result = cli("sweep", "--now", "0001-01-01T00:00", "--json", check=2)
        assert "--now must lie between the years 1900 and 2200" in str(refused(result.stderr)["message"])

    def test_a_pupil_ref_with_control_characters_is_refused_without_echo(self, cli: Cli, tmp_path: Path) -> None:
        """A pupil ref with ESC is refused (exit 2), and the refusal does not repeat it."""
        doc = write_doc(tmp_path, "report", report_doc())
        args = ("case", "report", "--workflow", "aktivitetsplikt", "--school", "hellerud")
        result = cli(*args, "--pupil", "elev\x1b[31m-hemmelig", "--doc", doc, *STAFF, "--json", check=2)
        body = refused(result.stderr)
        assert ("InvalidInput", False) == (body["error"], "hemmelig" in result.stderr)

    def test_an_unknown_workflow_is_not_found(self, cli: Cli, tmp_path: Path) -> None:
        """An unknown workflow id is a lookup that failed: exit 3, like an unknown case."""
        doc = write_doc(tmp_path, "report", report_doc())
        args = ("case", "report", "--workflow", "mobbeombud", "--school", "hellerud", "--pupil", "p")
        result = cli(*args, "--doc", doc, *STAFF, "--json", check=3)
        assert "WorkflowNotFound" == refused(result.stderr)["error"]


class TestConfiguration:
    def test_a_database_url_with_a_bad_port_is_a_config_error_without_its_password(self, config_file: Path) -> None:
        """A non-numeric port: exit 5 naming the problem, the password masked; not a ValueError."""
        url = "postgresql+psycopg://aktivitetsplikt:hemmelig@db.example:54x2/aktivitetsplikt"
        result = run_cli(config_file, "cases", "--json", env={"AKTIVITETSPLIKT_DATABASE__URL": url}, check=5)
        body = refused(result.stderr)
        assert ("ConfigError", False) == (body["error"], "hemmelig" in result.stderr)
        assert "is not a database URL" in str(body["message"])

    def test_db_upgrade_names_the_database_it_touched(self, config_file: Path) -> None:
        """Issue 12: `db upgrade` says which database it migrated (in words and in --json)."""
        database = str(config_file.parent / "aktivitetsplikt.db")

        first = run_cli(config_file, "db", "upgrade")
        again = run_cli(config_file, "db", "upgrade", "--json")

        assert f"Databasen sqlite:///{database} er oppdatert fra tom til revisjon" in first.stdout
        assert f"sqlite:///{database}" == json.loads(again.stdout)["database"]
