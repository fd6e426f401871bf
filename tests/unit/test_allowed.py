"""What each actor may fire in each state, and the machine-readable shape of a case (spec section 11)."""

from __future__ import annotations

import pytest

from aktivitetsplikt.engine import Actor, Engine, FixedClock, NotPermitted, Settings, TransitionNotAllowed
from aktivitetsplikt.workflows import AKTIVITETSPLIKT
from tests.conftest import ADMIN, HANDLER, OWNER, PRINCIPAL, TEACHER, drive_to, report_doc
from tests.fakes import make_engine

OTHER_HANDLER = Actor(id="t-20", role="case_handler", school="hellerud")
DEPUTY = Actor(id="nestleder@hellerud.example", role="deputy", school="hellerud")
UNLISTED_DEPUTY = Actor(id="t-20", role="deputy", school="hellerud")
FURUSET_STAFF = Actor(id="t-99", role="staff", school="furuset")
OTHER_OWNER = Actor(id="annen-eier@kommune.example", role="school_owner")
SYSTEM = Actor(id="daemon", role="system")

# Every trigger a principal may fire, by state, in declaration order.
PRINCIPAL_ALLOWED = {
    "reported": [
        "notify_principal",
        "notify_school_owner",
        "add_note",
        "register_enforcement",
        "respond_to_statsforvalter",
    ],
    "principal_notified": [
        "assess_seriousness",
        "notify_school_owner",
        "start_investigation",
        "add_note",
        "register_enforcement",
        "respond_to_statsforvalter",
    ],
    "investigating": [
        "assess_seriousness",
        "notify_school_owner",
        "conclude_investigation",
        "add_note",
        "register_enforcement",
        "respond_to_statsforvalter",
    ],
    "planning": [
        "assess_seriousness",
        "notify_school_owner",
        "adopt_plan",
        "add_note",
        "register_enforcement",
        "respond_to_statsforvalter",
    ],
    "measures_active": [
        "assess_seriousness",
        "notify_school_owner",
        "evaluate",
        "revise_plan",
        "close",
        "add_note",
        "register_enforcement",
        "respond_to_statsforvalter",
    ],
    "closed": ["add_note", "register_enforcement", "respond_to_statsforvalter", "reopen"],
}

STAFF_ALLOWED = {
    "reported": ["notify_principal", "add_note"],
    "principal_notified": ["add_note"],
    "investigating": ["add_note"],
    "planning": ["add_note"],
    "measures_active": ["add_note"],
    "closed": ["add_note", "reopen"],
}

RESPONSIBLE_ALLOWED = {
    "reported": ["notify_principal", "add_note"],
    "principal_notified": ["add_note"],
    "investigating": ["conclude_investigation", "add_note"],
    "planning": ["adopt_plan", "add_note"],
    "measures_active": ["evaluate", "revise_plan", "add_note"],
    "closed": ["add_note", "reopen"],
}

STATES = list(PRINCIPAL_ALLOWED)


@pytest.fixture
def engine(settings: Settings, clock: FixedClock) -> Engine:
    built, _ = make_engine(settings, clock)
    return built


class TestAllowedTriggersByRole:
    @pytest.mark.parametrize("state", STATES)
    def test_staff(self, engine: Engine, state: str) -> None:
        """Staff may notify the principal, note, and reopen; nothing of the principal's or the handler's."""
        case_id = drive_to(engine, state)
        assert STAFF_ALLOWED[state] == engine.allowed_triggers(case_id, TEACHER)

    @pytest.mark.parametrize("state", STATES)
    def test_principal(self, engine: Engine, state: str) -> None:
        """The principal may fire every trigger defined from the state."""
        case_id = drive_to(engine, state)
        assert PRINCIPAL_ALLOWED[state] == engine.allowed_triggers(case_id, PRINCIPAL)

    @pytest.mark.parametrize("state", STATES)
    def test_responsible_case_handler(self, engine: Engine, state: str) -> None:
        """The appointed responsible also gets the investigation and plan steps, never the principal's own."""
        case_id = drive_to(engine, state)
        assert RESPONSIBLE_ALLOWED[state] == engine.allowed_triggers(case_id, HANDLER)

    @pytest.mark.parametrize("state", STATES)
    def test_case_handler_who_is_not_the_responsible(self, engine: Engine, state: str) -> None:
        """Another case handler counts only as staff."""
        case_id = drive_to(engine, state)
        assert STAFF_ALLOWED[state] == engine.allowed_triggers(case_id, OTHER_HANDLER)

    @pytest.mark.parametrize("state", ["principal_notified", "measures_active"])
    def test_deputies(self, engine: Engine, state: str) -> None:
        """The configured deputy counts as the principal; an unlisted one as staff."""
        case_id = drive_to(engine, state)
        expected = (PRINCIPAL_ALLOWED[state], STAFF_ALLOWED[state])
        assert expected == (
            engine.allowed_triggers(case_id, DEPUTY),
            engine.allowed_triggers(case_id, UNLISTED_DEPUTY),
        )

    def test_school_owner_of_an_ordinary_case(self, engine: Engine) -> None:
        """Outside § 12-5 with an accused leadership, the school owner counts as staff."""
        case_id = drive_to(engine, "principal_notified")
        assert STAFF_ALLOWED["principal_notified"] == engine.allowed_triggers(case_id, OWNER)

    @pytest.mark.parametrize(
        "actor", [FURUSET_STAFF, OTHER_OWNER, SYSTEM], ids=["other-school", "other-owner", "system"]
    )
    def test_actors_outside_the_case_may_fire_nothing(self, engine: Engine, actor: Actor) -> None:
        """Someone of another school, an unconfigured school owner, and the system actor get no trigger."""
        case_id = drive_to(engine, "reported")
        expected = []
        assert expected == engine.allowed_triggers(case_id, actor)


