"""``aktivitetsplikt audit`` and ``agenda`` as subprocesses on a prepared SQLite file (spec sections 7, 8).

The CLI reads the real clock, so the cases are prepared in-process with a clock set relative to now.
Four cases at Hellerud, all reported 20 days ago:

- ``clean``: handled and closed that same day;
- ``late``: the principal was told only 5 days ago (late), and the investigation started then;
- ``active``: handled that day, the plan's evaluation is due in 5 days;
- ``forgotten``: never passed on to the principal (overdue).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import Engine, FixedClock, Settings, bootstrap
from tests.conftest import ADMIN, HANDLER, PRINCIPAL, TEACHER, plan_doc, pupil_heard, report_doc
from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.e2e


def at(instant: datetime) -> str:
    return instant.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Prepared:
    config: Path
    engine: Engine
    school_year: str
    numbers: dict[str, str]
    """Case numbers by role: clean, late, active, forgotten."""


def _handle(engine: Engine, case_id: str, now: datetime, evaluation_at: datetime, *, close: bool) -> None:
    notified = {"notified_at": at(now - timedelta(minutes=30)), "channel": "muntlig", "summary": "Melding"}
    engine.fire(case_id, "notify_principal", notified, TEACHER)
    engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, PRINCIPAL)
    conclusion = {
        "pupil_heard": pupil_heard(at=at(now - timedelta(minutes=20))),
        "others_heard": ["kontaktlærer"],
        "findings": "Utestenging.",
        "conclusion": "measures_needed",
    }
    engine.fire(case_id, "conclude_investigation", conclusion, HANDLER)
    engine.fire(case_id, "adopt_plan", plan_doc(evaluation_at=at(evaluation_at)), HANDLER)
    if close:
        closing = {"reason": "Eleven er trygg.", "pupil_heard": pupil_heard(True, at=at(now - timedelta(minutes=10)))}
        engine.fire(case_id, "close", closing, PRINCIPAL)


@pytest.fixture
def prepared(config_file: Path, settings: Settings) -> Prepared:
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=20)
    clock = FixedClock(start)
    engine = bootstrap(settings, clock=clock, upgrade=True)
    ids = {}
    for role in ("clean", "late", "active", "forgotten"):
        doc = report_doc(occurred_at=at(start - timedelta(hours=1)))
        case = engine.report(workflow="aktivitetsplikt", school="hellerud", pupil="elev-1", document=doc, actor=TEACHER)
        ids[role] = case.id
    _handle(engine, ids["clean"], start, start + timedelta(days=7), close=True)
    _handle(engine, ids["active"], start, now + timedelta(days=5), close=False)
    clock.set(now - timedelta(days=5))
    notified = {"notified_at": at(clock.now() - timedelta(hours=1)), "channel": "e-post", "summary": "Melding"}
    engine.fire(ids["late"], "notify_principal", notified, TEACHER)
    engine.fire(ids["late"], "start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, PRINCIPAL)
    numbers = {role: engine.get(case_id, events=False, actor=ADMIN).number for role, case_id in ids.items()}
    year = engine.get(ids["clean"], events=False, actor=ADMIN).school_year
    return Prepared(config_file, engine, year, numbers)


def audit_json(prepared: Prepared, *args: str) -> dict[str, Any]:
    result = run_cli(prepared.config, "audit", "--school-year", prepared.school_year, "--json", *args)
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def codes_by_number(body: dict[str, Any]) -> dict[str, list[str]]:
    return {c["number"]: [f["code"] for f in c["findings"]] for c in body["cases"]}


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


class TestAudit:
    def test_the_table_sums_up_the_school_and_lists_the_findings(self, prepared: Prepared) -> None:
        """A table per school in bokmål, the findings by case, and how many cases have findings; exit 0."""
        result = run_cli(prepared.config, "audit", "--school-year", prepared.school_year)

        out = result.stdout
        assert f"Internrevisjon skoleåret {prepared.school_year}" in out
        assert "Hellerud videregående skole" in out
        assert "2 av 4 saker har avvik." in out
        assert prepared.numbers["late"] in out
        assert prepared.numbers["forgotten"] in out
        assert "«Varsle rektor» er ikke gjort" in out

    def test_json_names_each_finding_and_how_late(self, prepared: Prepared) -> None:
        """The late notice is late by the school days the calendar counts; only two cases have findings."""
        body = audit_json(prepared)

        numbers = prepared.numbers
        assert {
            numbers["clean"]: [],
            numbers["late"]: ["deadline_late"],
            numbers["active"]: [],
            numbers["forgotten"]: ["deadline_overdue"],
        } == codes_by_number(body)
        late = next(c for c in body["cases"] if c["number"] == numbers["late"])
        duty = next(
            o for o in prepared.engine.get(numbers["late"], actor=ADMIN).obligations if o.kind == "notify_principal"
        )
        expected = prepared.engine.decider.calendar.school_days_late(duty.due_at, duty.satisfied_at)  # type: ignore[arg-type]
        assert expected == late["findings"][0]["detail"]["school_days_late"] > 0
        assert (4, 2, ["hellerud"]) == (
            body["cases_audited"],
            body["cases_with_findings"],
            [s["school"] for s in body["schools"]],
        )

    def test_out_writes_the_whole_audit_the_summary_and_a_file_per_case(
        self, prepared: Prepared, tmp_path: Path
    ) -> None:
        """audit.json, one summary row per school, one row per case and finding, and <number>.json; the CSV
        files for tools (--machine-csv) have the JSON keys as headers and commas."""
        folder = tmp_path / "revisjon"

        result = run_cli(
            prepared.config, "audit", "--school-year", prepared.school_year, "--out", str(folder), "--machine-csv"
        )

        per_case = {f"{n}.json" for n in prepared.numbers.values()}
        expected = {"audit.json", "audit-summary.csv", "audit-cases.csv", "audit-findings.csv"} | per_case
        assert expected == {p.name for p in folder.iterdir()}
        assert f"Skrev {len(expected)} filer til {folder}." in result.stdout
        assert 4 == json.loads((folder / "audit.json").read_text(encoding="utf-8"))["cases_audited"]
        summary = read_csv(folder / "audit-summary.csv")
        assert [("hellerud", "4", "2")] == [(r["school"], r["cases"], r["cases_with_findings"]) for r in summary]
        cases = read_csv(folder / "audit-cases.csv")
        assert sorted(prepared.numbers.values()) == [r["number"] for r in cases]
        findings = read_csv(folder / "audit-findings.csv")
        assert ["deadline_late", "deadline_overdue"] == sorted(r["code"] for r in findings)
        one = json.loads((folder / f"{prepared.numbers['late']}.json").read_text(encoding="utf-8"))
        assert ["deadline_late"] == [f["code"] for f in one["findings"]]

    @pytest.mark.parametrize(
        ("lang", "unit", "serious", "no"),
        [("nb", "Skole/barnehage", "Alvorlig", "nei"), ("nn", "Skule/barnehage", "Alvorleg", "nei")],
    )
    def test_the_csv_files_are_for_norwegian_excel(
        self, prepared: Prepared, tmp_path: Path, lang: str, unit: str, serious: str, no: str
    ) -> None:
        """By default: semicolons, headers in the language of the call, ja/nei; the JSON keys stay."""
        folder = tmp_path / lang

        run_cli(prepared.config, "--lang", lang, "audit", "--school-year", prepared.school_year, "--out", str(folder))

        summary = read_csv(folder / "audit-summary.csv", delimiter=";")
        assert [("hellerud", "4", "2")] == [(r[unit], r["Saker"], r["Saker med avvik"]) for r in summary]
        cases = read_csv(folder / "audit-cases.csv", delimiter=";")
        assert sorted(prepared.numbers.values()) == [r["Sak"] for r in cases]
        assert {no} <= {r[serious] for r in cases} <= {"ja", "nei"}
        findings = read_csv(folder / "audit-findings.csv", delimiter=";")
        assert ["deadline_late", "deadline_overdue"] == sorted(r["Kode"] for r in findings)
        assert "school_year" in json.loads((folder / "audit.json").read_text(encoding="utf-8"))

    def test_a_school_without_cases_and_a_year_without_cases(self, prepared: Prepared) -> None:
        """Nothing to audit is still a report (exit 0)."""
        school = run_cli(prepared.config, "audit", "--school-year", prepared.school_year, "--school", "furuset")
        year = run_cli(prepared.config, "audit", "--school-year", "2001-2002", "--json")

        assert "ingen saker" in school.stdout
        assert (0, 0) == (json.loads(year.stdout)["cases_audited"], json.loads(year.stdout)["cases_with_findings"])

    @pytest.mark.parametrize("year", ["2025", "2025-2027", "25-26"])
    def test_a_malformed_school_year_is_a_usage_error(self, prepared: Prepared, year: str) -> None:
        """Exit 2 with a sentence that shows the expected form."""
        result = run_cli(prepared.config, "audit", "--school-year", year, check=2)

        assert "2025-2026" in result.stderr


class TestAgenda:
    def test_the_table_lists_open_cases_overdue_first(self, prepared: Prepared) -> None:
        """The forgotten case with its overdue notice, the active case's evaluation; the closed case is not
        on the agenda, and Furuset has nothing to discuss."""
        result = run_cli(prepared.config, "agenda")

        out = result.stdout
        numbers = prepared.numbers
        assert "Saksmøte" in out
        assert "Varsle rektor:" in out
        assert numbers["clean"] not in out
        assert out.index(numbers["forgotten"]) < out.index(numbers["active"]) < out.index(numbers["late"])
        assert "Furuset skole: ingen åpne saker." in out

    def test_json_and_the_window(self, prepared: Prepared) -> None:
        """The evaluation in 5 days is on a 14-day agenda and not on a 3-day one."""
        wide = json.loads(run_cli(prepared.config, "agenda", "--school", "hellerud", "--json").stdout)
        narrow = json.loads(run_cli(prepared.config, "agenda", "--school", "hellerud", "--days", "3", "--json").stdout)

        numbers = prepared.numbers
        cases = wide["schools"][0]["cases"]
        assert [numbers["forgotten"], numbers["active"], numbers["late"]] == [c["number"] for c in cases]
        assert ["notify_principal"] == [d["kind"] for d in cases[0]["overdue"]]
        assert cases[0]["overdue"][0]["school_days_late"] > 0
        assert ["evaluate"] == [d["kind"] for d in cases[1]["evaluations_due"]]
        assert (14, 3) == (wide["days"], narrow["days"])
        active = next(c for c in narrow["schools"][0]["cases"] if c["number"] == numbers["active"])
        assert [] == active["evaluations_due"]
