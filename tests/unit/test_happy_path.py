"""The paths a case takes when every step is documented (spec sections 2, 3, 4 and 9).

Every deadline below is worked out by hand from spec sections 4 and 9 with the test calendar's autumn
break (2026-09-28 to 2026-10-02). Oslo is UTC+2 until 25 October 2026 and UTC+1 after, so "the end of
Thursday 3 September" is 2026-09-03T22:00Z and noon on 2 November is 11:00Z.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from aktivitetsplikt.engine import Actor, Case, ChainVerdict, Engine, FixedClock, NotPermitted, Settings
from aktivitetsplikt.engine.errors import DocumentationMissing, FieldProblem
from aktivitetsplikt.workflows import SKJERPA_AKTIVITETSPLIKT
from tests.conftest import ADMIN, HANDLER, OWNER, PRINCIPAL, TEACHER, drive_to, plan_doc, pupil_heard, report_doc
from tests.fakes import InMemoryUnitOfWorkFactory, make_engine

PUPIL = "elev-4711"
DEPUTY = Actor(id="nestleder@hellerud.example", role="deputy", school="hellerud")


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


Duty = tuple[str, datetime, datetime | None]


def duties(case: Case) -> list[Duty]:
    """Every duty of the case as (kind, due_at, satisfied_at), in the order they were created."""
    ordered = sorted(case.obligations, key=lambda o: (o.created_seq, o.due_at))
    return [(o.kind, o.due_at, o.satisfied_at) for o in ordered]


@pytest.fixture
def wired(settings: Settings, clock: FixedClock) -> tuple[Engine, InMemoryUnitOfWorkFactory]:
    return make_engine(settings, clock)


# --- § 12-4, step by step -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    at: datetime
    """The clock when the step is recorded."""
    trigger: str
    document: dict[str, Any]
    actor: Actor
    state: str
    duties: list[Duty]


def _evaluation(held_at: str, decision: str, next_at: str) -> dict[str, Any]:
    return {
        "held_at": held_at,
        "pupil_heard": pupil_heard(at=held_at),
        "effect": "Eleven er med i leken igjen.",
        "decision": decision,
        "next_evaluation_at": next_at,
    }


NOTIFY_PRINCIPAL_DUE = utc(9, 3, 22)  # occurred Wed 2 Sep 09:00 + 1sd = end of Thu 3 Sep
START_DUE = utc(9, 4, 22)  # notified Wed 2 Sep + 2sd = end of Fri 4 Sep
OWNER_DUE = utc(9, 4, 22)  # assessed Thu 3 Sep + 1sd = end of Fri 4 Sep
CONCLUDE_DUE = utc(9, 17, 22)  # started Thu 3 Sep + 10sd = end of Thu 17 Sep
ADOPT_DUE = utc(10, 9, 22)  # concluded Fri 25 Sep + 5sd, skipping the autumn break = end of Fri 9 Oct

STEPS: list[Step] = [
    Step(
        utc(9, 2, 8),
        "report",
        report_doc(),
        TEACHER,
        "reported",
        [("notify_principal", NOTIFY_PRINCIPAL_DUE, None)],
    ),
    Step(
        utc(9, 2, 8),
        "notify_principal",
        {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Kontaktlærer varslet rektor."},
        TEACHER,
        "principal_notified",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, None),
        ],
    ),
    Step(
        utc(9, 3, 8),
        "assess_seriousness",
        {"serious": True, "reason": "Gjentatt utestenging over tid."},
        PRINCIPAL,
        "principal_notified",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, None),
            ("notify_school_owner", OWNER_DUE, None),
        ],
    ),
    Step(
        utc(9, 3, 9),
        "notify_school_owner",
        {"notified_at": "2026-09-03T11:00", "summary": "Alvorlig sak meldt skoleeier."},
        PRINCIPAL,
        "principal_notified",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, None),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
        ],
    ),
    Step(
        utc(9, 3, 10),
        "start_investigation",
        {"responsible": "t-18", "plan": "Samtaler med eleven, klassen og foreldrene."},
        PRINCIPAL,
        "investigating",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, utc(9, 3, 10)),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
            ("conclude_investigation", CONCLUDE_DUE, None),
        ],
    ),
    Step(
        utc(9, 25, 8),
        "conclude_investigation",
        {
            "pupil_heard": pupil_heard(at="2026-09-24T10:00"),
            "others_heard": ["kontaktlærer", "foresatte"],
            "findings": "Eleven holdes utenfor i friminuttene.",
            "conclusion": "measures_needed",
        },
        HANDLER,
        "planning",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, utc(9, 3, 10)),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
            ("conclude_investigation", CONCLUDE_DUE, utc(9, 25, 8)),
            ("adopt_plan", ADOPT_DUE, None),
        ],
    ),
    Step(
        utc(10, 5, 8),
        "adopt_plan",
        plan_doc(evaluation_at="2026-10-19T12:00"),
        HANDLER,
        "measures_active",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, utc(9, 3, 10)),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
            ("conclude_investigation", CONCLUDE_DUE, utc(9, 25, 8)),
            ("adopt_plan", ADOPT_DUE, utc(10, 5, 8)),
            ("evaluate", utc(10, 19, 10), None),
        ],
    ),
    Step(
        utc(10, 19, 12),
        "evaluate",
        _evaluation("2026-10-19T13:00", "revise", "2026-11-02T12:00"),
        HANDLER,
        "measures_active",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, utc(9, 3, 10)),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
            ("conclude_investigation", CONCLUDE_DUE, utc(9, 25, 8)),
            ("adopt_plan", ADOPT_DUE, utc(10, 5, 8)),
            ("evaluate", utc(10, 19, 10), utc(10, 19, 11)),
            ("evaluate", utc(11, 2, 11), None),
        ],
    ),
    Step(
        utc(10, 20, 8),
        "revise_plan",
        plan_doc(evaluation_at="2026-11-09T12:00", reason="Eleven vil ha et nytt tiltak i timene."),
        HANDLER,
        "measures_active",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, utc(9, 3, 10)),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
            ("conclude_investigation", CONCLUDE_DUE, utc(9, 25, 8)),
            ("adopt_plan", ADOPT_DUE, utc(10, 5, 8)),
            ("evaluate", utc(10, 19, 10), utc(10, 19, 11)),
            ("evaluate", utc(11, 2, 11), utc(10, 20, 8)),
            ("evaluate", utc(11, 9, 11), None),
        ],
    ),
    Step(
        utc(11, 9, 12),
        "evaluate",
        _evaluation("2026-11-09T12:30", "continue", "2026-11-23T12:00"),
        PRINCIPAL,
        "measures_active",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, utc(9, 3, 10)),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
            ("conclude_investigation", CONCLUDE_DUE, utc(9, 25, 8)),
            ("adopt_plan", ADOPT_DUE, utc(10, 5, 8)),
            ("evaluate", utc(10, 19, 10), utc(10, 19, 11)),
            ("evaluate", utc(11, 2, 11), utc(10, 20, 8)),
            ("evaluate", utc(11, 9, 11), utc(11, 9, 11, 30)),
            ("evaluate", utc(11, 23, 11), None),
        ],
    ),
    Step(
        utc(11, 16, 9),
        "close",
        {"reason": "Eleven sier hun er trygg.", "pupil_heard": pupil_heard(True, at="2026-11-16T09:30")},
        PRINCIPAL,
        "closed",
        [
            ("notify_principal", NOTIFY_PRINCIPAL_DUE, utc(9, 2, 7, 15)),
            ("start_investigation", START_DUE, utc(9, 3, 10)),
            ("notify_school_owner", OWNER_DUE, utc(9, 3, 9)),
            ("conclude_investigation", CONCLUDE_DUE, utc(9, 25, 8)),
            ("adopt_plan", ADOPT_DUE, utc(10, 5, 8)),
            ("evaluate", utc(10, 19, 10), utc(10, 19, 11)),
            ("evaluate", utc(11, 2, 11), utc(10, 20, 8)),
            ("evaluate", utc(11, 9, 11), utc(11, 9, 11, 30)),
            ("evaluate", utc(11, 23, 11), utc(11, 16, 9)),
        ],
    ),
]

STEP_IDS = [f"{n:02d}-{step.trigger}" for n, step in enumerate(STEPS, start=1)]


def run_steps(engine: Engine, clock: FixedClock, count: int) -> Case:
    """Take a new § 12-4 case through the first ``count`` steps of STEPS; returns it after the last."""
    first = STEPS[0]
    clock.set(first.at)
    case = engine.report(
        workflow="aktivitetsplikt", school="hellerud", pupil=PUPIL, document=first.document, actor=first.actor
    )
    for step in STEPS[1:count]:
        clock.set(step.at)
        case = engine.fire(case.id, step.trigger, step.document, step.actor)
    return engine.get(case.id, actor=ADMIN)


class TestSection124Path:
    @pytest.mark.parametrize("count", range(1, len(STEPS) + 1), ids=STEP_IDS)
    def test_state_version_and_duties_after_each_step(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock, count: int
    ) -> None:
        """After each step the case is in the spec's state, one version on, with the hand-computed duties."""
        engine, _ = wired
        step = STEPS[count - 1]
        case = run_steps(engine, clock, count)
        assert (step.state, count, count) == (case.state, case.version, case.last_seq)
        assert step.duties == duties(case)

    @pytest.mark.parametrize("count", range(1, len(STEPS) + 1), ids=STEP_IDS)
    def test_each_step_is_one_event(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock, count: int
    ) -> None:
        """Each step appends exactly one event recording the trigger, actor and the move between states."""
        engine, factory = wired
        case = run_steps(engine, clock, count)
        events = factory.store.events[case.id]
        step = STEPS[count - 1]
        before = None if count == 1 else STEPS[count - 2].state
        last = events[-1]
        assert count == len(events)
        assert (count, step.trigger, before, step.state) == (
            last.seq,
            last.trigger,
            last.from_state,
            last.to_state,
        )
        assert (step.actor.id, step.actor.role, step.at) == (last.actor_id, last.actor_role, last.at)

    def test_case_facts_after_the_whole_path(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """The closed case keeps its number, school year, seriousness, responsible and closing time."""
        engine, _ = wired
        case = run_steps(engine, clock, len(STEPS))
        expected = ("HEL-2026-0001", "2026-2027", True, "t-18", utc(9, 2, 8), utc(11, 16, 9), utc(9, 2, 7))
        actual = (
            case.number,
            case.school_year,
            case.serious,
            case.responsible,
            case.opened_at,
            case.closed_at,
            case.occurred_at,
        )
        assert expected == actual
        expected = []
        assert expected == case.open_obligations()

    def test_occurred_at_of_each_event(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """An event happened at its document's instant where it has one, else when it was recorded."""
        engine, factory = wired
        case = run_steps(engine, clock, len(STEPS))
        expected = [
            utc(9, 2, 7),
            utc(9, 2, 7, 15),
            utc(9, 3, 8),
            utc(9, 3, 9),
            utc(9, 3, 10),
            utc(9, 25, 8),
            utc(10, 5, 8),
            utc(10, 19, 11),
            utc(10, 20, 8),
            utc(11, 9, 11, 30),
            utc(11, 16, 9),
        ]
        assert expected == [e.occurred_at for e in factory.store.events[case.id]]

    def test_hash_chain_verifies(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock) -> None:
        """The eleven events of the whole path form an intact hash chain, and the case is what they say."""
        engine, _ = wired
        case = run_steps(engine, clock, len(STEPS))
        verdict = engine.verify(case.id, actor=ADMIN)
        assert ChainVerdict(case.id, len(STEPS), True) == verdict.chain
        assert (True, (), 0) == (verdict.intact, verdict.differences, verdict.unsealed)


class TestNotices:
    def test_notify_principal_queues_one_notice_to_the_principal(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """notify_principal queues exactly one pending notice, addressed to the configured principal."""
        engine, factory = wired
        case = run_steps(engine, clock, 2)
        [message] = factory.store.outbox
        expected = (case.id, "notice", "principal", "rektor@hellerud.example", "pending", 0, utc(9, 2, 8))
        actual = (
            message.case_id,
            message.kind,
            message.recipient_role,
            message.address,
            message.status,
            message.attempts,
            message.created_at,
        )
        assert expected == actual

    def test_principal_notice_payload(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock) -> None:
        """The principal's notice names case, school, workflow, stage and the new duty with its deadline."""
        engine, factory = wired
        case = run_steps(engine, clock, 2)
        expected = {
            "case_id": case.id,
            "case_number": "HEL-2026-0001",
            "school": "hellerud",
            "school_name": "Hellerud videregående skole",
            "workflow": "aktivitetsplikt",
            "workflow_label": "Aktivitetsplikt (§ 12-4)",
            "state": "principal_notified",
            "state_label": "Rektor varslet",
            "trigger": "notify_principal",
            "trigger_label": "Varsle rektor",
            "duties": [
                {
                    "kind": "start_investigation",
                    "label": "Starte undersøkelse",
                    "due_at": "2026-09-04T22:00:00+00:00",
                }
            ],
        }
        assert expected == factory.store.outbox[0].payload

    def test_notify_school_owner_queues_one_notice_to_the_school_owner(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """notify_school_owner queues one notice to the configured school owner; no later step sends any."""
        engine, factory = wired
        run_steps(engine, clock, len(STEPS))
        expected = [
            ("principal", "rektor@hellerud.example", "notify_principal"),
            ("school_owner", "skoleeier@kommune.example", "notify_school_owner"),
        ]
        actual = [(m.recipient_role, m.address, m.payload["trigger"]) for m in factory.store.outbox]
        assert expected == actual

    def test_payloads_carry_no_pupil_and_no_free_text(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """No notice contains the pupil reference or any documentation text (spec section 6)."""
        engine, factory = wired
        run_steps(engine, clock, len(STEPS))
        texts = [PUPIL, "utestenging", "Kontaktlærer varslet", "muntlig", "Alvorlig sak meldt", "t-18"]
        leaked = [text for m in factory.store.outbox for text in texts if text.lower() in json.dumps(m.payload).lower()]
        expected = []
        assert expected == leaked


class TestConcludeSafe:
    def test_safe_conclusion_closes_the_case(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """Concluding 'safe' while the pupil feels safe moves investigating -> closed and meets the duty."""
        engine, _ = wired
        case_id = drive_to(engine, "investigating")
        clock.advance(hours=1)
        document = {
            "pupil_heard": pupil_heard(True),
            "others_heard": ["kontaktlærer"],
            "findings": "En enkelt misforståelse, oppklart.",
            "conclusion": "safe",
        }
        case = engine.fire(case_id, "conclude_investigation", document, HANDLER)
        assert ("closed", 4, utc(9, 2, 9)) == (case.state, case.version, case.closed_at)
        expected = []
        assert expected == engine.get(case_id, actor=ADMIN).open_obligations()
        expected = ("investigating", "closed")
        assert expected == (
            engine.get(case_id, actor=ADMIN).events[-1].from_state,  # type: ignore[index]
            engine.get(case_id, actor=ADMIN).events[-1].to_state,  # type: ignore[index]
        )


class TestReopen:
    def test_reopen_returns_to_principal_notified_with_a_new_investigation_duty(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """Reopening leads to principal_notified, clears closed_at and owes a new investigation."""
        engine, _ = wired
        case_id = drive_to(engine, "closed")
        clock.set(utc(9, 9, 8))  # Wednesday 9 September, 10:00 Oslo
        case = engine.fire(case_id, "reopen", report_doc(occurred_at="2026-09-09T09:00"), TEACHER)
        # occurred Wed 9 Sep + 2sd = end of Fri 11 Sep
        expected = ("principal_notified", 7, None)
        assert expected == (case.state, case.version, case.closed_at)
        assert [("start_investigation", utc(9, 11, 22), None)] == [
            (o.kind, o.due_at, o.satisfied_at) for o in engine.get(case_id, actor=ADMIN).open_obligations()
        ]

    def test_reopened_case_can_be_investigated_again(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """After reopening, the principal starts a new investigation and its duty is met."""
        engine, _ = wired
        case_id = drive_to(engine, "closed")
        clock.set(utc(9, 9, 8))
        engine.fire(case_id, "reopen", report_doc(occurred_at="2026-09-09T09:00"), TEACHER)
        case = engine.fire(case_id, "start_investigation", {"responsible": "t-20", "plan": "Ny runde."}, PRINCIPAL)
        # started Wed 9 Sep + 10sd = end of Wed 23 Sep
        expected = ("investigating", "t-20")
        assert expected == (case.state, case.responsible)
        assert [("conclude_investigation", utc(9, 23, 22))] == [
            (o.kind, o.due_at) for o in engine.get(case_id, actor=ADMIN).open_obligations()
        ]


# --- § 12-5 -------------------------------------------------------------------------------------------


def skjerpa_case(engine: Engine, *, leadership: bool, accused: str = "t-20") -> str:
    case = engine.report(
        workflow="skjerpa_aktivitetsplikt",
        school="hellerud",
        pupil=PUPIL,
        document=report_doc(accused_staff=accused, accused_is_leadership=leadership),
        actor=TEACHER,
    )
    return case.id


NOTIFIED = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"}


class TestSkjerpaReport:
    def test_report_requires_the_accused(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """A § 12-5 report without accused_staff and accused_is_leadership is refused, naming both."""
        engine, factory = wired
        with pytest.raises(DocumentationMissing, match="accused_staff: is required but missing") as caught:
            engine.report(
                workflow="skjerpa_aktivitetsplikt",
                school="hellerud",
                pupil=PUPIL,
                document=report_doc(),
                actor=TEACHER,
            )
        expected = [
            FieldProblem("accused_staff", "is required but missing"),
            FieldProblem("accused_is_leadership", "is required but missing"),
        ]
        assert expected == list(caught.value.fields)
        expected = {}
        assert expected == factory.store.cases

    @pytest.mark.parametrize("leadership", [False, True])
    def test_report_owes_both_notices_within_four_hours(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], leadership: bool
    ) -> None:
        """A § 12-5 report owes notify_principal and notify_school_owner, each 4h after it occurred."""
        engine, _ = wired
        case = engine.get(skjerpa_case(engine, leadership=leadership), actor=ADMIN)
        expected = [("notify_principal", utc(9, 2, 11), None), ("notify_school_owner", utc(9, 2, 11), None)]
        assert expected == duties(case)
        assert {"accused_staff": "t-20", "accused_is_leadership": leadership} == {
            k: case.attributes[k] for k in ("accused_staff", "accused_is_leadership")
        }

    def test_straks_deadlines_along_the_path(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """Under § 12-5 the investigation starts within 1sd, concludes within 5sd, the plan within 2sd."""
        engine, _ = wired
        case_id = skjerpa_case(engine, leadership=False)
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        engine.fire(case_id, "notify_school_owner", {"notified_at": "2026-09-02T09:20", "summary": "S"}, PRINCIPAL)
        engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, PRINCIPAL)
        conclusion = {
            "pupil_heard": pupil_heard(),
            "others_heard": [],
            "findings": "F",
            "conclusion": "measures_needed",
        }
        engine.fire(case_id, "conclude_investigation", conclusion, HANDLER)
        expected = [
            ("notify_principal", utc(9, 2, 11), utc(9, 2, 7, 15)),
            ("notify_school_owner", utc(9, 2, 11), utc(9, 2, 7, 20)),
            ("start_investigation", utc(9, 3, 22), utc(9, 2, 8)),  # Wed 2 Sep + 1sd
            ("conclude_investigation", utc(9, 9, 22), utc(9, 2, 8)),  # Wed 2 Sep + 5sd
            ("adopt_plan", utc(9, 4, 22), None),  # Wed 2 Sep + 2sd
        ]
        assert expected == duties(engine.get(case_id, actor=ADMIN))


class TestSkjerpaPrincipalNotAccused:
    def test_notice_goes_to_the_principal(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """When staff (not leadership) are accused, notify_principal tells the principal."""
        engine, factory = wired
        case_id = skjerpa_case(engine, leadership=False)
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        expected = [("principal", "rektor@hellerud.example")]
        assert expected == [(m.recipient_role, m.address) for m in factory.store.outbox]

    def test_school_owner_duty_stays_open_for_the_principal(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]
    ) -> None:
        """Telling the principal does not tell the school owner: notify_school_owner stays open."""
        engine, _ = wired
        case_id = skjerpa_case(engine, leadership=False)
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        open_kinds = [o.kind for o in engine.get(case_id, actor=ADMIN).open_obligations()]
        expected = ["notify_school_owner", "start_investigation"]
        assert expected == sorted(open_kinds)

    def test_assessing_seriousness_adds_no_second_school_owner_duty(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]
    ) -> None:
        """The school owner is already owed a notice, so a serious assessment adds no second one."""
        engine, _ = wired
        case_id = skjerpa_case(engine, leadership=False)
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "R"}, PRINCIPAL)
        kinds = [o.kind for o in engine.get(case_id, actor=ADMIN).obligations]
        expected = 1
        assert expected == kinds.count("notify_school_owner")


class TestSkjerpaLeadershipAccused:
    def test_notice_goes_to_the_school_owner_only(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """With the leadership accused, the notice goes to the school owner and none to the principal."""
        engine, factory = wired
        case_id = skjerpa_case(engine, leadership=True)
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        expected = [("school_owner", "skoleeier@kommune.example", "notify_principal")]
        assert expected == [(m.recipient_role, m.address, m.payload["trigger"]) for m in factory.store.outbox]

    def test_notice_meets_both_duties_and_routes_the_next_to_the_school_owner(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]
    ) -> None:
        """The one notice meets both notice duties; start_investigation (1sd) is the school owner's."""
        engine, _ = wired
        case_id = skjerpa_case(engine, leadership=True)
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        case = engine.get(case_id, actor=ADMIN)
        expected = [
            ("notify_principal", utc(9, 2, 11), utc(9, 2, 7, 15), "reporter"),
            ("notify_school_owner", utc(9, 2, 11), utc(9, 2, 7, 15), "school_owner"),
            ("start_investigation", utc(9, 3, 22), None, "school_owner"),
        ]
        actual = [
            (o.kind, o.due_at, o.satisfied_at, o.responsible_role)
            for o in sorted(case.obligations, key=lambda o: (o.created_seq, o.kind))
        ]
        assert expected == actual

    @pytest.mark.parametrize("actor", [PRINCIPAL, DEPUTY], ids=["principal", "deputy"])
    @pytest.mark.parametrize("trigger", [t.trigger for t in SKJERPA_AKTIVITETSPLIKT.transitions if not t.creates_case])
    def test_principal_and_deputy_may_fire_nothing(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], actor: Actor, trigger: str
    ) -> None:
        """No trigger, not even add_note, is open to the principal or a deputy of an accused leadership."""
        engine, factory = wired
        case_id = skjerpa_case(engine, leadership=True)
        before = factory.store.snapshot(case_id)
        with pytest.raises(NotPermitted, match=r"leadership is accused in this § 12-5 case"):
            engine.fire(case_id, trigger, {}, actor)
        assert before == factory.store.snapshot(case_id)

    def test_school_owner_takes_the_principals_role(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """The school owner fires the principal's steps: assess, start, conclude, adopt, close."""
        engine, _ = wired
        case_id = skjerpa_case(engine, leadership=True, accused="rektor")
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        states = [
            engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "R"}, OWNER).state,
            engine.fire(case_id, "start_investigation", {"responsible": "t-18", "plan": "P"}, OWNER).state,
            engine.fire(
                case_id,
                "conclude_investigation",
                {
                    "pupil_heard": pupil_heard(),
                    "others_heard": [],
                    "findings": "F",
                    "conclusion": "measures_needed",
                },
                OWNER,
            ).state,
            engine.fire(case_id, "adopt_plan", plan_doc(), OWNER).state,
        ]
        clock.advance(days=1)
        closing = {"reason": "Trygg igjen.", "pupil_heard": pupil_heard(True, at="2026-09-03T09:00")}
        states.append(engine.fire(case_id, "close", closing, OWNER).state)
        expected = ["principal_notified", "investigating", "planning", "measures_active", "closed"]
        assert expected == states
        expected = ["school_owner"] * 5
        assert expected == [e.actor_role for e in engine.get(case_id, actor=ADMIN).events[-5:]]  # type: ignore[index]


class TestReadingCases:
    def test_fire_and_get_by_number(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """A case is found by its number as well as by its id."""
        engine, _ = wired
        case_id = drive_to(engine, "reported")
        case = engine.fire("HEL-2026-0001", "notify_principal", NOTIFIED, TEACHER)
        assert (case_id, "principal_notified") == (case.id, engine.get("HEL-2026-0001", actor=ADMIN).state)

    def test_list_cases_by_state_school_and_deadline(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], clock: FixedClock
    ) -> None:
        """list_cases honours state, school, overdue and limit, oldest case first."""
        engine, _ = wired
        first = drive_to(engine, "reported")
        second = drive_to(engine, "principal_notified")
        clock.set(utc(9, 4, 8))  # Friday: notify_principal (due end of Thursday) is overdue, start_investigation not
        listed = {
            "reported": [c.id for c in engine.list_cases(state="reported", actor=ADMIN)],
            "hellerud": [c.id for c in engine.list_cases(school="hellerud", actor=ADMIN)],
            "furuset": [c.id for c in engine.list_cases(school="furuset", actor=ADMIN)],
            "overdue": [c.id for c in engine.list_cases(overdue=True, actor=ADMIN)],
            "limit": [c.id for c in engine.list_cases(limit=1, actor=ADMIN)],
            "year": [c.id for c in engine.list_cases(school_year="2025-2026", actor=ADMIN)],
        }
        expected = {
            "reported": [first],
            "hellerud": [first, second],
            "furuset": [],
            "overdue": [first],
            "limit": [first],
            "year": [],
        }
        assert expected == listed
