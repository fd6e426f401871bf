"""The kindergarten workflows, barnehageloven §§ 42 and 43, on an in-memory store.

The test kindergarten (``tests/units_support.py``) is closed on Thursday 3, Friday 4 and Tuesday 8
September 2026. T0 is Wednesday 2 September 2026, 10:00 Oslo; the report happened at 09:00. Oslo is UTC+2,
so the end of Monday 7 September is 2026-09-07T22:00Z. Deadlines are counted by hand in working days.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import (
    Actor,
    DocumentationMissing,
    Engine,
    FixedClock,
    NotPermitted,
    TransitionNotAllowed,
)
from aktivitetsplikt.engine.bootstrap import builtin_registry
from aktivitetsplikt.notifiers.render import Renderer
from tests.conftest import ADMIN
from tests.fakes import InMemoryUnitOfWorkFactory, make_engine
from tests.units_support import CHILD, STAFF, load_unit_settings, utc

WORKFLOW = "barnehage_aktivitetsplikt"
OFFENCE = "skjerpa_barnehage_aktivitetsplikt"
DIRECTOR = Actor(id="styrer", role="principal", school="solsikken")
HANDLER = Actor(id="b-11", role="case_handler", school="solsikken")
OWNER = Actor(id="eier@kommune.example", role="school_owner")

Wired = tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]


@pytest.fixture
def wired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Wired:
    clock = FixedClock(utc(9, 2, 8))
    engine, factory = make_engine(load_unit_settings(tmp_path, monkeypatch, deadlines=""), clock)
    return engine, factory, clock


def report_doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "source": "parents",
        "occurred_at": "2026-09-02T09:00",
        "description": "Foreldrene forteller at barnet holdes utenfor leken.",
        "kinds": ["exclusion"],
    }
    return doc | overrides


def child_heard(feels_safe: bool = False, how: str = "observation") -> dict[str, Any]:
    expression = "Barnet leker alene og søker en voksen." if how == "observation" else "Barnet sier det er greit nå."
    return {"at": "2026-09-02T09:30", "how": how, "expression": expression, "feels_safe": feels_safe}


def conclusion(feels_safe: bool = False, result: str = "measures_needed", **heard: Any) -> dict[str, Any]:
    return {
        "child_heard": child_heard(feels_safe, **heard),
        "others_heard": ["foreldrene"],
        "findings": "Barnet holdes utenfor.",
        "conclusion": result,
    }


PLAN = {
    "problem": "Barnet holdes utenfor leken.",
    "measures": [{"description": "En voksen i leken", "when": "Hver dag", "responsible": "b-11"}],
    "evaluation_at": "2026-09-16T12:00",
    "child_participation": "Barnet viste hvem det liker å leke med.",
}
NOTICE = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding til styrer."}


def open_case(engine: Engine, workflow: str = WORKFLOW, **report: Any) -> str:
    case = engine.report(workflow=workflow, school="solsikken", pupil=CHILD, document=report_doc(**report), actor=STAFF)
    return case.id


def investigating(engine: Engine) -> str:
    """A § 42 case the director has been told of and has started to investigate, with b-11 responsible."""
    case_id = open_case(engine)
    engine.fire(case_id, "notify_director", NOTICE, STAFF)
    engine.fire(case_id, "start_investigation", {"responsible": "b-11", "plan": "Observasjon i leken."}, DIRECTOR)
    return case_id


def due(engine: Engine, case_id: str) -> dict[str, datetime]:
    return {o.kind: o.due_at for o in engine.get(case_id, actor=ADMIN).obligations}


class TestPacks:
    @pytest.mark.parametrize("workflow", [WORKFLOW, OFFENCE])
    def test_registered_for_kindergartens(self, workflow: str) -> None:
        """Both packs serve kindergartens, in the version of the law of 1 January 2021."""
        pack = builtin_registry().pack(workflow)
        assert ("kindergarten", "2021-01") == (pack.institution, pack.latest.version)

    def test_the_states_and_steps_of_a_kindergarten(self) -> None:
        """The director is told; the owner is told; no step answers Statsforvaltaren."""
        spec = builtin_registry().spec(WORKFLOW)
        expected = (
            ["reported", "director_notified", "investigating", "planning", "measures_active", "closed"],
            [
                "report",
                "notify_director",
                "assess_seriousness",
                "notify_owner",
                "start_investigation",
                "conclude_investigation",
                "adopt_plan",
                "evaluate",
                "revise_plan",
                "close",
                "add_note",
                "reopen",
            ],
            [
                "notify_director",
                "notify_owner",
                "start_investigation",
                "conclude_investigation",
                "adopt_plan",
                "evaluate",
            ],
        )
        assert expected == (
            [s.id for s in spec.states],
            [t.trigger for t in spec.transitions],
            [o.kind for o in spec.obligations],
        )

    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("nb", ("styrer", "barnehageeier", "barnehage", "barnet", "3 arbeidsdager", "Styrer varslet")),
            ("nn", ("styrar", "barnehageeigar", "barnehage", "barnet", "3 arbeidsdagar", "Styrar varsla")),
        ],
    )
    def test_the_words_of_a_kindergarten(self, language: str, expected: tuple[str, ...]) -> None:
        """The head is the director, the owner the kindergarten owner, the case is about the child."""
        words = builtin_registry().words(WORKFLOW, language)  # type: ignore[arg-type]
        assert words is not None
        actual = (
            words.roles["principal"],
            words.roles["school_owner"],
            words.unit,
            words.pupil,
            words.days(3),
            words.states["director_notified"],
        )
        assert expected == actual

    def test_the_legal_references(self) -> None:
        """§ 42 and § 43 of barnehageloven."""
        registry = builtin_registry()
        expected = [("barnehageloven § 42", "§ 42"), ("barnehageloven § 43", "§ 43")]
        words = [registry.words(w) for w in (WORKFLOW, OFFENCE)]
        assert expected == [(w.legal_basis, w.section) for w in words if w is not None]

    @pytest.mark.parametrize("workflow", [WORKFLOW, OFFENCE])
    def test_deadlines_run_in_working_days(self, workflow: str) -> None:
        """Every configured deadline of days is in working days; the notices of § 43 in hours ("straks")."""
        units = {duration.unit for duration in builtin_registry().pack(workflow).deadlines.values()}
        expected = {"wd", "w", "h"} if workflow == OFFENCE else {"wd", "w"}
        assert expected == units


class TestSection42Path:
    def test_duties_fall_on_the_kindergartens_working_days(self, wired: Wired) -> None:
        """Report to plan: each deadline skips the weekend and the closed Thursday, Friday and Tuesday."""
        engine, _, _ = wired
        case_id = open_case(engine)
        assert {"notify_director": utc(9, 7, 22)} == due(engine, case_id)
        engine.fire(case_id, "notify_director", NOTICE, STAFF)
        engine.fire(case_id, "start_investigation", {"responsible": "b-11", "plan": "Observasjon."}, DIRECTOR)
        engine.fire(case_id, "conclude_investigation", conclusion(), HANDLER)
        engine.fire(case_id, "adopt_plan", PLAN, HANDLER)
        expected = {
            "notify_director": utc(9, 7, 22),  # 1wd: Monday 7
            "start_investigation": utc(9, 9, 22),  # 2wd from Wednesday 2: Monday 7, Wednesday 9
            "conclude_investigation": utc(9, 21, 22),  # 10wd: Monday 21
            "adopt_plan": utc(9, 14, 22),  # 5wd: Monday 14
            "evaluate": utc(9, 16, 10),  # the plan's date
        }
        assert expected == due(engine, case_id)

    def test_closed_when_the_child_is_safe(self, wired: Wired) -> None:
        """The director closes the case once the child, heard in conversation, is safe; every duty is met."""
        engine, _, _ = wired
        case_id = investigating(engine)
        engine.fire(case_id, "conclude_investigation", conclusion(), HANDLER)
        engine.fire(case_id, "adopt_plan", PLAN, HANDLER)
        closing = {"reason": "Barnet trives.", "child_heard": child_heard(True, "conversation")}
        case = engine.fire(case_id, "close", closing, DIRECTOR)
        assert ("closed", []) == (case.state, case.open_obligations())

    def test_the_director_is_told_at_the_directors_address(self, wired: Wired) -> None:
        """notify_director queues one notice, for the director."""
        engine, factory, _ = wired
        case_id = open_case(engine)
        engine.fire(case_id, "notify_director", NOTICE, STAFF)
        expected = [("notice", "principal", "styrer@solsikken.example")]
        assert expected == [(m.kind, m.recipient_role, m.address) for m in factory.store.messages(case_id)]


class TestChildsVoice:
    def test_an_observation_is_the_voice_of_the_youngest(self, wired: Wired) -> None:
        """What staff observed of the child's expression concludes an investigation as safe."""
        engine, _, _ = wired
        case = engine.fire(investigating(engine), "conclude_investigation", conclusion(True, "safe"), HANDLER)
        assert "closed" == case.state

    def test_how_the_child_was_heard_is_conversation_or_observation(self, wired: Wired) -> None:
        """Any other way of hearing the child is refused, naming the field."""
        engine, _, _ = wired
        with pytest.raises(DocumentationMissing) as caught:
            engine.fire(investigating(engine), "conclude_investigation", conclusion(how="rumour"), HANDLER)
        assert ["child_heard.how"] == [p.field for p in caught.value.fields]

    def test_safe_only_when_the_child_feels_safe(self, wired: Wired) -> None:
        """A 'safe' conclusion while the child is not safe is refused: the child's experience decides."""
        engine, _, _ = wired
        problem = "can be 'safe' only when child_heard.feels_safe is true; conclude 'measures_needed' instead"
        with pytest.raises(DocumentationMissing) as caught:
            engine.fire(investigating(engine), "conclude_investigation", conclusion(False, "safe"), HANDLER)
        assert [("conclusion", problem)] == [(p.field, p.problem) for p in caught.value.fields]

    def test_closing_needs_the_child_safe(self, wired: Wired) -> None:
        """The case stays open while the child is not safe."""
        engine, _, _ = wired
        case_id = investigating(engine)
        engine.fire(case_id, "conclude_investigation", conclusion(), HANDLER)
        engine.fire(case_id, "adopt_plan", PLAN, HANDLER)
        with pytest.raises(DocumentationMissing) as caught:
            engine.fire(case_id, "close", {"reason": "Ferdig.", "child_heard": child_heard(False)}, DIRECTOR)
        assert ["child_heard.feels_safe"] == [p.field for p in caught.value.fields]

    def test_the_pupils_fields_are_not_the_childs(self, wired: Wired) -> None:
        """A school's pupil_heard is refused: a kindergarten documents the child's expression."""
        engine, _, _ = wired
        document = conclusion() | {"pupil_heard": {"at": "2026-09-02T09:30", "feels_safe": False, "views": "."}}
        with pytest.raises(DocumentationMissing) as caught:
            engine.fire(investigating(engine), "conclude_investigation", document, HANDLER)
        assert ["pupil_heard"] == [p.field for p in caught.value.fields]


