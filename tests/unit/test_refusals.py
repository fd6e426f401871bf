"""Every refusal of spec sections 2 and 3: the error, its message, its fields, and a store left untouched.

A refused trigger must leave no trace: each test snapshots the whole in-memory store (cases with their
state, version and duties, every event, every outbox message) before the refusal and compares after.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from aktivitetsplikt.engine import (
    Actor,
    CaseNotFound,
    ConcurrencyConflict,
    ConfigError,
    DocumentationMissing,
    Engine,
    FieldProblem,
    FixedClock,
    NotPermitted,
    Settings,
    TransitionNotAllowed,
    WorkflowDefinitionError,
)
from tests.conftest import ADMIN, HANDLER, OWNER, PRINCIPAL, TEACHER, drive_to, plan_doc, pupil_heard, report_doc
from tests.fakes import InMemoryUnitOfWorkFactory, make_engine

CASE_BEGAN = "2026-09-02T09:00+02:00"
FUTURE = "lies in the future; record what has happened, when it happened"
BEFORE_CASE = f"lies before the case began ({CASE_BEGAN}); check the date"
MISSING = "is required but missing"
DOCUMENTATION_PREFIX = "The documentation for '{trigger}' is incomplete or invalid; fix these fields and try again: "

OTHER_HANDLER = Actor(id="t-20", role="case_handler", school="hellerud")
DEPUTY = Actor(id="nestleder@hellerud.example", role="deputy", school="hellerud")
UNLISTED_DEPUTY = Actor(id="t-20", role="deputy", school="hellerud")
FURUSET_PRINCIPAL = Actor(id="rektor-furuset", role="principal", school="furuset")
OTHER_OWNER = Actor(id="annen-eier@kommune.example", role="school_owner")
SYSTEM = Actor(id="daemon", role="system")


class Harness:
    """An engine on an in-memory store, with the refusal check every test here uses."""

    def __init__(self, engine: Engine, factory: InMemoryUnitOfWorkFactory, clock: FixedClock) -> None:
        self.engine = engine
        self.factory = factory
        self.clock = clock

    @contextmanager
    def refused(
        self, error: type[Exception], message: str, *, exact: bool = True
    ) -> Iterator[pytest.ExceptionInfo[Any]]:
        """Expect ``error`` with exactly ``message`` (or containing it), and the store as it was before."""
        before = self.factory.store.snapshot_all()
        pattern = f"^{re.escape(message)}$" if exact else re.escape(message)
        with pytest.raises(error, match=pattern) as caught:
            yield caught
        assert before == self.factory.store.snapshot_all()

    def documentation_refused(
        self,
        case_id: str | None,
        trigger: str,
        document: dict[str, Any],
        actor: Actor,
        problems: list[FieldProblem],
        **report: Any,
    ) -> None:
        """Firing (or reporting, when ``case_id`` is None) is refused listing exactly ``problems``."""
        with self.refused(DocumentationMissing, documentation_message(trigger, problems)) as caught:
            if case_id is None:
                self.report(document, **report)
            else:
                self.engine.fire(case_id, trigger, document, actor)
        assert (trigger, problems) == (caught.value.trigger, list(caught.value.fields))

    def report(
        self,
        document: dict[str, Any],
        *,
        workflow: str = "aktivitetsplikt",
        school: str = "hellerud",
        actor: Actor = TEACHER,
    ) -> None:
        self.engine.report(workflow=workflow, school=school, pupil="elev-4711", document=document, actor=actor)


@pytest.fixture
def h(settings: Settings, clock: FixedClock) -> Harness:
    engine, factory = make_engine(settings, clock)
    return Harness(engine, factory, clock)


def documentation_message(trigger: str, problems: list[FieldProblem]) -> str:
    listed = "; ".join(f"{p.field}: {p.problem}" for p in problems)
    return f"{DOCUMENTATION_PREFIX.format(trigger=trigger)}{listed}."


def not_in_state(trigger: str, state: str, allowed: str) -> str:
    return (
        f"'{trigger}' is not allowed while the case is in state '{state}'; the triggers allowed there are: {allowed}."
    )


def conflict(expected: int, found: int) -> str:
    return (
        f"Case HEL-2026-0001 was changed by someone else (expected version {expected}, found {found}); "
        "load it again and retry."
    )


NOTIFIED = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"}
CONCLUDED = {"pupil_heard": pupil_heard(), "others_heard": ["kontaktlærer"], "findings": "F"}


def evaluation(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "held_at": "2026-09-02T09:45",
        "pupil_heard": pupil_heard(),
        "effect": "Litt bedre.",
        "decision": "continue",
        "next_evaluation_at": "2026-09-30T12:00",
    }
    doc.update(overrides)
    return doc


class TestUnknownAndMissingFields:
    def test_unknown_field_in_a_step(self, h: Harness) -> None:
        """A field the documentation does not have is refused by name."""
        case_id = drive_to(h.engine, "reported")
        problems = [FieldProblem("mood", "is not a field of this documentation; remove it")]
        h.documentation_refused(case_id, "notify_principal", {**NOTIFIED, "mood": "ok"}, TEACHER, problems)

    def test_unknown_field_in_a_report(self, h: Harness) -> None:
        """A report with an unknown field opens no case."""
        problems = [FieldProblem("pupil_name", "is not a field of this documentation; remove it")]
        h.documentation_refused(None, "report", report_doc(pupil_name="Kari"), TEACHER, problems)

    def test_unknown_nested_field(self, h: Harness) -> None:
        """An unknown field inside pupil_heard is refused with its dotted path."""
        case_id = drive_to(h.engine, "investigating")
        heard = {**pupil_heard(), "mood": "glad"}
        document = {**CONCLUDED, "pupil_heard": heard, "conclusion": "measures_needed"}
        problems = [FieldProblem("pupil_heard.mood", "is not a field of this documentation; remove it")]
        h.documentation_refused(case_id, "conclude_investigation", document, HANDLER, problems)

    def test_empty_report_lists_every_required_field(self, h: Harness) -> None:
        """An empty report names source, occurred_at, description and kinds."""
        problems = [FieldProblem(f, MISSING) for f in ("source", "occurred_at", "description", "kinds")]
        h.documentation_refused(None, "report", {}, TEACHER, problems)

    def test_empty_skjerpa_report_also_lists_the_accused(self, h: Harness) -> None:
        """An empty § 12-5 report also names accused_staff and accused_is_leadership."""
        fields = ("source", "occurred_at", "description", "kinds", "accused_staff", "accused_is_leadership")
        problems = [FieldProblem(f, MISSING) for f in fields]
        h.documentation_refused(None, "report", {}, TEACHER, problems, workflow="skjerpa_aktivitetsplikt")

    @pytest.mark.parametrize(
        ("state", "trigger", "actor", "fields"),
        [
            ("reported", "notify_principal", TEACHER, ("notified_at", "channel", "summary")),
            ("principal_notified", "assess_seriousness", PRINCIPAL, ("serious", "reason")),
            ("principal_notified", "notify_school_owner", PRINCIPAL, ("notified_at", "summary")),
            ("principal_notified", "start_investigation", PRINCIPAL, ("responsible", "plan")),
            (
                "investigating",
                "conclude_investigation",
                HANDLER,
                ("pupil_heard", "others_heard", "findings", "conclusion"),
            ),
            (
                "planning",
                "adopt_plan",
                HANDLER,
                ("problem", "measures", "evaluation_at", "pupil_participation"),
            ),
            (
                "measures_active",
                "evaluate",
                HANDLER,
                ("held_at", "pupil_heard", "effect", "decision", "next_evaluation_at"),
            ),
            (
                "measures_active",
                "revise_plan",
                HANDLER,
                ("problem", "measures", "evaluation_at", "pupil_participation", "reason"),
            ),
            ("measures_active", "close", PRINCIPAL, ("reason", "pupil_heard")),
            ("closed", "reopen", TEACHER, ("source", "occurred_at", "description", "kinds")),
            ("reported", "add_note", TEACHER, ("text",)),
            ("reported", "register_enforcement", PRINCIPAL, ("received_at", "reference", "response_due_at")),
        ],
    )
    def test_empty_documentation_lists_every_required_field(
        self, h: Harness, state: str, trigger: str, actor: Actor, fields: tuple[str, ...]
    ) -> None:
        """Each trigger fired with {} names every one of its required fields, in declaration order."""
        case_id = drive_to(h.engine, state)
        h.documentation_refused(case_id, trigger, {}, actor, [FieldProblem(f, MISSING) for f in fields])

    def test_missing_nested_fields(self, h: Harness) -> None:
        """An empty pupil_heard names at, feels_safe and views with their dotted paths."""
        case_id = drive_to(h.engine, "investigating")
        document = {**CONCLUDED, "pupil_heard": {}, "conclusion": "measures_needed"}
        problems = [FieldProblem(f"pupil_heard.{f}", MISSING) for f in ("at", "feels_safe", "views")]
        h.documentation_refused(case_id, "conclude_investigation", document, HANDLER, problems)

    def test_plan_needs_a_measure(self, h: Harness) -> None:
        """A plan with no measures is refused."""
        case_id = drive_to(h.engine, "planning")
        problems = [FieldProblem("measures", "list should have at least 1 item after validation, not 0")]
        h.documentation_refused(case_id, "adopt_plan", plan_doc(measures=[]), HANDLER, problems)

    def test_blank_text_is_missing_text(self, h: Harness) -> None:
        """Whitespace is no description."""
        problems = [FieldProblem("description", "string should have at least 1 character")]
        h.documentation_refused(None, "report", report_doc(description="   "), TEACHER, problems)


class TestWrongValues:
    def test_unknown_source_and_kind(self, h: Harness) -> None:
        """A source or a kind outside the spec's lists is refused, naming the allowed values."""
        problems = [
            FieldProblem("source", "input should be 'staff_observation', 'pupil', 'guardian' or 'other'"),
            FieldProblem(
                "kinds.0",
                "input should be 'bullying', 'violence', 'discrimination', 'harassment', 'exclusion', "
                "'offensive_words' or 'other'",
            ),
        ]
        h.documentation_refused(None, "report", report_doc(source="teacher", kinds=["teasing"]), TEACHER, problems)

    def test_no_kinds(self, h: Harness) -> None:
        """A report must name at least one kind."""
        problems = [FieldProblem("kinds", "list should have at least 1 item after validation, not 0")]
        h.documentation_refused(None, "report", report_doc(kinds=[]), TEACHER, problems)

    def test_unknown_conclusion(self, h: Harness) -> None:
        """The conclusion is measures_needed or safe."""
        case_id = drive_to(h.engine, "investigating")
        problems = [FieldProblem("conclusion", "input should be 'measures_needed' or 'safe'")]
        document = {**CONCLUDED, "conclusion": "unclear"}
        h.documentation_refused(case_id, "conclude_investigation", document, HANDLER, problems)

    def test_unknown_evaluation_decision(self, h: Harness) -> None:
        """An evaluation decides continue or revise."""
        case_id = drive_to(h.engine, "measures_active")
        problems = [FieldProblem("decision", "input should be 'continue' or 'revise'")]
        h.documentation_refused(case_id, "evaluate", evaluation(decision="stop"), HANDLER, problems)

    def test_yes_is_not_a_boolean_for_serious(self, h: Harness) -> None:
        """ "yes" is not accepted for serious."""
        case_id = drive_to(h.engine, "principal_notified")
        problems = [FieldProblem("serious", "input should be a valid boolean")]
        h.documentation_refused(case_id, "assess_seriousness", {"serious": "yes", "reason": "R"}, PRINCIPAL, problems)

    def test_yes_is_not_a_boolean_for_feels_safe(self, h: Harness) -> None:
        """ "yes" is not accepted for pupil_heard.feels_safe."""
        case_id = drive_to(h.engine, "investigating")
        heard = {**pupil_heard(), "feels_safe": "yes"}
        document = {**CONCLUDED, "pupil_heard": heard, "conclusion": "measures_needed"}
        problems = [FieldProblem("pupil_heard.feels_safe", "input should be a valid boolean")]
        h.documentation_refused(case_id, "conclude_investigation", document, HANDLER, problems)

    def test_yes_is_not_a_boolean_for_accused_is_leadership(self, h: Harness) -> None:
        """ "yes" is not accepted for accused_is_leadership."""
        document = report_doc(accused_staff="t-20", accused_is_leadership="yes")
        problems = [FieldProblem("accused_is_leadership", "input should be a valid boolean")]
        h.documentation_refused(None, "report", document, TEACHER, problems, workflow="skjerpa_aktivitetsplikt")

    def test_a_date_is_not_a_date_time(self, h: Harness) -> None:
        """An instant needs a time of day."""
        problems = [
            FieldProblem(
                "occurred_at",
                "must be an ISO 8601 date-time like 2026-04-01T10:00 (Oslo time) or 2026-04-01T08:00Z",
            )
        ]
        h.documentation_refused(None, "report", report_doc(occurred_at="2026-09-02"), TEACHER, problems)

    def test_correcting_seq_zero(self, h: Harness) -> None:
        """corrects is a seq, and seqs start at 1."""
        case_id = drive_to(h.engine, "reported")
        problems = [FieldProblem("corrects", "input should be greater than or equal to 1")]
        h.documentation_refused(case_id, "add_note", {"text": "T", "corrects": 0}, TEACHER, problems)


