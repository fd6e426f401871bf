"""Version 2026-12, closing and Statsforvaltaren: rules 1, 2, 7, 8 and 9 of the issue "The law, whole".

A case closes when the pupil is safe again, heard after the latest evaluation of the latest plan, or when
the pupil has left the school; closing never meets Statsforvaltaren's deadline or the measures it imposed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from aktivitetsplikt.engine import DocumentationMissing, FixedClock, Settings, TransitionNotAllowed
from tests.conftest import HANDLER, PRINCIPAL, drive_to, pupil_heard
from tests.fakes import make_engine
from tests.law2026 import DECISION, ENFORCEMENT, Law2026, closing, documentation, evaluation, not_now, plan


@pytest.fixture
def law(settings: Settings, clock: FixedClock) -> Law2026:
    return Law2026.of(settings, clock)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


LEFT = {"at": "2026-09-02T09:50", "new_school_told": True, "guardians_consented": True}


def left_school(**left: Any) -> dict[str, Any]:
    return {
        "reason": "Eleven har flyttet.",
        "closing_reason": "pupil_left_school",
        "best_interests": "B",
        "left_school": LEFT | left,
    }


class TestNoClosingWithoutEvaluation:
    def test_closing_the_day_after_the_plan_is_refused(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 2: a pupil who feels safe still needs an evaluation of the plan before the case closes."""
        case_id = law.drive("measures_active")
        clock.set(utc(9, 3, 8))
        reason = (
            "case HEL-2026-0001 cannot be closed before the plan of 2026-09-02T10:00+02:00 has been evaluated; "
            "fire 'evaluate' first."
        )
        with law.refused(TransitionNotAllowed, not_now("close", reason)):
            law.fire(case_id, "close", closing(at="2026-09-03T09:00"))

    def test_a_revision_needs_its_own_evaluation(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 2: the evaluation must come after the latest plan, so a revised plan is evaluated again."""
        case_id = law.drive("evaluated")
        law.fire(case_id, "revise_plan", plan("2026-09-30T12:00", reason="Mer trengs."), HANDLER)
        clock.set(utc(9, 17, 8))
        reason = (
            "case HEL-2026-0001 cannot be closed before the plan of 2026-09-16T10:00+02:00 has been evaluated; "
            "fire 'evaluate' first."
        )
        with law.refused(TransitionNotAllowed, not_now("close", reason)):
            law.fire(case_id, "close", closing(at="2026-09-17T09:00"))


class TestClosingHearsThePupilNow:
    def test_a_statement_from_before_the_evaluation_is_refused(self, law: Law2026) -> None:
        """Rule 1: closing on a statement older than the latest evaluation names the evaluation's time."""
        case_id = law.drive("evaluated")
        problem = (
            "lies before the latest evaluation; hear the pupil again: "
            "the earliest time allowed is 2026-09-16T09:00+02:00"
        )
        with law.refused(DocumentationMissing, documentation("close", ("pupil_heard.at", problem))):
            law.fire(case_id, "close", closing(at="2026-09-16T08:00"))

    def test_never_before_the_pupil_last_said_they_were_not_safe(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 1: heard unsafe at 09:20 after the 09:00 evaluation, the pupil's 09:10 word cannot close."""
        case_id = law.drive("measures_active")
        clock.set(utc(9, 16, 8))
        measures = dict.fromkeys(law.measures(case_id), "partly")
        law.fire(case_id, "evaluate", evaluation(measures, heard_at="2026-09-16T09:20", safe=False), HANDLER)
        problem = (
            "lies before the latest time the pupil said they did not feel safe; hear the pupil again: "
            "the earliest time allowed is 2026-09-16T09:20+02:00"
        )
        with law.refused(DocumentationMissing, documentation("close", ("pupil_heard.at", problem))):
            law.fire(case_id, "close", closing(at="2026-09-16T09:10"))

    def test_closing_because_safe_needs_the_pupils_word(self, law: Law2026) -> None:
        """Rules 1 and 8: without pupil_heard only the pupil leaving the school closes the case."""
        case_id = law.drive("evaluated")
        doc = {k: v for k, v in closing().items() if k != "pupil_heard"}
        message = documentation("close", ("pupil_heard", "is required to close because the pupil is safe"))
        with law.refused(DocumentationMissing, message):
            law.fire(case_id, "close", doc)

    def test_closing_needs_the_best_interests(self, law: Law2026) -> None:
        """Rule 9: closing weighs the pupil's best interests in writing."""
        case_id = law.drive("evaluated")
        doc = {k: v for k, v in closing().items() if k != "best_interests"}
        with law.refused(DocumentationMissing, documentation("close", ("best_interests", "is required but missing"))):
            law.fire(case_id, "close", doc)


class TestPupilLeftSchool:
    def test_the_case_closes_without_feels_safe(self, law: Law2026) -> None:
        """Rule 8: a pupil who left the school closes the case, with no evaluation and no pupil's word."""
        case_id = law.drive("measures_active")
        case = law.fire(case_id, "close", left_school())
        assert ("closed", "pupil_left_school") == (
            case.state,
            (law.get(case_id).events or [])[-1].document["closing_reason"],
        )

    def test_the_leaving_is_documented(self, law: Law2026) -> None:
        """Rule 8: when the pupil left and whether the new school was told are required."""
        case_id = law.drive("measures_active")
        doc = {k: v for k, v in left_school().items() if k != "left_school"}
        message = documentation(
            "close", ("left_school", "is required to close with closing_reason 'pupil_left_school'")
        )
        with law.refused(DocumentationMissing, message):
            law.fire(case_id, "close", doc)

    def test_the_new_school_is_told_only_with_consent(self, law: Law2026) -> None:
        """Rule 8: telling the new school needs the guardians' consent (the case is confidential)."""
        case_id = law.drive("measures_active")
        problem = "must be true when the new school was told; the case is confidential without the guardians' consent"
        with law.refused(DocumentationMissing, documentation("close", ("left_school.guardians_consented", problem))):
            law.fire(case_id, "close", left_school(guardians_consented=False))


class TestStatsforvaltarensDecision:
    def test_each_imposed_measure_is_a_duty_at_its_deadline(self, law: Law2026) -> None:
        """Rule 7: one comply_with_decision per measure, keyed by its id, due at its deadline."""
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_decision", DECISION)
        owed = [(o.key, o.due_at) for o in law.get(case_id).open_obligations("comply_with_decision")]
        assert [("m-8-1", utc(10, 9, 10)), ("rutine", utc(11, 2, 11))] == owed

    def test_a_report_meets_the_duty_of_its_measure(self, law: Law2026) -> None:
        """Rule 7: report_compliance names the measure and meets that one only."""
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_decision", DECISION)
        law.fire(case_id, "report_compliance", {"measure": "rutine", "reported_at": "2026-09-16T09:30", "summary": "S"})
        assert ["m-8-1"] == [o.key for o in law.get(case_id).open_obligations("comply_with_decision")]

    def test_a_report_on_no_imposed_measure_is_refused(self, law: Law2026) -> None:
        """Rule 7: a measure Statsforvaltaren did not impose is named with the open ones."""
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_decision", DECISION)
        problem = ("measure", "names no open 'comply_with_decision' of this case (open: m-8-1, rutine)")
        with law.refused(DocumentationMissing, documentation("report_compliance", problem)):
            law.fire(
                case_id, "report_compliance", {"measure": "m-1-1", "reported_at": "2026-09-16T09:30", "summary": "S"}
            )

    def test_no_closing_while_an_imposed_measure_is_open(self, law: Law2026) -> None:
        """Rule 7: refused, naming the open measures and the step that reports them."""
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_decision", DECISION)
        reason = (
            "case HEL-2026-0001 cannot be closed while measures Statsforvaltaren imposed are open (m-8-1, rutine); "
            "fire 'report_compliance' for each first."
        )
        with law.refused(TransitionNotAllowed, not_now("close", reason)):
            law.fire(case_id, "close", closing())

    def test_an_imposed_measure_not_carried_out_escalates(self, law: Law2026) -> None:
        """Rule 7: at its deadline the principal and the owner hear (the principal is responsible)."""
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_decision", DECISION)
        case = law.get(case_id)
        _, steps = law.engine.escalator.escalate(case, case.open_obligations("comply_with_decision"), utc(10, 9, 11))
        assert [("comply_with_decision", 1, ("principal", "school_owner"))] == [
            (s.obligation, s.level, s.recipients) for s in steps
        ]

    def test_closing_never_meets_statsforvaltarens_deadline(self, law: Law2026) -> None:
        """Rule 7: the response owed to Statsforvaltaren stays open when the case closes."""
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_enforcement", ENFORCEMENT)
        law.fire(case_id, "close", closing())
        case = law.get(case_id)
        assert ("closed", ["respond_to_statsforvalter"]) == (case.state, [o.kind for o in case.open_obligations()])


class TestCasesOf2024KeepTheirRules:
    def test_a_case_opened_on_2024_08_closes_under_its_own_rules(self, settings: Settings, clock: FixedClock) -> None:
        """A case stored on 2024-08 closes after the upgrade without evaluation or best interests, and is
        offered none of the steps of 2026-12."""
        old, factory = make_engine(settings, clock)
        case_id = drive_to(old, "measures_active")
        upgraded = Law2026.of(settings, clock)
        upgraded.factory.store = factory.store
        offered = upgraded.engine.allowed_triggers(case_id, PRINCIPAL)
        upgraded.fire(case_id, "close", {"reason": "Trygg.", "pupil_heard": pupil_heard(True)})
        case = upgraded.get(case_id)
        expected = ("2024-08", "closed", False)
        assert expected == (case.workflow_version, case.state, "register_decision" in offered)
