"""Version 2026-12 of both school workflows, rules 1, 3, 4, 5, 9, 10 and 11 of the issue "The law, whole".

Every refusal names the field or the missing step and leaves the store as it was; every new duty has its
default deadline and climbs the escalation ladder. Times are worked out by hand (see ``tests/law2026.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aktivitetsplikt.engine import DocumentationMissing, FixedClock, Settings, TransitionNotAllowed
from tests.conftest import HANDLER, TEACHER, pupil_heard, report_doc
from tests.law2026 import (
    ASSESSED,
    BEST,
    EVALUATED_AT,
    NOTIFIED,
    STARTED,
    Law2026,
    concluded,
    documentation,
    evaluation,
    not_now,
    plan,
)


@pytest.fixture
def law(settings: Settings, clock: FixedClock) -> Law2026:
    return Law2026.of(settings, clock)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def ladder(law: Law2026, case_id: str, kind: str, now: datetime) -> list[tuple[str, int, tuple[str, ...]]]:
    """The escalation steps a sweep at ``now`` takes for the case's open duties of ``kind``."""
    case = law.get(case_id)
    _, steps = law.engine.escalator.escalate(case, case.open_obligations(kind), now)
    return [(s.obligation, s.level, s.recipients) for s in steps]


class TestNewCasesStartOn2026:
    @pytest.mark.parametrize("workflow", ["aktivitetsplikt", "skjerpa_aktivitetsplikt"])
    def test_a_new_case_is_opened_on_2026_12(self, law: Law2026, workflow: str) -> None:
        """Without [versions] both school workflows open new cases on their newest version."""
        extra = {"accused_staff": "t-20", "accused_is_leadership": False} if workflow.startswith("skjerpa") else {}
        assert "2026-12" == law.get(law.report(workflow, **extra)).workflow_version


class TestWhereItHappened:
    def test_the_setting_defaults_to_school(self, law: Law2026) -> None:
        """Rule 11: a report without a setting happened at school."""
        event = (law.get(law.report()).events or [])[0]
        assert "school" == event.document["setting"]

    def test_the_setting_is_recorded(self, law: Law2026) -> None:
        """Rule 11: SFO, homework help, a school trip or online are recorded as given."""
        event = (law.get(law.report(setting="online")).events or [])[0]
        assert "online" == event.document["setting"]

    def test_an_unknown_setting_is_refused(self, law: Law2026) -> None:
        """Rule 11: the setting is one of the five; anything else names the field."""
        message = documentation(
            "report", ("setting", "input should be 'school', 'sfo', 'homework_help', 'school_trip' or 'online'")
        )
        with law.refused(DocumentationMissing, message):
            law.report(setting="bussen")