class TestInstants:
    def test_report_occurred_in_the_future(self, h: Harness) -> None:
        """A report cannot have happened after now (10:00 Oslo)."""
        problems = [FieldProblem("occurred_at", FUTURE)]
        h.documentation_refused(None, "report", report_doc(occurred_at="2026-09-02T10:01"), TEACHER, problems)

    def test_reopen_occurred_in_the_future(self, h: Harness) -> None:
        """A reopening report cannot have happened after now."""
        case_id = drive_to(h.engine, "closed")
        problems = [FieldProblem("occurred_at", FUTURE)]
        h.documentation_refused(case_id, "reopen", report_doc(occurred_at="2026-09-02T10:01"), TEACHER, problems)

    def test_notified_in_the_future(self, h: Harness) -> None:
        """The principal cannot have been told after now."""
        case_id = drive_to(h.engine, "reported")
        problems = [FieldProblem("notified_at", FUTURE)]
        document = {**NOTIFIED, "notified_at": "2026-09-02T08:01Z"}
        h.documentation_refused(case_id, "notify_principal", document, TEACHER, problems)

    def test_school_owner_notified_in_the_future(self, h: Harness) -> None:
        """The school owner cannot have been told after now."""
        case_id = drive_to(h.engine, "principal_notified")
        problems = [FieldProblem("notified_at", FUTURE)]
        document = {"notified_at": "2026-09-03T09:00", "summary": "S"}
        h.documentation_refused(case_id, "notify_school_owner", document, PRINCIPAL, problems)

    def test_evaluation_held_in_the_future(self, h: Harness) -> None:
        """An evaluation cannot have been held after now."""
        case_id = drive_to(h.engine, "measures_active")
        problems = [FieldProblem("held_at", FUTURE)]
        h.documentation_refused(case_id, "evaluate", evaluation(held_at="2026-09-02T10:01"), HANDLER, problems)

    def test_notified_before_the_case_began(self, h: Harness) -> None:
        """The principal cannot have been told before what was reported happened."""
        case_id = drive_to(h.engine, "reported")
        problems = [FieldProblem("notified_at", BEFORE_CASE)]
        document = {**NOTIFIED, "notified_at": "2026-09-02T08:59"}
        h.documentation_refused(case_id, "notify_principal", document, TEACHER, problems)

    def test_school_owner_notified_before_the_case_began(self, h: Harness) -> None:
        """The school owner cannot have been told before the case began."""
        case_id = drive_to(h.engine, "principal_notified")
        problems = [FieldProblem("notified_at", BEFORE_CASE)]
        document = {"notified_at": "2026-09-01T12:00", "summary": "S"}
        h.documentation_refused(case_id, "notify_school_owner", document, PRINCIPAL, problems)

    def test_evaluation_held_before_the_case_began(self, h: Harness) -> None:
        """An evaluation cannot have been held before the case began."""
        case_id = drive_to(h.engine, "measures_active")
        problems = [FieldProblem("held_at", BEFORE_CASE)]
        h.documentation_refused(case_id, "evaluate", evaluation(held_at="2026-09-02T06:59Z"), HANDLER, problems)

    def test_reopen_occurred_before_the_case_began(self, h: Harness) -> None:
        """A reopening's occurred_at cannot lie before the case's occurred_at (spec section 2, rules)."""
        case_id = drive_to(h.engine, "closed")
        problems = [FieldProblem("occurred_at", BEFORE_CASE)]
        h.documentation_refused(case_id, "reopen", report_doc(occurred_at="2026-09-01T09:00"), TEACHER, problems)