class TestAllowedTriggersLeadershipAccused:
    @pytest.fixture
    def case_id(self, engine: Engine) -> str:
        case = engine.report(
            workflow="skjerpa_aktivitetsplikt",
            school="hellerud",
            pupil="elev-4711",
            document=report_doc(accused_staff="rektor", accused_is_leadership=True),
            actor=TEACHER,
        )
        notified = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "S"}
        engine.fire(case.id, "notify_principal", notified, TEACHER)
        return case.id

    @pytest.mark.parametrize("actor", [PRINCIPAL, DEPUTY], ids=["principal", "deputy"])
    def test_principal_and_deputy_get_nothing(self, engine: Engine, case_id: str, actor: Actor) -> None:
        """The accused leadership may fire no trigger at all."""
        expected = []
        assert expected == engine.allowed_triggers(case_id, actor)

    def test_school_owner_gets_the_principals_triggers(self, engine: Engine, case_id: str) -> None:
        """The school owner acts as the principal."""
        assert PRINCIPAL_ALLOWED["principal_notified"] == engine.allowed_triggers(case_id, OWNER)

    def test_staff_keep_their_own(self, engine: Engine, case_id: str) -> None:
        """Staff are not affected by who is accused."""
        assert STAFF_ALLOWED["principal_notified"] == engine.allowed_triggers(case_id, TEACHER)


class TestAllowedMatchesFire:
    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("actor", [TEACHER, HANDLER, PRINCIPAL], ids=["staff", "handler", "principal"])
    def test_triggers_left_out_are_refused(self, engine: Engine, state: str, actor: Actor) -> None:
        """Every trigger not listed for the actor is refused by fire, before its documentation is read."""
        case_id = drive_to(engine, state)
        allowed = engine.allowed_triggers(case_id, actor)
        refused = []
        for trigger in [t.trigger for t in AKTIVITETSPLIKT.transitions if t.trigger not in allowed]:
            with pytest.raises((NotPermitted, TransitionNotAllowed)):
                engine.fire(case_id, trigger, {}, actor)
            refused.append(trigger)
        assert len(AKTIVITETSPLIKT.transitions) == len(allowed) + len(refused)


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
}
OBLIGATION_KEYS = ["kind", "due_at", "satisfied_at", "escalation_level", "overdue"]
EVENT_KEYS = [
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
]


class TestCaseJson:
    def test_case_keys(self, engine: Engine) -> None:
        """A case has every spec section 11 key, plus school_year (a case field of spec section 1)."""
        case = engine.get(drive_to(engine, "investigating"), actor=ADMIN)
        assert CASE_KEYS | {"school_year"} == set(engine.case_json(case))

    def test_obligation_keys(self, engine: Engine) -> None:
        """Each obligation has exactly kind, due_at, satisfied_at, escalation_level, overdue."""
        case = engine.get(drive_to(engine, "investigating"), actor=ADMIN)
        obligations = engine.case_json(case)["obligations"]
        expected = [OBLIGATION_KEYS] * 3
        assert expected == [list(o) for o in obligations]

    def test_event_keys(self, engine: Engine) -> None:
        """Each event has exactly the spec's keys; prev_hash and case_id stay internal."""
        case = engine.get(drive_to(engine, "investigating"), actor=ADMIN)
        events = engine.case_json(case)["events"]
        expected = [EVENT_KEYS] * 3
        assert expected == [list(e) for e in events]

    def test_values_are_plain_json(self, engine: Engine, clock: FixedClock) -> None:
        """Instants are ISO strings and overdue is judged at the engine's clock."""
        case = engine.get(drive_to(engine, "principal_notified"), actor=ADMIN)
        clock.set(clock.now().replace(day=5))  # Saturday 5 September: start_investigation was due Friday
        shown = engine.case_json(case)
        expected = [
            ("notify_principal", "2026-09-03T22:00:00+00:00", "2026-09-02T07:15:00+00:00", None, False),
            ("start_investigation", "2026-09-04T22:00:00+00:00", None, None, True),
        ]
        actual = [
            (o["kind"], o["due_at"], o["satisfied_at"], o["escalation_level"], o["overdue"])
            for o in shown["obligations"]
        ]
        assert expected == actual
        expected = ("2026-09-02T08:00:00+00:00", None, "HEL-2026-0001")
        assert expected == (
            shown["opened_at"],
            shown["closed_at"],
            shown["number"],
        )

    def test_allowed_triggers_for_an_actor(self, engine: Engine) -> None:
        """With an actor, allowed_triggers is what that actor may fire now."""
        case = engine.get(drive_to(engine, "investigating"), actor=ADMIN)
        assert RESPONSIBLE_ALLOWED["investigating"] == engine.case_json(case, HANDLER)["allowed_triggers"]

    def test_allowed_triggers_without_an_actor(self, engine: Engine) -> None:
        """Without an actor, allowed_triggers lists every trigger defined from the state."""
        case = engine.get(drive_to(engine, "closed"), actor=ADMIN)
        assert PRINCIPAL_ALLOWED["closed"] == engine.case_json(case)["allowed_triggers"]
