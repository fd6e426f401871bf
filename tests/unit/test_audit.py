"""The internal audit and the meeting agenda on cases built by the engine (spec section 7).

Cases are made step by step on the in-memory store with a frozen clock. A case "from an older version"
(a step or a field the engine would refuse today) is built in memory and its hash chain recomputed, so
the audit sees a log that is intact but incomplete; a tampered log keeps its old hashes.

Dates as in ``tests/conftest.py``: T0 is Wednesday 2 September 2026, 10:00 Oslo (08:00Z); the report's
``occurred_at`` is 09:00 that day, so ``notify_principal`` (1sd) is due at the end of Thursday 3
September (22:00Z); Monday 7 September is two school days later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aktivitetsplikt.engine import Case, Engine, Event, FixedClock, Settings
from aktivitetsplikt.engine.core.chain import GENESIS, event_hash
from aktivitetsplikt.engine.reports.agenda import Agenda, build_agenda
from aktivitetsplikt.engine.reports.audit import (
    CSV_FIELDS,
    SUMMARY_FIELDS,
    CaseAudit,
    Tally,
    audit_case,
    pack_lookup,
    school_days_late,
    spec_lookup,
    summarize,
)
from tests.conftest import ADMIN, HANDLER, OWNER, PRINCIPAL, TEACHER, drive_to, pupil_heard, report_doc
from tests.fakes import InMemoryUnitOfWorkFactory, make_engine

NOTIFY = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"}
MONDAY = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)  # Monday 7 September, 10:00 Oslo
NOTIFY_DUE = datetime(2026, 9, 3, 22, 0, tzinfo=UTC)


@pytest.fixture
def wired(settings: Settings, clock: FixedClock) -> tuple[Engine, InMemoryUnitOfWorkFactory]:
    return make_engine(settings, clock)


@pytest.fixture
def engine(wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> Engine:
    return wired[0]


def audited(engine: Engine, case: str | Case, now: datetime | None = None) -> CaseAudit:
    loaded = engine.get(case, actor=ADMIN) if isinstance(case, str) else case
    spec = engine.registry.spec(loaded.workflow, loaded.workflow_version)
    pack, calendar = engine.registry.pack(loaded.workflow), engine.decider.policy.calendar_of(loaded.school)
    return audit_case(loaded, spec, pack, calendar, now or engine.clock.now())


def agenda_on_monday(engine: Engine, cases: list[Case], **options: Any) -> Agenda:
    registry = engine.registry
    calendar_of = engine.decider.policy.calendar_of
    return build_agenda(cases, spec_lookup(registry), pack_lookup(registry), calendar_of, MONDAY, **options)


def codes(audit: CaseAudit) -> list[tuple[str, str]]:
    return [(f.check, f.code) for f in audit.findings]


def rechained(case: Case, events: list[Event]) -> Case:
    """The case with this log, renumbered and hashed again (chain format 1, no seal): intact, as if an
    older version had recorded it so."""
    prev, fixed = GENESIS, []
    for seq, e in enumerate(events, start=1):
        digest = event_hash(
            prev,
            case_id=case.id,
            seq=seq,
            at=e.at,
            occurred_at=e.occurred_at,
            actor_id=e.actor_id,
            actor_role=e.actor_role,
            trigger=e.trigger,
            from_state=e.from_state,
            to_state=e.to_state,
            document=e.document,
            effects=e.effects,
        )
        fixed.append(replace(e, seq=seq, prev_hash=prev, hash=digest, seal=None))
        prev = digest
    return replace(case, events=fixed, head_hash=prev, last_seq=len(fixed))


def older(engine: Engine, case_id: str, seq: int, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Case:
    """The case as an older version might have recorded it: event ``seq`` documented as ``change`` says."""
    case = engine.get(case_id, actor=ADMIN)
    events = [replace(e, document=change(dict(e.document))) if e.seq == seq else e for e in case.events or []]
    return rechained(case, events)


def without(*fields: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda doc: {k: v for k, v in doc.items() if k not in fields}


def evaluation(held_at: str, next_at: str) -> dict[str, Any]:
    return {
        "held_at": held_at,
        "pupil_heard": pupil_heard(at=held_at),
        "effect": "Eleven er med i leken igjen.",
        "decision": "continue",
        "next_evaluation_at": next_at,
    }


class TestCleanCases:
    def test_a_case_handled_by_the_book_has_no_findings(self, engine: Engine) -> None:
        """Every step documented in time, the pupil heard three times, the log intact: nothing to report."""
        audit = audited(engine, drive_to(engine, "closed"))

        assert [] == codes(audit)
        assert (Tally(6, 6), Tally(5, 5), Tally(3, 3), Tally(0, 0)) == (
            audit.steps,
            audit.deadlines,
            audit.pupil_heard,
            audit.school_owner,
        )
        assert audit.chain.intact

    @pytest.mark.parametrize(
        "state", ["reported", "principal_notified", "investigating", "planning", "measures_active"]
    )
    def test_an_open_case_on_time_has_no_findings(self, engine: Engine, state: str) -> None:
        """Wherever a case rests, nothing is missing while no deadline has passed."""
        assert [] == codes(audited(engine, drive_to(engine, state)))

    def test_an_evaluation_held_in_time_counts_as_a_documented_step(self, engine: Engine, clock: FixedClock) -> None:
        """An evaluation on its date is a step and a deadline met; the next one is not due yet."""
        case_id = drive_to(engine, "measures_active")
        clock.set(datetime(2026, 9, 16, 11, 0, tzinfo=UTC))
        engine.fire(case_id, "evaluate", evaluation("2026-09-16T12:00", "2026-09-30T12:00"), HANDLER)

        audit = audited(engine, case_id)

        assert ([], Tally(6, 6), Tally(5, 5), Tally(3, 3)) == (
            codes(audit),
            audit.steps,
            audit.deadlines,
            audit.pupil_heard,
        )

    def test_a_case_closed_by_a_safe_conclusion_and_reopened_has_no_findings(
        self, engine: Engine, clock: FixedClock
    ) -> None:
        """A conclusion 'safe' closes a case properly; a reopening starts a new round of duties."""
        case_id = drive_to(engine, "investigating")
        conclusion = {
            "pupil_heard": pupil_heard(True),
            "others_heard": [],
            "findings": "Eleven er trygg.",
            "conclusion": "safe",
        }
        engine.fire(case_id, "conclude_investigation", conclusion, HANDLER)
        clock.advance(hours=2)
        engine.fire(case_id, "reopen", report_doc(occurred_at="2026-09-02T11:30"), TEACHER)

        audit = audited(engine, case_id)

        assert ([], Tally(6, 6)) == (codes(audit), audit.steps)

    def test_section_12_5_with_the_leadership_accused_is_notified_through_the_notice(self, engine: Engine) -> None:
        """§ 12-5: the notice that goes to the school owner instead of the principal meets both duties."""
        case = engine.report(
            workflow="skjerpa_aktivitetsplikt",
            school="hellerud",
            pupil="elev-4711",
            document=report_doc(accused_staff="t-20", accused_is_leadership=True),
            actor=TEACHER,
        )
        engine.fire(case.id, "notify_principal", NOTIFY, TEACHER)
        engine.fire(case.id, "start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, OWNER)

        audit = audited(engine, case.id)

        assert ([], Tally(1, 1)) == (codes(audit), audit.school_owner)


class TestDeadlines:
    def test_a_notice_given_late_is_late_by_school_days_and_nothing_else(
        self, engine: Engine, clock: FixedClock
    ) -> None:
        """Notified on Monday for a deadline at the end of Thursday: 2 school days late (Fri, Mon)."""
        case = engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil="elev-4711", document=report_doc(), actor=TEACHER
        )
        clock.set(MONDAY)
        engine.fire(case.id, "notify_principal", NOTIFY | {"notified_at": "2026-09-07T09:00"}, TEACHER)

        audit = audited(engine, case.id)

        assert [("deadlines", "deadline_late")] == codes(audit)
        detail = audit.findings[0].detail
        assert ("notify_principal", 2, NOTIFY_DUE.isoformat()) == (
            detail["kind"],
            detail["school_days_late"],
            detail["due_at"],
        )
        assert "2 skoledager etter fristen (utgangen av torsdag 3. september 2026)" in audit.findings[0].label
        assert ((2,), Tally(0, 1)) == (audit.late_school_days, audit.deadlines)

    def test_a_notice_not_given_is_overdue(self, engine: Engine) -> None:
        """A case left at 'reported' over the weekend: the notice is overdue, no step is yet missing."""
        audit = audited(engine, drive_to(engine, "reported"), now=MONDAY)

        assert [("deadlines", "deadline_overdue")] == codes(audit)
        assert 2 == audit.findings[0].detail["school_days_late"]

    def test_an_evaluation_date_passed_without_an_evaluation(self, engine: Engine) -> None:
        """The plan said 16 September; on the 17th there is no evaluation: a missing step and a duty overdue."""
        audit = audited(engine, drive_to(engine, "measures_active"), now=datetime(2026, 9, 17, 8, tzinfo=UTC))

        assert [("steps", "evaluation_missing"), ("deadlines", "deadline_overdue")] == codes(audit)

    def test_the_remembered_count_of_school_days_late_is_the_calendars(self, engine: Engine) -> None:
        """The audit's shortcut gives what ``SchoolCalendar.school_days_late`` gives, midnights included."""
        calendar = engine.decider.calendar
        base = datetime(2026, 9, 24, 22, 0, tzinfo=UTC)  # midnight Oslo, before the autumn break
        instants = [base + timedelta(hours=h) for h in range(0, 24 * 16, 5)] + [
            base + timedelta(days=d) for d in range(16)
        ]

        pairs = [(due, actual) for due in instants[::3] for actual in instants]

        assert [calendar.school_days_late(d, a) for d, a in pairs] == [
            school_days_late(calendar, d, a) for d, a in pairs
        ]