class TestTransitionNotAllowed:
    def test_trigger_not_allowed_in_state(self, h: Harness) -> None:
        """adopt_plan in 'reported' is refused, naming the state and the actor's allowed triggers."""
        case_id = drive_to(h.engine, "reported")
        allowed = "notify_principal, notify_school_owner, add_note, register_enforcement, respond_to_statsforvalter"
        with h.refused(TransitionNotAllowed, not_in_state("adopt_plan", "reported", allowed)) as caught:
            h.engine.fire(case_id, "adopt_plan", plan_doc(), PRINCIPAL)
        expected = ("adopt_plan", "reported")
        assert expected == (caught.value.trigger, caught.value.state)
        assert tuple(allowed.split(", ")) == caught.value.allowed

    def test_close_while_investigating(self, h: Harness) -> None:
        """close is only possible from measures_active."""
        case_id = drive_to(h.engine, "investigating")
        allowed = (
            "assess_seriousness, notify_school_owner, conclude_investigation, add_note, "
            "register_enforcement, respond_to_statsforvalter"
        )
        document = {"reason": "R", "pupil_heard": pupil_heard(True)}
        with h.refused(TransitionNotAllowed, not_in_state("close", "investigating", allowed)):
            h.engine.fire(case_id, "close", document, PRINCIPAL)

    def test_reopen_an_open_case(self, h: Harness) -> None:
        """Only a closed case can be reopened; staff are told what they may do instead."""
        case_id = drive_to(h.engine, "measures_active")
        with h.refused(TransitionNotAllowed, not_in_state("reopen", "measures_active", "add_note")):
            h.engine.fire(case_id, "reopen", report_doc(), TEACHER)

    def test_leave_closed_other_than_by_reopen(self, h: Harness) -> None:
        """A closed case takes no plan step."""
        case_id = drive_to(h.engine, "closed")
        allowed = "add_note, register_enforcement, respond_to_statsforvalter, reopen"
        with h.refused(TransitionNotAllowed, not_in_state("evaluate", "closed", allowed)):
            h.engine.fire(case_id, "evaluate", evaluation(), PRINCIPAL)

    def test_unknown_trigger(self, h: Harness) -> None:
        """A trigger no workflow has is refused the same way, with the allowed triggers."""
        case_id = drive_to(h.engine, "reported")
        with h.refused(TransitionNotAllowed, not_in_state("escalate_now", "reported", "notify_principal, add_note")):
            h.engine.fire(case_id, "escalate_now", {}, TEACHER)

    def test_report_on_an_existing_case(self, h: Harness) -> None:
        """report opens cases; it cannot be fired on one."""
        case_id = drive_to(h.engine, "reported")
        with h.refused(TransitionNotAllowed, not_in_state("report", "reported", "notify_principal, add_note")):
            h.engine.fire(case_id, "report", report_doc(), TEACHER)

    def test_no_auto_transition_to_a_state(self, h: Harness) -> None:
        """transitions' to_<state> shortcuts do not exist: to_closed is an unknown trigger."""
        case_id = drive_to(h.engine, "measures_active")
        allowed = (
            "assess_seriousness, notify_school_owner, evaluate, revise_plan, close, add_note, "
            "register_enforcement, respond_to_statsforvalter"
        )
        with h.refused(TransitionNotAllowed, not_in_state("to_closed", "measures_active", allowed)):
            h.engine.fire(case_id, "to_closed", {}, PRINCIPAL)