class TestTheOwner:
    def test_a_serious_case_owes_the_owner_a_notice_in_a_working_day(self, wired: Wired) -> None:
        """The director's assessment as serious owes the owner's notice by the end of Monday 7."""
        engine, _, _ = wired
        case_id = investigating(engine)
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Gjentatt."}, DIRECTOR)
        assert utc(9, 7, 22) == due(engine, case_id)["notify_owner"]

    def test_no_closing_before_the_owner_is_told(self, wired: Wired) -> None:
        """A serious case cannot be closed, even as safe, before the owner knows."""
        engine, factory, _ = wired
        case_id = investigating(engine)
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Gjentatt."}, DIRECTOR)
        before = factory.store.snapshot(case_id)
        expected = (
            "'conclude_investigation' is not allowed now: case SOL-2026-0001 cannot be closed while the "
            "kindergarten owner has not been notified; fire 'notify_owner' first."
        )
        with pytest.raises(TransitionNotAllowed, match=f"^{re.escape(expected)}$"):
            engine.fire(case_id, "conclude_investigation", conclusion(True, "safe"), HANDLER)
        assert before == factory.store.snapshot(case_id)

    def test_the_owner_is_told_at_the_owners_address(self, wired: Wired) -> None:
        """notify_owner meets the duty and queues a notice for the kindergarten's owner."""
        engine, factory, _ = wired
        case_id = investigating(engine)
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Gjentatt."}, DIRECTOR)
        case = engine.fire(case_id, "notify_owner", {"notified_at": "2026-09-02T09:50", "summary": "Varsel."}, DIRECTOR)
        assert [] == case.open_obligations("notify_owner")
        owner = [m.address for m in factory.store.messages(case_id) if m.recipient_role == "school_owner"]
        assert ["eier@kommune.example"] == owner


