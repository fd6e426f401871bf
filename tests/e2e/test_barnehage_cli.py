"""The kindergarten workflows (barnehageloven §§ 42 and 43) through the CLI as a subprocess.

The test kindergarten Solsikken is closed on Tuesday 29 September 2026; the schools' autumn break (28
September to 2 October, in the test config) does not close it. A report there on Friday 25 September is
due at the end of Monday 28 (1wd), and the owner step comes one working day later: at the end of
Wednesday 30, Tuesday 29 being closed. Oslo is UTC+2 then, so the end of Monday 28 is 2026-09-28T22:00Z.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import Actor, FixedClock, bootstrap, load_settings
from tests.conftest import TEST_CONFIG
from tests.e2e.conftest import Cli, run_cli, write_doc

pytestmark = pytest.mark.e2e

KINDERGARTEN = """
[kindergartens.solsikken]
name = "Solsikken barnehage"
code = "SOL"
director = "styrer@solsikken.example"
owner = "barnehageeier@kommune.example"
[kindergartens.solsikken.staff]
"styrer" = "styrer@solsikken.example"
"b-03" = "pedagog03@solsikken.example"
"b-11" = "fagarbeider11@solsikken.example"
[[kindergartens.solsikken.closed_days]]
name = "Planleggingsdag"
start = 2026-09-29
end = 2026-09-29
"""
WORKFLOW = "barnehage_aktivitetsplikt"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "aktivitetsplikt.db"}"\n' + TEST_CONFIG + KINDERGARTEN,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def kcli(config: Path) -> Cli:
    """The CLI on the config with the kindergarten, its schema created."""
    run_cli(config, "db", "upgrade")

    def call(*args: str, **kwargs: Any) -> Any:
        return run_cli(config, *args, **kwargs)

    return call


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat(timespec="seconds")


def ahead(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat(timespec="seconds")


def report_doc(occurred_at: str) -> dict[str, Any]:
    return {
        "source": "parents",
        "occurred_at": occurred_at,
        "description": "Foreldrene forteller at barnet ikke vil gå i barnehagen.",
        "kinds": ["exclusion"],
        "children_involved": ["barn-2"],
    }


def heard(safe: bool, how: str = "observation") -> dict[str, Any]:
    return {
        "at": ago(hours=1),
        "how": how,
        "expression": "Barnet leker alene og gråter ved levering.",
        "feels_safe": safe,
    }


def fire(cli: Cli, case: str, trigger: str, doc: dict[str, Any], actor: str, role: str, check: int = 0) -> Any:
    args = ("case", "fire", case, trigger, "--doc", "-", "--actor-id", actor, "--actor-role", role, "--json")
    return cli(*args, stdin=json.dumps(doc), check=check)


def report(cli: Cli, tmp_path: Path, workflow: str = WORKFLOW, check: int = 0, **extra: Any) -> Any:
    doc = report_doc(ago(hours=3)) | extra
    return cli(
        "case",
        "report",
        *("--workflow", workflow, "--school", "solsikken", "--pupil", "barn-4711"),
        *("--doc", write_doc(tmp_path, "report", doc), "--actor-id", "b-03", "--actor-role", "staff", "--json"),
        check=check,
    )


class TestKindergartenCase:
    def test_from_report_to_closed(self, kcli: Cli, tmp_path: Path) -> None:
        """§ 42 step by step: staff tell the director, the child is observed, a plan, closed when safe."""
        case = json.loads(report(kcli, tmp_path).stdout)
        number = case["number"]
        assert (WORKFLOW, "2021-01", "reported") == (case["workflow"], case["workflow_version"], case["state"])
        notice = {"notified_at": ago(hours=2), "channel": "muntlig", "summary": "Melding til styrer."}
        fire(kcli, number, "notify_director", notice, "b-03", "staff")
        fire(
            kcli, number, "start_investigation", {"responsible": "b-11", "plan": "Observasjon."}, "styrer", "principal"
        )
        conclusion = {
            "child_heard": heard(False),
            "others_heard": ["foreldrene", "pedagogisk leder"],
            "findings": "Barnet holdes utenfor leken.",
            "conclusion": "measures_needed",
        }
        fire(kcli, number, "conclude_investigation", conclusion, "b-11", "case_handler")
        plan = {
            "problem": "Barnet holdes utenfor leken.",
            "measures": [{"description": "Voksen i leken", "when": "Hver dag", "responsible": "b-11"}],
            "evaluation_at": ahead(days=14),
            "child_participation": "Barnet viste hvem det liker å leke med.",
        }
        fire(kcli, number, "adopt_plan", plan, "b-11", "case_handler")
        closing = {"reason": "Barnet trives.", "child_heard": heard(True, "conversation")}
        done = json.loads(fire(kcli, case["id"], "close", closing, "styrer", "principal").stdout)
        expected = ["report", "notify_director", "start_investigation", "conclude_investigation", "adopt_plan", "close"]
        assert ("closed", expected) == (done["state"], [e["trigger"] for e in done["events"]])
        assert all(o["satisfied_at"] for o in done["obligations"])
        assert "intakt" in kcli("case", "verify", number).stdout

    def test_the_director_is_told_by_the_notice(self, kcli: Cli, tmp_path: Path) -> None:
        """The notice to the director is queued for the director's address, and nothing for the owner."""
        case = json.loads(report(kcli, tmp_path).stdout)
        notice = {"notified_at": ago(hours=2), "channel": "muntlig", "summary": "Melding."}
        fire(kcli, case["number"], "notify_director", notice, "b-03", "staff")
        outbox = json.loads(kcli("outbox", "--json").stdout)
        assert [("principal", "styrer@solsikken.example")] == [(m["recipient_role"], m["address"]) for m in outbox]

    def test_a_school_workflow_is_refused_at_the_kindergarten(self, kcli: Cli, tmp_path: Path) -> None:
        """Exit 1, the school field named with the workflows that fit, and no pupil reference in the message."""
        result = report(kcli, tmp_path, workflow="aktivitetsplikt", check=1)
        refusal = json.loads(result.stderr)
        assert ("DocumentationMissing", ["school"]) == (refusal["error"], [f["field"] for f in refusal["fields"]])
        assert "barnehage_aktivitetsplikt, skjerpa_barnehage_aktivitetsplikt" in refusal["message"]
        assert "barn-4711" not in result.stderr

    def test_workflow_show_draws_the_kindergarten_machine(self, kcli: Cli) -> None:
        """workflow show --format mermaid prints the director's state and no Statsforvaltaren step."""
        shown = kcli("workflow", "show", WORKFLOW, "--format", "mermaid").stdout
        assert "reported --> director_notified: notify_director" in shown
        assert "enforcement" not in shown
        rows = json.loads(kcli("workflow", "show", "skjerpa_barnehage_aktivitetsplikt", "--json").stdout)
        assert ("notify_owner", "Varsle barnehageeier") in [(r["trigger"], r["label"]) for r in rows]