def _only(who: str, trigger: str, actor: Actor, hint: str = "") -> str:
    return f"Only {who} may fire '{trigger}'; {actor.id} acts as {actor.role}{hint}."


class TestNotPermitted:
    def test_staff_cannot_start_the_investigation(self, h: Harness) -> None:
        """start_investigation is the principal's."""
        case_id = drive_to(h.engine, "principal_notified")
        with h.refused(NotPermitted, _only("the principal", "start_investigation", TEACHER)):
            h.engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, TEACHER)

    def test_staff_cannot_assess_seriousness(self, h: Harness) -> None:
        """assess_seriousness is the principal's."""
        case_id = drive_to(h.engine, "principal_notified")
        with h.refused(NotPermitted, _only("the principal", "assess_seriousness", TEACHER)):
            h.engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "R"}, TEACHER)

    def test_case_handler_who_is_not_the_responsible(self, h: Harness) -> None:
        """A case handler acts only on the case they were appointed to."""
        case_id = drive_to(h.engine, "investigating")
        hint = " (t-20 is not the case's responsible; the principal appoints one with start_investigation)"
        message = _only("the principal or the case's responsible", "conclude_investigation", OTHER_HANDLER, hint)
        with h.refused(NotPermitted, message):
            h.engine.fire(
                case_id,
                "conclude_investigation",
                {**CONCLUDED, "conclusion": "measures_needed"},
                OTHER_HANDLER,
            )

    def test_case_handler_cannot_close(self, h: Harness) -> None:
        """Even the responsible cannot close the case; that is the principal's."""
        case_id = drive_to(h.engine, "measures_active")
        with h.refused(NotPermitted, _only("the principal", "close", HANDLER)):
            h.engine.fire(case_id, "close", {"reason": "R", "pupil_heard": pupil_heard(True)}, HANDLER)

    def test_deputy_not_configured(self, h: Harness) -> None:
        """A deputy who is not listed under the school's deputies does not act for the principal."""
        case_id = drive_to(h.engine, "principal_notified")
        hint = " (t-20 is not listed under [schools.hellerud] deputies)"
        with h.refused(NotPermitted, _only("the principal", "start_investigation", UNLISTED_DEPUTY, hint)):
            h.engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, UNLISTED_DEPUTY)

    def test_configured_deputy_acts_for_the_principal(self, h: Harness) -> None:
        """The deputy listed in [schools.hellerud] deputies may start the investigation."""
        case_id = drive_to(h.engine, "principal_notified")
        case = h.engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, DEPUTY)
        expected = ("investigating", "deputy")
        assert expected == (case.state, h.factory.store.events[case_id][-1].actor_role)

    def test_actor_of_another_school_fires(self, h: Harness) -> None:
        """The principal of furuset cannot act on a hellerud case."""
        case_id = drive_to(h.engine, "principal_notified")
        message = (
            "rektor-furuset belongs to school 'furuset' and cannot act on a case of school 'hellerud'; "
            "act as someone at that school."
        )
        with h.refused(NotPermitted, message):
            h.engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, FURUSET_PRINCIPAL)

    def test_actor_of_another_school_reports(self, h: Harness) -> None:
        """Staff of furuset cannot open a case at hellerud."""
        actor = Actor(id="t-99", role="staff", school="furuset")
        message = (
            "t-99 belongs to school 'furuset' and cannot act on a case of school 'hellerud'; "
            "act as someone at that school."
        )
        with h.refused(NotPermitted, message):
            h.report(report_doc(), actor=actor)

    def test_actor_without_a_school(self, h: Harness) -> None:
        """Staff who name no school act on none."""
        case_id = drive_to(h.engine, "reported")
        actor = Actor(id="t-17", role="staff")
        with h.refused(
            NotPermitted, "t-17 has no school; say which school the actor belongs to (it must be 'hellerud')."
        ):
            h.engine.fire(case_id, "add_note", {"text": "T"}, actor)

    def test_school_owner_not_configured_for_the_school(self, h: Harness) -> None:
        """Only the school owner configured for hellerud acts as its school owner."""
        case_id = drive_to(h.engine, "reported")
        message = (
            "annen-eier@kommune.example is not the school owner configured for school 'hellerud'; "
            "set [schools.hellerud] school_owner or act as skoleeier@kommune.example."
        )
        with h.refused(NotPermitted, message):
            h.engine.fire(case_id, "add_note", {"text": "T"}, OTHER_OWNER)

    def test_school_owner_is_not_the_principal_of_an_ordinary_case(self, h: Harness) -> None:
        """Outside § 12-5 with an accused leadership, the school owner does not fire the principal's steps."""
        case_id = drive_to(h.engine, "principal_notified")
        with h.refused(NotPermitted, _only("the principal", "start_investigation", OWNER)):
            h.engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, OWNER)

    def test_system_actor_fires(self, h: Harness) -> None:
        """The system actor fires no trigger."""
        case_id = drive_to(h.engine, "reported")
        with h.refused(
            NotPermitted, "The system actor only records escalations; fire triggers as a person with a role."
        ):
            h.engine.fire(case_id, "add_note", {"text": "T"}, SYSTEM)

    def test_system_actor_reports(self, h: Harness) -> None:
        """The system actor opens no case."""
        with h.refused(
            NotPermitted, "The system actor only records escalations; fire triggers as a person with a role."
        ):
            h.report(report_doc(), actor=SYSTEM)


