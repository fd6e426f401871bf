"""The CLI as a subprocess on a real SQLite file: the happy path, every exit code, the JSON shapes."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli, run_cli, write_doc

pytestmark = pytest.mark.e2e

CASE_KEYS = {
    "id",
    "number",
    "workflow",
    "workflow_version",
    "school",
    "pupil",
    "state",
    "version",
    "serious",
    "responsible",
    "opened_at",
    "closed_at",
    "obligations",
    "events",
    "allowed_triggers",
    "school_year",
}
EVENT_KEYS = {
    "seq",
    "at",
    "occurred_at",
    "actor_id",
    "actor_role",
    "trigger",
    "from_state",
    "to_state",
    "document",
    "hash",
}
OBLIGATION_KEYS = {"kind", "due_at", "satisfied_at", "escalation_level", "overdue"}


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat(timespec="seconds")


def ahead(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat(timespec="seconds")


def report(cli: Cli, tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    doc = {
        "source": "pupil",
        "occurred_at": ago(hours=3),
        "description": "Hemmelig fritekst om eleven.",
        "kinds": ["bullying"],
    } | overrides
    result = cli(
        "case",
        "report",
        "--workflow",
        "aktivitetsplikt",
        "--school",
        "hellerud",
        "--pupil",
        "elev-4711",
        "--doc",
        write_doc(tmp_path, "report", doc),
        "--actor-id",
        "t-17",
        "--actor-role",
        "staff",
        "--json",
    )
    return json.loads(result.stdout)


def fire(
    cli: Cli,
    case: str,
    trigger: str,
    doc: dict[str, Any],
    actor: str,
    role: str,
    *extra: str,
    check: int | None = 0,
) -> Any:
    return cli(
        "case",
        "fire",
        case,
        trigger,
        "--doc",
        "-",
        "--actor-id",
        actor,
        "--actor-role",
        role,
        "--json",
        *extra,
        stdin=json.dumps(doc),
        check=check,
    )


def heard(safe: bool) -> dict[str, Any]:
    return {"at": ago(hours=1), "feels_safe": safe, "views": "Eleven vil ha voksne i friminuttene."}


class TestHappyPath:
    def test_case_from_report_to_closed(self, cli: Cli, tmp_path: Path) -> None:
        """Every step of § 12-4 through the CLI, with the JSON shape of spec section 11."""
        case = report(cli, tmp_path)
        assert CASE_KEYS == set(case)
        assert "reported" == case["state"]
        number = case["number"]
        fire(
            cli,
            number,
            "notify_principal",
            {"notified_at": ago(hours=2), "channel": "muntlig", "summary": "Melding."},
            "t-17",
            "staff",
        )
        fire(
            cli,
            number,
            "start_investigation",
            {"responsible": "t-18", "plan": "Samtaler."},
            "rektor",
            "principal",
        )
        fire(
            cli,
            number,
            "conclude_investigation",
            {
                "pupil_heard": heard(False),
                "others_heard": ["lærer"],
                "findings": "Funn.",
                "conclusion": "measures_needed",
            },
            "t-18",
            "case_handler",
        )
        fire(
            cli,
            number,
            "adopt_plan",
            {
                "problem": "Problem.",
                "measures": [{"description": "Tiltak", "when": "Daglig", "responsible": "t-18"}],
                "evaluation_at": ahead(days=14),
                "pupil_participation": "Eleven deltok.",
            },
            "t-18",
            "case_handler",
        )
        done = json.loads(
            fire(
                cli,
                case["id"],
                "close",
                {"reason": "Trygg.", "pupil_heard": heard(True)},
                "rektor",
                "principal",
            ).stdout
        )
        assert "closed" == done["state"]
        assert 6 == done["version"]
        assert EVENT_KEYS == set(done["events"][0])
        assert OBLIGATION_KEYS == set(done["obligations"][0])
        assert all(o["satisfied_at"] for o in done["obligations"])
        assert [
            "report",
            "notify_principal",
            "start_investigation",
            "conclude_investigation",
            "adopt_plan",
            "close",
        ] == [e["trigger"] for e in done["events"]]

        shown = cli("case", "show", number)
        assert "Avsluttet" in shown.stdout
        assert "Tidslinje" in shown.stdout
        verified = cli("case", "verify", number)
        assert "intakt" in verified.stdout

    def test_workflow_commands(self, cli: Cli) -> None:
        """workflow list, show (table, mermaid, json) and schema answer for both workflows."""
        listed = json.loads(cli("workflow", "list", "--json").stdout)
        expected = [
            "aktivitetsplikt",
            "barnehage_aktivitetsplikt",
            "skjerpa_aktivitetsplikt",
            "skjerpa_barnehage_aktivitetsplikt",
        ]
        assert expected == [w["id"] for w in listed]
        assert "stateDiagram-v2" in cli("workflow", "show", "aktivitetsplikt", "--format", "mermaid").stdout
        assert "Vedta aktivitetsplan" in cli("workflow", "show", "skjerpa_aktivitetsplikt").stdout
        rows = json.loads(cli("workflow", "show", "aktivitetsplikt", "--json").stdout)
        assert "adopt_plan" in [r["trigger"] for r in rows]
        schema = json.loads(cli("workflow", "schema", "skjerpa_aktivitetsplikt").stdout)
        assert "accused_staff" in schema["triggers"]["report"]["required"]
        assert 14 == len(schema["triggers"])


class TestRefusals:
    def test_documentation_missing(self, cli: Cli, tmp_path: Path) -> None:
        """A bad document exits 1 with every bad field in the JSON refusal, and changes nothing."""
        case = report(cli, tmp_path)
        result = fire(cli, case["id"], "notify_principal", {"channel": "", "extra": 1}, "t-17", "staff", check=1)
        refusal = json.loads(result.stderr)
        assert "DocumentationMissing" == refusal["error"]
        assert {"notified_at", "channel", "summary", "extra"} == {f["field"] for f in refusal["fields"]}
        after = json.loads(cli("case", "show", case["id"], "--json").stdout)
        assert 1 == after["version"]

    def test_transition_not_allowed_names_state_and_allowed(self, cli: Cli, tmp_path: Path) -> None:
        """A trigger from the wrong state exits 1 and names the state and what is allowed there."""
        case = report(cli, tmp_path)
        result = fire(cli, case["id"], "close", {}, "rektor", "principal", check=1)
        refusal = json.loads(result.stderr)
        assert "TransitionNotAllowed" == refusal["error"]
        assert "state 'reported'" in refusal["message"]
        assert "notify_principal" in refusal["message"]

    def test_not_permitted_plain_text(self, cli: Cli, tmp_path: Path) -> None:
        """A role that may not fire a trigger is refused in one sentence, without a traceback."""
        case = report(cli, tmp_path)
        fire(
            cli,
            case["id"],
            "notify_principal",
            {"notified_at": ago(hours=2), "channel": "muntlig", "summary": "Melding."},
            "t-17",
            "staff",
        )
        result = cli(
            "case",
            "fire",
            case["id"],
            "start_investigation",
            "--doc",
            "-",
            "--actor-id",
            "t-17",
            "--actor-role",
            "staff",
            stdin=json.dumps({"responsible": "t-18", "plan": "x"}),
            check=1,
        )
        assert result.stderr.startswith("Avvist: Only the principal")
        assert "Traceback" not in result.stderr

    def test_not_found_exit_3(self, cli: Cli) -> None:
        """An unknown case exits 3."""
        result = cli("case", "show", "HEL-2020-9999", "--json", check=3)
        assert "CaseNotFound" == json.loads(result.stderr)["error"]

    def test_stale_version_exit_4(self, cli: Cli, tmp_path: Path) -> None:
        """--expected-version that is stale exits 4."""
        case = report(cli, tmp_path)
        result = fire(
            cli,
            case["id"],
            "add_note",
            {"text": "Samtale."},
            "t-17",
            "staff",
            "--expected-version",
            "7",
            check=4,
        )
        assert "ConcurrencyConflict" == json.loads(result.stderr)["error"]

    def test_usage_errors_exit_2(self, cli: Cli, tmp_path: Path) -> None:
        """A missing file, invalid JSON and a missing option are usage errors (exit 2)."""
        case = report(cli, tmp_path)
        missing = cli(
            "case",
            "fire",
            case["id"],
            "add_note",
            "--doc",
            str(tmp_path / "nope.json"),
            "--actor-id",
            "t-17",
            "--actor-role",
            "staff",
            check=2,
        )
        assert "Kan ikke lese dokumentasjonsfilen" in missing.stderr
        broken = cli(
            "case",
            "fire",
            case["id"],
            "add_note",
            "--doc",
            "-",
            "--actor-id",
            "t-17",
            "--actor-role",
            "staff",
            stdin="{not json",
            check=2,
        )
        assert "ikke gyldig JSON" in broken.stderr
        cli("case", "fire", case["id"], "add_note", "--doc", "-", stdin="{}", check=2)
        bad_role = cli(
            "case",
            "fire",
            case["id"],
            "add_note",
            "--doc",
            "-",
            "--actor-id",
            "t-17",
            "--actor-role",
            "janitor",
            stdin="{}",
            check=2,
        )
        assert "Unknown role 'janitor'" in bad_role.stderr

    def test_config_and_schema_problems_exit_5(self, config_file: Path, tmp_path: Path) -> None:
        """A wrong config key, and a database whose schema is behind, exit 5 and say what to do."""
        bad = tmp_path / "bad.toml"
        bad.write_text('[daemon]\nsweep_evry = "60s"\n', encoding="utf-8")
        result = run_cli(bad, "case", "show", "x", check=5)
        assert "sweep_evry" in result.stderr
        behind = run_cli(config_file, "case", "show", "x", check=5)
        assert "aktivitetsplikt db upgrade" in behind.stderr

    def test_tampered_chain_exit_1(self, cli: Cli, tmp_path: Path, config_file: Path) -> None:
        """case verify exits 1 and names the event once a stored document was changed."""
        case = report(cli, tmp_path)
        db = sqlite3.connect(tmp_path / "aktivitetsplikt.db")
        db.execute("UPDATE case_events SET document = json_set(document, '$.description', 'endret')")
        db.commit()
        db.close()
        result = cli("case", "verify", case["id"], "--json", check=1)
        assert {"intact": False, "broken_at": 1} == {k: json.loads(result.stdout)[k] for k in ("intact", "broken_at")}


class TestDeadlines:
    def test_sweep_once_then_nothing(self, cli: Cli, tmp_path: Path) -> None:
        """sweep --now past the deadline queues the ladder once; the same sweep again queues nothing."""
        report(cli, tmp_path)
        later = ahead(days=30)
        first = json.loads(cli("sweep", "--now", later, "--json").stdout)
        assert [1, 2] == [q["level"] for q in first["queued"]]
        assert {"notify_principal"} == {q["obligation"] for q in first["queued"]}
        again = json.loads(cli("sweep", "--now", later, "--json").stdout)
        assert [] == again["queued"]

    def test_outbox_and_dispatch(self, cli: Cli, tmp_path: Path) -> None:
        """The principal's notice waits in the outbox, is sent by dispatch (console), never shows free text."""
        case = report(cli, tmp_path)
        fire(
            cli,
            case["id"],
            "notify_principal",
            {"notified_at": ago(hours=2), "channel": "muntlig", "summary": "Melding."},
            "t-17",
            "staff",
        )
        pending = json.loads(cli("outbox", "--json").stdout)
        assert [("notice", "principal", "rektor@hellerud.example", "pending")] == [
            (m["kind"], m["recipient_role"], m["address"], m["status"]) for m in pending
        ]
        sent = cli("dispatch", "--json")
        assert {"sent": 1, "retrying": 0, "failed": 0} == json.loads(sent.stdout)
        assert "Hemmelig" not in sent.stdout + sent.stderr
        assert "elev-4711" not in sent.stdout + sent.stderr
        assert ["sent"] == [m["status"] for m in json.loads(cli("outbox", "--json").stdout)]
        assert [] == json.loads(cli("outbox", "--failed", "--json").stdout)