class TestSection43:
    def test_the_report_names_the_accused(self, wired: Wired) -> None:
        """§ 43: a report without the accused employee and the leadership question is refused."""
        engine, _, _ = wired
        with pytest.raises(DocumentationMissing) as caught:
            open_case(engine, OFFENCE)
        assert ["accused_staff", "accused_is_leadership"] == [p.field for p in caught.value.fields]

    def test_the_director_and_the_owner_are_owed_notices_within_hours(self, wired: Wired) -> None:
        """Straks: both notices are due four hours after what happened, the owner's with no assessment."""
        engine, _, _ = wired
        case_id = open_case(engine, OFFENCE, accused_staff="b-07", accused_is_leadership=False)
        assert {"notify_director": utc(9, 2, 11), "notify_owner": utc(9, 2, 11)} == due(engine, case_id)

    def test_an_accused_leadership_sends_the_notice_to_the_owner(self, wired: Wired) -> None:
        """With the leadership accused the notice goes to the owner only, and meets both duties."""
        engine, factory, _ = wired
        case_id = open_case(engine, OFFENCE, accused_staff="styrer", accused_is_leadership=True)
        case = engine.fire(case_id, "notify_director", NOTICE, STAFF)
        sent = [(m.recipient_role, m.address) for m in factory.store.messages(case_id)]
        assert ([("school_owner", "eier@kommune.example")], []) == (sent, case.open_obligations("notify_owner"))

    def test_the_director_is_kept_out_and_the_owner_acts(self, wired: Wired) -> None:
        """The accused leadership's director may fire nothing; the owner starts the investigation."""
        engine, _, _ = wired
        case_id = open_case(engine, OFFENCE, accused_staff="styrer", accused_is_leadership=True)
        engine.fire(case_id, "notify_director", NOTICE, STAFF)
        message = r"^The leadership is accused in this § 43 case, so the principal cannot act"
        with pytest.raises(NotPermitted, match=message):
            engine.fire(case_id, "start_investigation", {"responsible": "b-11", "plan": "Samtaler."}, DIRECTOR)
        case = engine.fire(case_id, "start_investigation", {"responsible": "b-11", "plan": "Samtaler."}, OWNER)
        assert "investigating" == case.state

    def test_the_accused_never_investigates(self, wired: Wired) -> None:
        """The accused employee cannot be the case's responsible."""
        engine, _, _ = wired
        case_id = open_case(engine, OFFENCE, accused_staff="b-11", accused_is_leadership=False)
        engine.fire(case_id, "notify_director", NOTICE, STAFF)
        with pytest.raises(DocumentationMissing) as caught:
            engine.fire(case_id, "start_investigation", {"responsible": "b-11", "plan": "Samtaler."}, DIRECTOR)
        assert [("responsible", "is the accused employee; appoint someone else")] == [
            (p.field, p.problem) for p in caught.value.fields
        ]


class TestMessages:
    def test_an_escalation_speaks_of_the_director_and_the_owner(self, wired: Wired) -> None:
        """The owner's escalation mail says styrer, barnehageeier and barnehage, never rektor or skoleeier."""
        engine, _, _ = wired
        case = engine.get(open_case(engine), actor=ADMIN)
        decisions, _ = engine.escalator.escalate(case, case.open_obligations(), utc(9, 10))
        [message] = [m for d in decisions for m in d.messages if m.level == 2]
        _, body = Renderer(engine.settings, engine.registry.words).render(message)
        assert "meldt videre til barnehageeier" in body
        assert "Barnehage: Solsikken barnehage" in body
        assert "styrer" in body
        assert not re.search(r"rektor|skoleeier", body)