class TestLawRules:
    def test_safe_conclusion_while_the_pupil_feels_unsafe(self, h: Harness) -> None:
        """A case is not 'safe' while the pupil says otherwise (§ 12-4)."""
        case_id = drive_to(h.engine, "investigating")
        problem = "can be 'safe' only when pupil_heard.feels_safe is true; conclude 'measures_needed' instead"
        document = {**CONCLUDED, "conclusion": "safe"}
        h.documentation_refused(
            case_id, "conclude_investigation", document, HANDLER, [FieldProblem("conclusion", problem)]
        )

    def test_close_while_the_pupil_feels_unsafe(self, h: Harness) -> None:
        """The case stays open until the pupil feels safe."""
        case_id = drive_to(h.engine, "measures_active")
        problem = "must be true to close the case; keep the measures going and evaluate again"
        document = {"reason": "R", "pupil_heard": pupil_heard(False)}
        h.documentation_refused(
            case_id, "close", document, PRINCIPAL, [FieldProblem("pupil_heard.feels_safe", problem)]
        )

    def test_close_before_the_school_owner_was_told(self, h: Harness) -> None:
        """A serious case cannot be closed while notify_school_owner is open."""
        case_id = drive_to(h.engine, "measures_active")
        h.engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "R"}, PRINCIPAL)
        message = (
            "'close' is not allowed now: case HEL-2026-0001 cannot be closed while the school owner has not "
            "been notified; fire 'notify_school_owner' first."
        )
        with h.refused(TransitionNotAllowed, message) as caught:
            h.engine.fire(case_id, "close", {"reason": "R", "pupil_heard": pupil_heard(True)}, PRINCIPAL)
        expected = ("close", "measures_active", ())
        assert expected == (
            caught.value.trigger,
            caught.value.state,
            caught.value.allowed,
        )

    def test_safe_conclusion_before_the_school_owner_was_told(self, h: Harness) -> None:
        """Concluding 'safe' closes the case, so it too waits for the school owner's notice."""
        case_id = drive_to(h.engine, "investigating")
        h.engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "R"}, PRINCIPAL)
        message = (
            "'conclude_investigation' is not allowed now: case HEL-2026-0001 cannot be closed while "
            "the school owner has not been notified; fire 'notify_school_owner' first."
        )
        document = {**CONCLUDED, "pupil_heard": pupil_heard(True), "conclusion": "safe"}
        with h.refused(TransitionNotAllowed, message):
            h.engine.fire(case_id, "conclude_investigation", document, HANDLER)

    def test_skjerpa_case_cannot_close_before_the_school_owner_was_told(self, h: Harness) -> None:
        """Under § 12-5 the school owner is always owed a notice before the case closes."""
        case_id = drive_to(
            h.engine,
            "investigating",
            workflow="skjerpa_aktivitetsplikt",
            accused_staff="t-20",
            accused_is_leadership=False,
        )
        message = (
            "'conclude_investigation' is not allowed now: case HEL-2026-0001 cannot be closed while "
            "the school owner has not been notified; fire 'notify_school_owner' first."
        )
        document = {**CONCLUDED, "pupil_heard": pupil_heard(True), "conclusion": "safe"}
        with h.refused(TransitionNotAllowed, message):
            h.engine.fire(case_id, "conclude_investigation", document, HANDLER)

    @pytest.mark.parametrize("evaluation_at", ["2026-09-01T12:00", "2026-09-02T10:00"])
    def test_plan_evaluation_not_after_the_adoption(self, h: Harness, evaluation_at: str) -> None:
        """The plan's evaluation lies after its adoption (now: 10:00 Oslo)."""
        case_id = drive_to(h.engine, "planning")
        problem = "must lie in the future; set the date of the coming evaluation"
        h.documentation_refused(
            case_id,
            "adopt_plan",
            plan_doc(evaluation_at),
            HANDLER,
            [FieldProblem("evaluation_at", problem)],
        )

    def test_plan_evaluation_later_than_six_weeks(self, h: Harness) -> None:
        """§ 12-4: the plan is evaluated within 6w of its adoption."""
        case_id = drive_to(h.engine, "planning")
        problem = "is later than 6w after the plan (at the latest 2026-10-14T10:00+02:00); evaluate sooner"
        h.documentation_refused(
            case_id,
            "adopt_plan",
            plan_doc("2026-10-14T10:01"),
            HANDLER,
            [FieldProblem("evaluation_at", problem)],
        )

    def test_plan_evaluation_at_exactly_six_weeks_is_accepted(self, h: Harness) -> None:
        """The limit itself is allowed."""
        case_id = drive_to(h.engine, "planning")
        expected = "measures_active"
        assert expected == h.engine.fire(case_id, "adopt_plan", plan_doc("2026-10-14T10:00"), HANDLER).state

    def test_skjerpa_plan_evaluation_later_than_four_weeks(self, h: Harness) -> None:
        """§ 12-5: the plan is evaluated within 4w of its adoption."""
        case_id = drive_to(
            h.engine,
            "planning",
            workflow="skjerpa_aktivitetsplikt",
            accused_staff="t-20",
            accused_is_leadership=False,
        )
        problem = "is later than 4w after the plan (at the latest 2026-09-30T10:00+02:00); evaluate sooner"
        h.documentation_refused(
            case_id,
            "adopt_plan",
            plan_doc("2026-09-30T10:01"),
            HANDLER,
            [FieldProblem("evaluation_at", problem)],
        )

    def test_revised_plan_evaluation_later_than_six_weeks(self, h: Harness) -> None:
        """A revised plan obeys the same window."""
        case_id = drive_to(h.engine, "measures_active")
        problem = "is later than 6w after the plan (at the latest 2026-10-14T10:00+02:00); evaluate sooner"
        document = plan_doc("2026-10-15T10:00", reason="Nytt tiltak.")
        h.documentation_refused(case_id, "revise_plan", document, HANDLER, [FieldProblem("evaluation_at", problem)])

    def test_next_evaluation_beyond_the_interval_after_this_one(self, h: Harness) -> None:
        """The next evaluation lies within 6w of the one held (09:45 Oslo), not of now."""
        case_id = drive_to(h.engine, "measures_active")
        problem = "is later than 6w after this evaluation (at the latest 2026-10-14T09:45+02:00); evaluate sooner"
        document = evaluation(next_evaluation_at="2026-10-14T09:46")
        h.documentation_refused(case_id, "evaluate", document, HANDLER, [FieldProblem("next_evaluation_at", problem)])

    def test_next_evaluation_in_the_past(self, h: Harness) -> None:
        """The next evaluation lies ahead."""
        case_id = drive_to(h.engine, "measures_active")
        problem = "must lie in the future; set the date of the coming evaluation"
        document = evaluation(next_evaluation_at="2026-09-02T09:50")
        h.documentation_refused(case_id, "evaluate", document, HANDLER, [FieldProblem("next_evaluation_at", problem)])

    def test_accused_as_responsible(self, h: Harness) -> None:
        """§ 12-5: the accused employee never investigates their own case."""
        case_id = drive_to(
            h.engine,
            "principal_notified",
            workflow="skjerpa_aktivitetsplikt",
            accused_staff="t-20",
            accused_is_leadership=False,
        )
        problem = "is the accused employee; appoint someone else"
        h.documentation_refused(
            case_id,
            "start_investigation",
            {"responsible": "t-20", "plan": "P"},
            PRINCIPAL,
            [FieldProblem("responsible", problem)],
        )

    def test_correcting_an_event_that_does_not_exist(self, h: Harness) -> None:
        """add_note corrects only an event of this case's log."""
        case_id = drive_to(h.engine, "principal_notified")
        problem = "must be the seq of an event of this case (1 to 2)"
        h.documentation_refused(
            case_id,
            "add_note",
            {"text": "Rettelse", "corrects": 3},
            TEACHER,
            [FieldProblem("corrects", problem)],
        )

    def test_correcting_an_existing_event_is_accepted(self, h: Harness) -> None:
        """A correction of seq 2 is a new event; the corrected one stays as it was."""
        case_id = drive_to(h.engine, "principal_notified")
        before = h.factory.store.events[case_id][1]
        h.engine.fire(case_id, "add_note", {"text": "Rettelse", "corrects": 2}, TEACHER)
        events = h.factory.store.events[case_id]
        assert (3, before, 2) == (len(events), events[1], events[2].document["corrects"])

    def test_respond_without_an_enforcement_case(self, h: Harness) -> None:
        """A response to Statsforvalteren needs a registered enforcement case."""
        case_id = drive_to(h.engine, "measures_active")
        message = (
            "'respond_to_statsforvalter' is not allowed now: case HEL-2026-0001 has no open enforcement "
            "case; fire 'register_enforcement' first with Statsforvalteren's deadline."
        )
        with h.refused(TransitionNotAllowed, message):
            h.engine.fire(
                case_id,
                "respond_to_statsforvalter",
                {"sent_at": "2026-09-02T09:50", "summary": "S"},
                PRINCIPAL,
            )

    def test_respond_twice_to_one_enforcement_case(self, h: Harness) -> None:
        """Once answered, the enforcement case is no longer open."""
        case_id = drive_to(h.engine, "measures_active")
        registered = {
            "received_at": "2026-09-02T09:30",
            "reference": "SF-1",
            "response_due_at": "2026-09-20T12:00",
        }
        h.engine.fire(case_id, "register_enforcement", registered, PRINCIPAL)
        response = {"sent_at": "2026-09-02T09:50", "summary": "S"}
        h.engine.fire(case_id, "respond_to_statsforvalter", response, PRINCIPAL)
        with h.refused(
            TransitionNotAllowed,
            "'respond_to_statsforvalter' is not allowed now: case HEL-2026-0001 "
            "has no open enforcement case; fire 'register_enforcement' first with Statsforvalteren's "
            "deadline.",
        ):
            h.engine.fire(case_id, "respond_to_statsforvalter", response, PRINCIPAL)