class TestCases:
    def test_most_urgent_first_with_filters(self, cli: Cli, tmp_path: Path) -> None:
        """cases lists overdue first; --overdue and --stuck narrow it; JSON has the case shape without events."""
        fresh = report(cli, tmp_path)
        late = report(cli, tmp_path, occurred_at=ago(days=12))
        listed = json.loads(cli("cases", "--json").stdout)
        assert [late["number"], fresh["number"]] == [c["number"] for c in listed]
        assert CASE_KEYS - {"events"} == set(listed[0])
        assert [late["number"]] == [c["number"] for c in json.loads(cli("cases", "--overdue", "--json").stdout)]
        assert [] == json.loads(cli("cases", "--stuck", "--json").stdout)
        cli("sweep")
        stuck = json.loads(cli("cases", "--stuck", "--json").stdout)
        assert [late["number"]] == [c["number"] for c in stuck]
        table = cli("cases", "--stuck").stdout
        assert late["number"] in table
        assert "nivå 2" in table
        assert "Varsle rektor" in table

    def test_closed_cases_only_with_all(self, cli: Cli, tmp_path: Path) -> None:
        """A closed case leaves the default list and comes back with --all and --state closed."""
        case = report(cli, tmp_path)
        fire(
            cli,
            case["id"],
            "notify_principal",
            {"notified_at": ago(hours=2), "channel": "muntlig", "summary": "Melding."},
            "t-17",
            "staff",
        )
        fire(
            cli, case["id"], "start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, "rektor", "principal"
        )
        fire(
            cli,
            case["id"],
            "conclude_investigation",
            {"pupil_heard": heard(True), "others_heard": [], "findings": "Ingen funn.", "conclusion": "safe"},
            "t-18",
            "case_handler",
        )
        assert [] == json.loads(cli("cases", "--json").stdout)
        assert [case["number"]] == [c["number"] for c in json.loads(cli("cases", "--all", "--json").stdout)]
        assert ["closed"] == [c["state"] for c in json.loads(cli("cases", "--state", "closed", "--json").stdout)]