class TestKindergartenEscalation:
    @pytest.fixture
    def seeded(self, config: Path, kcli: Cli) -> Iterator[dict[str, str]]:
        """A kindergarten case and a school case reported at 09:00 on Friday 25 September 2026."""
        engine = bootstrap(load_settings(config), clock=FixedClock(datetime(2026, 9, 25, 8, tzinfo=UTC)))
        school_doc = {
            "source": "guardian",
            "occurred_at": "2026-09-25T09:00",
            "description": "Utestengt.",
            "kinds": ["exclusion"],
        }
        try:
            at_kindergarten = engine.report(
                workflow=WORKFLOW,
                school="solsikken",
                pupil="barn-1",
                document=report_doc("2026-09-25T09:00"),
                actor=Actor(id="b-03", role="staff", school="solsikken"),
            )
            at_school = engine.report(
                workflow="aktivitetsplikt",
                school="hellerud",
                pupil="elev-1",
                document=school_doc,
                actor=Actor(id="t-17", role="staff", school="hellerud"),
            )
        finally:
            engine.uow.engine.dispose()  # type: ignore[attr-defined]
        yield {"kindergarten": at_kindergarten.number, "school": at_school.number}

    def sweep(self, kcli: Cli, now: str) -> list[tuple[str, str, int, list[str]]]:
        queued = json.loads(kcli("sweep", "--now", now, "--json").stdout)["queued"]
        return [(q["case_number"], q["obligation"], q["level"], q["recipients"]) for q in queued]

    def test_director_then_owner_on_working_days(self, kcli: Cli, seeded: dict[str, str]) -> None:
        """The director hears at the end of Monday 28 (a school holiday, a working day), the owner at the end
        of Wednesday 30 (Tuesday 29 is closed); the school's duty waits for the end of its autumn break."""
        kindergarten, duty = seeded["kindergarten"], "notify_director"
        assert [(kindergarten, duty, 0, ["reporter"])] == [
            s for s in self.sweep(kcli, "2026-09-26T00:00") if s[0] == kindergarten
        ]
        assert [] == self.sweep(kcli, "2026-09-28T23:59")
        assert [(kindergarten, duty, 1, ["reporter", "principal"])] == self.sweep(kcli, "2026-09-29T00:00")
        assert [] == self.sweep(kcli, "2026-09-30T23:59")
        assert [(kindergarten, duty, 2, ["school_owner"])] == self.sweep(kcli, "2026-10-01T00:00")
        school = [s for s in self.sweep(kcli, "2026-10-06T00:00") if s[0] == seeded["school"]]
        assert [(seeded["school"], "notify_principal", 1, ["reporter", "principal"])] == school

    def test_the_kindergartens_addresses_get_the_escalations(self, kcli: Cli, seeded: dict[str, str]) -> None:
        """Level 1 to the reporter and the director, level 2 to the kindergarten's owner."""
        self.sweep(kcli, "2026-10-01T00:00")
        outbox = json.loads(kcli("outbox", "--json").stdout)
        expected = [
            (1, "pedagog03@solsikken.example"),
            (1, "styrer@solsikken.example"),
            (2, "barnehageeier@kommune.example"),
        ]
        assert expected == sorted((m["level"], m["address"]) for m in outbox if m["kind"] == "escalation")


class TestKindergartenTour:
    def test_the_tour_counts_working_days_and_leaves_stuck_cases(self, tmp_path: Path) -> None:
        """demo --tour barnehage escalates to the owner on working days and ends with the two stuck cases."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
        env["TMPDIR"] = str(tmp_path)
        result = subprocess.run(
            [sys.executable, "-m", "aktivitetsplikt.engine.cli", "demo", "--tour", "barnehage"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 0 == result.returncode, result.stderr
        assert "2 (meldt til barnehageeier)" in result.stdout
        assert "arbeidsdager" in result.stdout
        assert "styrer@" not in result.stdout
        match = re.search(r"AKTIVITETSPLIKT_CONFIG=(\S+)", result.stdout)
        assert match is not None
        stuck = json.loads(run_cli(Path(match.group(1)), "cases", "--stuck", "--json").stdout)
        assert ["SOL-2026-0002", "SOL-2026-0003"] == sorted(c["number"] for c in stuck)