class TestConcurrency:
    def test_stale_expected_version(self, h: Harness) -> None:
        """Firing with an expected_version the case has left behind is a conflict."""
        case_id = drive_to(h.engine, "reported")
        message = conflict(0, 1)
        with h.refused(ConcurrencyConflict, message) as caught:
            h.engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER, expected_version=0)
        expected = ("HEL-2026-0001", 0, 1)
        assert expected == (caught.value.case_ref, caught.value.expected, caught.value.actual)

    def test_current_expected_version_is_accepted(self, h: Harness) -> None:
        """The version the caller read is accepted."""
        case_id = drive_to(h.engine, "reported")
        expected = 2
        assert expected == h.engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER, expected_version=1).version

    def test_a_step_decided_on_a_stale_read_is_not_stored(self, h: Harness) -> None:
        """A writer who read version 1 cannot store its step after another writer stored version 2."""
        case_id = drive_to(h.engine, "reported")
        stale = h.engine.get(case_id, events=False, actor=ADMIN)
        h.engine.fire(case_id, "add_note", {"text": "Først"}, TEACHER)
        decision = h.engine.decider.fire(stale, "add_note", {"text": "Sist"}, TEACHER, h.clock.now())
        message = conflict(1, 2)
        with h.refused(ConcurrencyConflict, message), h.factory(write=True) as uow:
            uow.cases.save(decision, stale.version)
            uow.commit()

    def test_unit_of_work_left_without_commit_stores_nothing(self, h: Harness) -> None:
        """A step saved in a unit of work that raises before commit leaves no trace."""
        case_id = drive_to(h.engine, "reported")
        case = h.engine.get(case_id, events=False, actor=ADMIN)
        decision = h.engine.decider.fire(case, "notify_principal", NOTIFIED, TEACHER, h.clock.now())
        crash = "crash before commit"
        with h.refused(RuntimeError, crash), h.factory(write=True) as uow:
            uow.cases.save(decision, case.version)
            raise RuntimeError(crash)

    def test_interleaved_units_of_work_conflict_at_commit(self, h: Harness) -> None:
        """Of two units of work saving the same version, the second to commit is refused whole."""
        case_id = drive_to(h.engine, "reported")
        case = h.engine.get(case_id, events=False, actor=ADMIN)
        first = h.engine.decider.fire(case, "add_note", {"text": "A"}, TEACHER, h.clock.now())
        second = h.engine.decider.fire(case, "add_note", {"text": "B"}, TEACHER, h.clock.now())
        with h.factory(write=True) as uow_a, h.factory(write=True) as uow_b:
            uow_a.cases.save(first, 1)
            uow_b.cases.save(second, 1)
            uow_a.commit()
            message = conflict(1, 2)
            with h.refused(ConcurrencyConflict, message):
                uow_b.commit()
        expected = ["report", "add_note"]
        assert expected == [e.trigger for e in h.factory.store.events[case_id]]
        expected = "A"
        assert expected == h.factory.store.events[case_id][-1].document["text"]