class TestVoiceOfThisCycle:
    def test_an_investigation_hears_the_pupil_after_the_report(self, law: Law2026) -> None:
        """Rule 1: a voice from before the report is not the voice of this case; the earliest time is named."""
        case_id = law.drive("investigating")
        problem = (
            "lies before the report this investigation answers; hear the pupil again: "
            "the earliest time allowed is 2026-09-02T09:00+02:00"
        )
        with law.refused(DocumentationMissing, documentation("conclude_investigation", ("pupil_heard.at", problem))):
            law.fire(case_id, "conclude_investigation", concluded(at="2026-09-02T08:30"), HANDLER)

    def test_a_reopened_case_hears_the_pupil_after_the_reopening(self, law: Law2026) -> None:
        """Rule 1: after a reopening, the voice heard in the first round no longer counts."""
        case_id = law.drive("investigating")
        law.reopened(case_id)
        law.fire(case_id, "assess_seriousness", ASSESSED)
        problem = (
            "lies before the reopen this investigation answers; hear the pupil again: "
            "the earliest time allowed is 2026-10-05T11:00+02:00"
        )
        with law.refused(DocumentationMissing, documentation("conclude_investigation", ("pupil_heard.at", problem))):
            law.fire(case_id, "conclude_investigation", concluded(at="2026-10-05T10:30"), HANDLER)

    def test_an_evaluation_hears_the_pupil_after_the_plan(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 1: the pupil's word from before the plan says nothing of how the measures work."""
        case_id = law.drive("measures_active")
        clock.set(EVALUATED_AT)
        doc = evaluation(dict.fromkeys(law.measures(case_id), "carried_out"), heard_at="2026-09-02T09:45")
        problem = (
            "lies before the latest plan; hear the pupil again: the earliest time allowed is 2026-09-02T10:00+02:00"
        )
        with law.refused(DocumentationMissing, documentation("evaluate", ("pupil_heard.at", problem))):
            law.fire(case_id, "evaluate", doc, HANDLER)


class TestBestInterests:
    @pytest.mark.parametrize(
        ("state", "trigger", "document"),
        [
            ("investigating", "conclude_investigation", concluded()),
            ("planning", "adopt_plan", plan()),
        ],
        ids=["conclude", "adopt_plan"],
    )
    def test_the_assessment_is_required(
        self, law: Law2026, state: str, trigger: str, document: dict[str, object]
    ) -> None:
        """Rule 9: concluding and adopting a plan weigh the pupil's best interests in writing."""
        case_id = law.drive(state)
        without = {k: v for k, v in document.items() if k != "best_interests"}
        with law.refused(DocumentationMissing, documentation(trigger, ("best_interests", "is required but missing"))):
            law.fire(case_id, trigger, without, HANDLER)


class TestSeriousnessEveryCycle:
    def test_starting_the_investigation_owes_an_assessment(self, law: Law2026) -> None:
        """Rule 4: the assessment is due one school day after the investigation starts (end of Thu 3 Sep)."""
        case_id = law.drive("investigating")
        fresh = law.report()
        law.fire(fresh, "notify_principal", NOTIFIED, TEACHER)
        law.fire(fresh, "start_investigation", STARTED)
        owed = [(o.kind, o.due_at, o.responsible_role) for o in law.get(fresh).open_obligations("assess_seriousness")]
        assert ([("assess_seriousness", utc(9, 3, 22), "principal")], []) == (
            owed,
            law.get(case_id).open_obligations("assess_seriousness"),
        )

    def test_the_investigation_cannot_conclude_before_the_assessment(self, law: Law2026) -> None:
        """Rule 4: refused naming the missing step."""
        case_id = law.report()
        law.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        law.fire(case_id, "start_investigation", STARTED)
        reason = (
            "seriousness has not been assessed in this investigation of case HEL-2026-0001; "
            "fire 'assess_seriousness' first."
        )
        with law.refused(TransitionNotAllowed, not_now("conclude_investigation", reason)):
            law.fire(case_id, "conclude_investigation", concluded(), HANDLER)

    def test_a_reopened_case_is_assessed_again(self, law: Law2026) -> None:
        """Rule 4: the first round's assessment does not answer for the new incident."""
        case_id = law.drive("investigating")
        law.reopened(case_id)
        reason = (
            "seriousness has not been assessed in this investigation of case HEL-2026-0001; "
            "fire 'assess_seriousness' first."
        )
        with law.refused(TransitionNotAllowed, not_now("conclude_investigation", reason)):
            law.fire(case_id, "conclude_investigation", concluded(at="2026-10-05T11:30"), HANDLER)

    def test_a_serious_new_cycle_owes_its_own_notice_to_the_owner(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 4: "unless one exists" looks at the current cycle: a second serious round owes a second notice."""
        case_id = law.report()
        law.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        law.fire(case_id, "start_investigation", STARTED)
        law.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Vold."})
        law.fire(case_id, "notify_school_owner", {"notified_at": "2026-09-02T09:50", "summary": "Alvorlig."})
        law.fire(case_id, "conclude_investigation", concluded(conclusion="safe", safe=True), HANDLER)
        clock.set(utc(10, 5, 10))
        law.fire(case_id, "reopen", report_doc(occurred_at="2026-10-05T11:00"), TEACHER)
        law.fire(case_id, "start_investigation", STARTED)
        law.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Vold igjen."})
        law.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Fortsatt alvorlig."})
        notices = [o.open for o in law.get(case_id).obligations if o.kind == "notify_school_owner"]
        assert [False, True] == notices

    def test_the_assessment_is_made_once_the_investigation_has_started(self, law: Law2026) -> None:
        """Rule 4: assessing before the investigation started is refused, naming where it is allowed."""
        case_id = law.drive("principal_notified")
        message = (
            "'assess_seriousness' is not allowed while the case is in state 'principal_notified'; "
            "the triggers allowed there are: notify_school_owner, start_investigation, add_note, "
            "register_enforcement, respond_to_statsforvalter, register_decision, report_compliance."
        )
        with law.refused(TransitionNotAllowed, message):
            law.fire(case_id, "assess_seriousness", ASSESSED)

    @pytest.mark.parametrize(
        ("workflow", "due"), [("aktivitetsplikt", utc(9, 3, 22)), ("skjerpa_aktivitetsplikt", utc(9, 2, 12))]
    )
    def test_an_assessment_not_made_escalates(self, law: Law2026, workflow: str, due: datetime) -> None:
        """Rule 4: 1 school day under § 12-4, 4 hours under § 12-5; then the principal and the owner hear."""
        extra = {"accused_staff": "t-20", "accused_is_leadership": False} if workflow.startswith("skjerpa") else {}
        case_id = law.report(workflow, **extra)
        law.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        law.fire(case_id, "start_investigation", STARTED)
        expected = [("assess_seriousness", 1, ("principal", "school_owner"))]
        assert expected == ladder(law, case_id, "assess_seriousness", due)


class TestRevisionDecided:
    def test_deciding_to_revise_owes_a_revision(self, law: Law2026) -> None:
        """Rule 3: due 5 school days after the evaluation (Wed 16 Sep -> end of Wed 23 Sep)."""
        case_id = law.drive("measures_active")
        law.clock.set(EVALUATED_AT)
        law.fire(
            case_id, "evaluate", evaluation(dict.fromkeys(law.measures(case_id), "partly"), decision="revise"), HANDLER
        )
        owed = [(o.due_at, o.responsible_role) for o in law.get(case_id).open_obligations("revise_plan")]
        assert [(utc(9, 23, 22), "responsible")] == owed

    def test_the_revision_meets_it(self, law: Law2026) -> None:
        """Rule 3: revising the plan meets the duty; continuing never owes one."""
        case_id = law.drive("measures_active")
        law.clock.set(EVALUATED_AT)
        law.fire(
            case_id, "evaluate", evaluation(dict.fromkeys(law.measures(case_id), "partly"), decision="revise"), HANDLER
        )
        law.fire(case_id, "revise_plan", plan("2026-09-30T12:00", reason="Friminuttene trenger mer."), HANDLER)
        revisions = [o.open for o in law.get(case_id).obligations if o.kind == "revise_plan"]
        assert [False] == revisions

    def test_a_revision_not_made_escalates(self, law: Law2026) -> None:
        """Rule 3: at its deadline the responsible and the principal hear, the owner the day after."""
        case_id = law.drive("measures_active")
        law.clock.set(EVALUATED_AT)
        law.fire(
            case_id, "evaluate", evaluation(dict.fromkeys(law.measures(case_id), "partly"), decision="revise"), HANDLER
        )
        expected = [
            ("revise_plan", 1, ("responsible", "principal")),
            ("revise_plan", 2, ("school_owner",)),
        ]
        assert expected == ladder(law, case_id, "revise_plan", utc(9, 24, 23))


class TestMeasuresOneByOne:
    def test_each_measure_gets_a_stable_id(self, law: Law2026) -> None:
        """Rule 10: measures without an id get m-<seq>-<n>; a given id is kept."""
        case_id = law.drive("planning")
        measures = [
            {"description": "Voksen i friminuttene", "when": "Hver dag", "responsible": "t-18"},
            {"id": "klassemote", "description": "Klassemøte", "when": "Uke 38", "responsible": "t-17"},
        ]
        law.fire(case_id, "adopt_plan", plan(measures=measures), HANDLER)
        assert ["m-6-1", "klassemote"] == law.measures(case_id)

    def test_an_evaluation_follows_up_every_measure(self, law: Law2026) -> None:
        """Rule 10: a measure left out, or one the plan does not have, is named."""
        case_id = law.drive("measures_active")
        law.clock.set(EVALUATED_AT)
        message = documentation(
            "evaluate",
            ("measures.0.id", "'m-9-1' is not a measure of the plan in force (m-6-1)"),
            ("measures", "lacks m-6-1; give the status of every measure"),
        )
        with law.refused(DocumentationMissing, message):
            law.fire(case_id, "evaluate", evaluation({"m-9-1": "carried_out"}), HANDLER)

    def test_a_revision_keeps_a_measure_by_its_id(self, law: Law2026) -> None:
        """Rule 10: repeating the id keeps the measure; a new measure gets a new id."""
        case_id = law.drive("evaluated")
        measures = [
            {"id": "m-6-1", "description": "Voksen i friminuttene", "when": "Hver dag", "responsible": "t-18"},
            {"description": "Faddere", "when": "Fra mandag", "responsible": "t-17"},
        ]
        law.fire(case_id, "revise_plan", plan("2026-09-30T12:00", measures=measures, reason="Mer trengs."), HANDLER)
        assert ["m-6-1", "m-8-2"] == law.measures(case_id)

    def test_a_revision_naming_an_unknown_measure_is_refused(self, law: Law2026) -> None:
        """Rule 10: an id the plan in force lacks is a typo, not a new measure."""
        case_id = law.drive("evaluated")
        measures = [{"id": "m-6-9", "description": "Voksen", "when": "Hver dag", "responsible": "t-18"}]
        problem = "'m-6-9' is not a measure of the plan in force (m-6-1); leave the id out for a new one"
        with law.refused(DocumentationMissing, documentation("revise_plan", ("measures.0.id", problem))):
            law.fire(case_id, "revise_plan", plan("2026-09-30T12:00", measures=measures, reason="R"), HANDLER)


class TestEveryIncidentReported:
    def test_a_reopening_tells_the_principal(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 5: the reopening sends the principal a notice."""
        case_id = law.drive("closed")
        clock.set(utc(10, 5, 10))
        law.fire(case_id, "reopen", report_doc(occurred_at="2026-10-05T11:00"), TEACHER)
        sent = [(m.recipient_role, m.address, m.payload["trigger"]) for m in law.factory.store.messages(case_id)]
        assert ("principal", "rektor@hellerud.example", "reopen") == sent[-1]

    def test_a_reopening_under_12_5_owes_the_owner_a_notice(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 5: the owner hears of every incident: a notice due 4 hours after it happened."""
        case_id = law.drive("closed", "skjerpa_aktivitetsplikt", accused_staff="t-20", accused_is_leadership=False)
        clock.set(utc(10, 5, 10))
        doc = report_doc(occurred_at="2026-10-05T11:00", accused_staff="t-20")
        law.fire(case_id, "reopen", doc, TEACHER)
        owed = [o.due_at for o in law.get(case_id).open_obligations("notify_school_owner")]
        assert [utc(10, 5, 13)] == owed

    def test_a_reopening_with_the_leadership_accused_tells_the_owner(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 5: the notice meant for the principal goes to the owner, who owes no notice to themselves."""
        case_id = law.drive("closed", "skjerpa_aktivitetsplikt", accused_staff="t-20", accused_is_leadership=True)
        clock.set(utc(10, 5, 10))
        law.fire(case_id, "reopen", report_doc(occurred_at="2026-10-05T11:00", accused_staff="t-20"), TEACHER)
        last = law.factory.store.messages(case_id)[-1]
        expected = (("school_owner", "skoleeier@kommune.example", "reopen"), [])
        assert expected == (
            (last.recipient_role, last.address, last.payload["trigger"]),
            law.get(case_id).open_obligations("notify_school_owner"),
        )

    def test_a_reopening_never_changes_the_leadership_routing(self, law: Law2026, clock: FixedClock) -> None:
        """Rule 6: the reopening's report has no accused_is_leadership; only the owner changes it."""
        case_id = law.drive("closed", "skjerpa_aktivitetsplikt", accused_staff="t-20", accused_is_leadership=True)
        clock.set(utc(10, 5, 10))
        doc = report_doc(occurred_at="2026-10-05T11:00", accused_staff="t-20", accused_is_leadership=False)
        problem = ("accused_is_leadership", "is not a field of this documentation; remove it")
        with law.refused(DocumentationMissing, documentation("reopen", problem)):
            law.fire(case_id, "reopen", doc, TEACHER)


class TestTheVoiceCounts:
    def test_an_unsafe_pupil_does_not_make_a_safe_conclusion(self, law: Law2026) -> None:
        """The 2024-08 rules still hold: 'safe' needs the pupil's own word that they feel safe."""
        case_id = law.drive("investigating")
        problem = (
            "conclusion",
            "can be 'safe' only when pupil_heard.feels_safe is true; conclude 'measures_needed' instead",
        )
        with law.refused(DocumentationMissing, documentation("conclude_investigation", problem)):
            law.fire(case_id, "conclude_investigation", concluded(conclusion="safe"), HANDLER)

    def test_the_pupils_voice_is_kept_with_the_best_interests(self, law: Law2026) -> None:
        """The conclusion's documentation keeps the pupil's views and the assessment of best interests."""
        case_id = law.drive("planning")
        event = next(e for e in law.get(case_id).events or [] if e.trigger == "conclude_investigation")
        expected = (pupil_heard()["views"], BEST)
        assert expected == (event.document["pupil_heard"]["views"], event.document["best_interests"])