class TestPupilHeard:
    @pytest.mark.parametrize(
        ("seq", "trigger", "change"),
        [
            (4, "conclude_investigation", lambda d: d | {"pupil_heard": d["pupil_heard"] | {"views": " "}}),
            (5, "adopt_plan", without("pupil_participation")),
            (6, "close", without("pupil_heard")),
        ],
    )
    def test_a_step_without_the_pupils_voice_is_found(
        self, engine: Engine, seq: int, trigger: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> None:
        """The conclusion, the plan and the close each carry the pupil's own views (§ 12-4, § 10-1)."""
        case = older(engine, drive_to(engine, "closed"), seq, change)

        audit = audited(engine, case)

        assert [("pupil_heard", "pupil_not_heard")] == codes(audit)
        assert ({"step": trigger, "seq": seq}, Tally(2, 3)) == (audit.findings[0].detail, audit.pupil_heard)


class TestSchoolOwner:
    def test_a_serious_case_without_the_school_owners_notice_is_found(self, engine: Engine) -> None:
        """Assessed serious, and no notice to the school owner (an older version made no duty of it)."""
        case_id = drive_to(engine, "investigating")
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Vold."}, PRINCIPAL)
        case = engine.get(case_id, actor=ADMIN)
        case.obligations = [o for o in case.obligations if o.kind != "notify_school_owner"]

        audit = audited(engine, case)

        assert [("school_owner", "school_owner_not_notified")] == codes(audit)
        assert Tally(0, 1) == audit.school_owner

    def test_a_notice_not_due_yet_is_no_finding(self, engine: Engine) -> None:
        """Assessed serious a moment ago: the school owner is told by the end of the next school day."""
        case_id = drive_to(engine, "investigating")
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Vold."}, PRINCIPAL)

        audit = audited(engine, case_id)

        assert ([], Tally(0, 0)) == (codes(audit), audit.school_owner)

    def test_a_serious_case_with_the_notice_is_in_order(self, engine: Engine) -> None:
        """The principal's notice to the school owner meets the duty."""
        case_id = drive_to(engine, "investigating")
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Vold."}, PRINCIPAL)
        engine.fire(
            case_id, "notify_school_owner", {"notified_at": "2026-09-02T09:45", "summary": "Alvorlig"}, PRINCIPAL
        )

        audit = audited(engine, case_id, now=MONDAY)

        assert ([], Tally(1, 1)) == (codes(audit), audit.school_owner)


class TestChain:
    def test_a_tampered_event_breaks_the_chain_and_nothing_else(
        self, engine: Engine, wired: tuple[Engine, InMemoryUnitOfWorkFactory]
    ) -> None:
        """A report rewritten in the store after it was recorded is found at its own seq."""
        case_id = drive_to(engine, "closed")
        stored = wired[1].store.events[case_id]
        stored[0] = replace(stored[0], document=stored[0].document | {"description": "Noe annet."})

        audit = audited(engine, case_id)

        assert [("chain", "chain_broken")] == codes(audit)
        assert (1, False) == (audit.findings[0].detail["broken_at"], audit.chain.intact)

    def test_a_removed_last_event_is_found(
        self, engine: Engine, wired: tuple[Engine, InMemoryUnitOfWorkFactory]
    ) -> None:
        """The case still says closed, but the close is gone from the log."""
        case_id = drive_to(engine, "closed")
        wired[1].store.events[case_id].pop()

        audit = audited(engine, case_id)

        assert {("chain", "chain_broken"), ("steps", "step_missing")} == set(codes(audit))


class TestSteps:
    def test_a_step_missing_from_the_log_is_found(self, engine: Engine) -> None:
        """A case under investigation whose log never recorded the notice to the principal."""
        case = engine.get(drive_to(engine, "investigating"), actor=ADMIN)
        case = rechained(case, [e for e in case.events or [] if e.trigger != "notify_principal"])

        audit = audited(engine, case)

        assert [("steps", "step_missing")] == codes(audit)
        assert ({"step": "notify_principal"}, Tally(2, 3)) == (audit.findings[0].detail, audit.steps)

    def test_a_step_with_a_blank_field_is_incomplete(self, engine: Engine) -> None:
        """An investigation started without saying how the facts will be found."""
        case = older(engine, drive_to(engine, "investigating"), 3, lambda d: d | {"plan": ""})

        audit = audited(engine, case)

        assert [("steps", "step_incomplete")] == codes(audit)
        assert ["plan"] == audit.findings[0].detail["fields"]

    def test_a_case_closed_without_a_safe_conclusion_is_found(self, engine: Engine) -> None:
        """A log where the conclusion 'measures needed' closed the case: no documented reason to close."""
        case_id = drive_to(engine, "investigating")
        conclusion = {"pupil_heard": pupil_heard(True), "others_heard": [], "findings": "Trygg.", "conclusion": "safe"}
        engine.fire(case_id, "conclude_investigation", conclusion, HANDLER)
        case = older(engine, case_id, 4, lambda d: d | {"conclusion": "measures_needed"})

        audit = audited(engine, case)

        assert [("steps", "closed_without_closing_step")] == codes(audit)


class TestOutputs:
    def test_json_and_csv_carry_the_contract_keys(self, engine: Engine) -> None:
        """English keys for machines; one flat CSV row per case with exactly the documented columns."""
        case_id = drive_to(engine, "reported")
        audit = audited(engine, case_id, now=MONDAY)

        body = audit.to_json()

        assert {"check", "code", "label", "detail"} == set(body["findings"][0])
        assert {"steps", "deadlines", "pupil_heard", "school_owner", "chain", "number", "case_id"} <= set(body)
        assert list(CSV_FIELDS) == list(audit.csv_row())
        assert ("deadline_overdue", 2) == (audit.csv_row()["finding_codes"], audit.csv_row()["late_max_school_days"])

    def test_the_summary_adds_up_per_school(self, engine: Engine) -> None:
        """Two cases, one late: counts of x of y per check, and the median and maximum lateness."""
        clean = audited(engine, drive_to(engine, "closed"), now=MONDAY)
        late = audited(engine, drive_to(engine, "reported"), now=MONDAY)
        other = replace(clean, school="furuset")

        summaries = summarize([clean, late, other], {"hellerud": "Hellerud videregående skole"})

        assert ["furuset", "hellerud"] == [s.school for s in summaries]
        hellerud = summaries[1]
        assert (2, 1, Tally(7, 7), Tally(5, 6), 2, 2, Tally(2, 2)) == (
            hellerud.cases,
            hellerud.cases_with_findings,
            hellerud.steps,
            hellerud.deadlines,
            hellerud.late_median,
            hellerud.late_max,
            hellerud.chains,
        )
        assert ("Hellerud videregående skole", "furuset") == (hellerud.name, summaries[0].name)
        assert list(SUMMARY_FIELDS) == list(hellerud.csv_row())


class TestAgenda:
    def test_overdue_cases_come_first_then_the_coming_evaluations(self, engine: Engine) -> None:
        """On Monday: the unreported case is 2 school days late; the plan's evaluation is 9 days away."""
        active = drive_to(engine, "measures_active")
        unreported = drive_to(engine, "reported")
        quiet = drive_to(engine, "investigating")
        cases = [engine.get(c, events=False, actor=ADMIN) for c in (active, quiet, unreported)]

        agenda = agenda_on_monday(engine, cases)

        items = agenda.schools[0].items
        assert [unreported, active, quiet] == [i.case_id for i in items]
        assert [("notify_principal", 2)] == [(d.kind, d.school_days_late) for d in items[0].overdue]
        assert ["2026-09-16T10:00:00+00:00"] == [d.due_at.isoformat() for d in items[1].evaluations_due]
        assert ("conclude_investigation",) == tuple(d.kind for d in items[2].due_soon)

    def test_a_shorter_window_leaves_later_evaluations_out(self, engine: Engine) -> None:
        """With a 5-day window the evaluation on the 16th is not on Monday's agenda."""
        case = engine.get(drive_to(engine, "measures_active"), events=False, actor=ADMIN)

        agenda = agenda_on_monday(engine, [case], days=5)

        assert () == agenda.schools[0].items[0].evaluations_due

    def test_configured_schools_without_cases_are_listed_and_stuck_cases_flagged(self, engine: Engine) -> None:
        """A school with no open case is on the agenda with nothing to discuss; level 2 means stuck."""
        case = engine.get(drive_to(engine, "reported"), events=False, actor=ADMIN)
        case.obligations = [replace(o, escalation_level=2) for o in case.obligations]

        agenda = agenda_on_monday(engine, [case], schools={"furuset": "Furuset"})

        assert [("furuset", 0), ("hellerud", 1)] == [(s.school, len(s.items)) for s in agenda.schools]
        assert agenda.schools[1].items[0].stuck