class TestSetup:
    def test_report_to_an_unknown_school(self, h: Harness) -> None:
        """A school missing from [schools] is a configuration problem."""
        message = "Unknown school 'nowhere'; add [schools.nowhere] to config.toml (known: furuset, hellerud)."
        with h.refused(ConfigError, message):
            h.report(report_doc(), school="nowhere")

    def test_report_in_an_unknown_workflow(self, h: Harness) -> None:
        """Only registered workflows open cases."""
        message = (
            "Unknown workflow 'mobbing'; use one of: aktivitetsplikt, barnehage_aktivitetsplikt, "
            "skjerpa_aktivitetsplikt, skjerpa_barnehage_aktivitetsplikt."
        )
        with h.refused(WorkflowDefinitionError, message):
            h.report(report_doc(), workflow="mobbing")

    def test_refused_report_takes_no_case_number(self, h: Harness) -> None:
        """After a refused report the next case still gets number 0001."""
        with pytest.raises(DocumentationMissing):
            h.report({})
        h.report(report_doc())
        expected = ["HEL-2026-0001"]
        assert expected == [c.number for c in h.factory.store.cases.values()]

    def test_fire_on_an_unknown_case(self, h: Harness) -> None:
        """A case reference that matches neither an id nor a number is not found."""
        drive_to(h.engine, "reported")
        message = "No case has the id or number 'HEL-2026-0099'; check it with 'aktivitetsplikt cases'."
        with h.refused(CaseNotFound, message) as caught:
            h.engine.fire("HEL-2026-0099", "add_note", {"text": "T"}, TEACHER)
        expected = "HEL-2026-0099"
        assert expected == caught.value.ref
