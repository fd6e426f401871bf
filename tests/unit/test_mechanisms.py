"""The engine mechanisms version 2026-12 of the school workflows leans on, proven on a test-only pack.

``tests/machines/errand.py`` has no word of the law: rules that read the case log, cycles and duties
"unless one exists in this cycle", one duty per item with stable item ids, a step meeting the duty of the
item it names, versions with their own audit and dossier, and the version new cases start on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from aktivitetsplikt.engine import (
    Actor,
    ConfigError,
    DocumentationMissing,
    Engine,
    FieldProblem,
    FixedClock,
    Settings,
    WorkflowDefinitionError,
)
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.core.pack import Edition
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.reports.audit.review import plan_of
from tests.conftest import ADMIN, unpinned
from tests.fakes import InMemoryCaseRepository, InMemoryUnitOfWorkFactory
from tests.machines.errand import ERRAND_PACK, NEW, OLD

STAFF = Actor(id="t-17", role="staff", school="hellerud")
LEAD = Actor(id="rektor", role="principal", school="hellerud")
OPENED = {"noticed_at": "2026-09-02T09:00", "what": "Noe skal ordnes."}


def registry() -> WorkflowRegistry:
    built = WorkflowRegistry()
    built.register_pack(ERRAND_PACK)
    return built


class Errands:
    """An engine that knows only the errand pack, on an in-memory store."""

    def __init__(self, settings: Settings, clock: FixedClock) -> None:
        self.factory = InMemoryUnitOfWorkFactory()
        self.clock = clock
        self.engine = Engine(
            settings=settings,
            registry=registry(),
            uow=self.factory,
            clock=clock,
            directory=ConfigDirectory(settings),
        )

    def open(self) -> str:
        return self.engine.report(workflow="oppdrag", school="hellerud", pupil="p-1", document=OPENED, actor=STAFF).id

    def fire(self, case_id: str, trigger: str, document: dict[str, Any]) -> None:
        self.engine.fire(case_id, trigger, document, LEAD)

    def checked(self) -> str:
        case_id = self.open()
        self.fire(case_id, "check", {"at": "2026-09-02T09:30"})
        return case_id


@pytest.fixture
def errands(settings: Settings, clock: FixedClock) -> Errands:
    return Errands(unpinned(settings), clock)


def refused(errands: Errands, case_id: str, trigger: str, document: dict[str, Any], problem: FieldProblem) -> None:
    """The step is refused naming exactly ``problem``, and nothing is stored."""
    before = errands.factory.store.snapshot_all()
    with pytest.raises(DocumentationMissing) as caught:
        errands.fire(case_id, trigger, document)
    assert [problem] == list(caught.value.fields)
    assert before == errands.factory.store.snapshot_all()


ORDER = {
    "items": [
        {"what": "Stoler", "due": "2026-09-10T12:00"},
        {"id": "bord", "what": "Bord", "due": "2026-09-21T12:00"},
    ]
}


class TestRulesThatReadTheLog:
    def test_a_marked_rule_reads_the_current_cycle(self, errands: Errands) -> None:
        """A rule marked @needs_log sees the events: a check before the opening is refused, after it passes."""
        case_id = errands.open()
        problem = FieldProblem("at", "lies before the opening of this cycle (event 1)")
        refused(errands, case_id, "check", {"at": "2026-09-02T08:30"}, problem)
        errands.fire(case_id, "check", {"at": "2026-09-02T09:30"})
        assert [] == errands.engine.get(case_id, actor=ADMIN).open_obligations("check")

    def test_the_registry_knows_which_steps_load_the_log(self) -> None:
        """Only a step with a marked rule needs the log; an unknown trigger needs nothing."""
        reg = registry()
        expected = (True, False, False)
        assert expected == (reg.needs_log(NEW, "check"), reg.needs_log(NEW, "order"), reg.needs_log(NEW, "x"))

    def test_a_step_without_such_a_rule_reads_no_events(
        self, errands: Errands, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Most steps stay one read: the log is loaded only for the step whose rule needs it."""
        reads: list[str] = []
        original = InMemoryCaseRepository.events

        def counted(self: InMemoryCaseRepository, case_id: str) -> list[Any]:
            reads.append(case_id)
            return original(self, case_id)

        monkeypatch.setattr(InMemoryCaseRepository, "events", counted)
        case_id = errands.open()
        errands.fire(case_id, "flag", {"why": "Eieren bør vite."})
        errands.fire(case_id, "check", {"at": "2026-09-02T09:30"})
        assert [case_id] == reads

    def test_an_unmarked_rule_gets_no_log(self, errands: Errands) -> None:
        """A rule that reads the log without being marked fails loudly rather than read nothing."""
        case_id = errands.open()
        message = "A rule of 'peek' reads the case log without being marked @needs_log."
        with pytest.raises(RuntimeError, match=f"^{re.escape(message)}$"):
            errands.fire(case_id, "peek", {"why": "x"})


class TestCycles:
    def test_the_opening_and_each_reopening_begin_a_cycle(self, errands: Errands) -> None:
        """cycle_seq is the seq of the creating step, then of the latest reopening."""
        case_id = errands.checked()
        first = errands.engine.get(case_id, actor=ADMIN).attributes["cycle_seq"]
        errands.fire(case_id, "finish", {"summary": "Ferdig."})
        errands.engine.fire(case_id, "reopen", OPENED, STAFF)
        assert (1, 4) == (first, errands.engine.get(case_id, actor=ADMIN).attributes["cycle_seq"])

    def test_a_duty_unless_one_exists_in_the_cycle(self, errands: Errands) -> None:
        """Flagging twice in a cycle owes the owner one notice; a reopened cycle owes its own."""
        case_id = errands.checked()
        errands.fire(case_id, "flag", {"why": "1"})
        errands.fire(case_id, "flag", {"why": "2"})
        once = len([o for o in errands.engine.get(case_id, actor=ADMIN).obligations if o.kind == "tell_owner"])
        errands.fire(case_id, "finish", {"summary": "Ferdig."})
        errands.engine.fire(case_id, "reopen", OPENED, STAFF)
        errands.fire(case_id, "flag", {"why": "3"})
        twice = len([o for o in errands.engine.get(case_id, actor=ADMIN).obligations if o.kind == "tell_owner"])
        assert (1, 2) == (once, twice)


def utc(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


class TestItems:
    def test_each_item_gets_an_id_and_a_duty_due_at_its_date(self, errands: Errands) -> None:
        """Items without an id get `<list letter>-<seq>-<place>`; each owes a duty keyed by its id."""
        case_id = errands.checked()
        errands.fire(case_id, "order", ORDER)
        case = errands.engine.get(case_id, actor=ADMIN)
        ids = [item["id"] for item in (case.events or [])[-1].document["items"]]
        duties = [(o.key, o.due_at) for o in case.open_obligations("deliver")]
        assert (["i-3-1", "bord"], [("i-3-1", utc(9, 10, 10)), ("bord", utc(9, 21, 10))]) == (ids, duties)

    def test_a_delivery_meets_the_duty_of_its_item(self, errands: Errands) -> None:
        """The step names an item by its id and meets that item's duty only."""
        case_id = errands.checked()
        errands.fire(case_id, "order", ORDER)
        errands.fire(case_id, "deliver", {"item": "bord", "at": "2026-09-02T09:50"})
        case = errands.engine.get(case_id, actor=ADMIN)
        assert ["i-3-1"] == [o.key for o in case.open_obligations("deliver")]

    def test_a_delivery_naming_no_open_item_is_refused(self, errands: Errands) -> None:
        """A key that matches no open duty is refused naming the field and the open keys."""
        case_id = errands.checked()
        errands.fire(case_id, "order", ORDER)
        problem = FieldProblem("item", "names no open 'deliver' of this case (open: i-3-1, bord)")
        refused(errands, case_id, "deliver", {"item": "stol", "at": "2026-09-02T09:50"}, problem)

    def test_an_id_repeated_in_one_list_is_refused(self, errands: Errands) -> None:
        """Two items with one id cannot be told apart: refused, naming the second."""
        case_id = errands.checked()
        items = [
            {"id": "a", "what": "A", "due": "2026-09-10T12:00"},
            {"id": "a", "what": "B", "due": "2026-09-11T12:00"},
        ]
        refused(
            errands,
            case_id,
            "order",
            {"items": items},
            FieldProblem("items.1.id", "repeats the id 'a'; give each its own"),
        )

    def test_the_key_shows_in_the_case_json_of_item_duties_only(self, errands: Errands) -> None:
        """Per-item duties carry `key` in the JSON; every other duty keeps exactly the old keys."""
        case_id = errands.checked()
        errands.fire(case_id, "order", ORDER)
        shown = errands.engine.case_json(errands.engine.get(case_id, actor=ADMIN))["obligations"]
        expected = [None, "i-3-1", "bord"]
        assert expected == [o.get("key") for o in shown]

    def test_an_owed_item_keeps_escalating_after_the_errand_is_finished(self, errands: Errands) -> None:
        """Finishing leaves the items' duties open, and the ladder goes on climbing on the finished errand."""
        case_id = errands.checked()
        errands.fire(case_id, "order", ORDER)
        errands.fire(case_id, "finish", {"summary": "Ferdig."})
        case = errands.engine.get(case_id, actor=ADMIN)
        due = case.open_obligations("deliver")
        _, steps = errands.engine.escalator.escalate(case, due, utc(9, 11, 8))
        expected = ("done", [("deliver", 1)])
        assert expected == (case.state, [(s.obligation, s.level) for s in steps])


class TestVersions:
    def test_new_cases_start_on_the_newest_version(self, errands: Errands) -> None:
        """Without [versions] a new case starts on the pack's newest version."""
        assert "2030-09" == errands.engine.get(errands.open(), actor=ADMIN).workflow_version

    def test_a_configured_version_is_where_new_cases_start(self, settings: Settings, clock: FixedClock) -> None:
        """[versions] pins the version new cases start on; such a case is offered none of the newer steps."""
        pinned = Errands(unpinned(settings).model_copy(update={"versions": {"oppdrag": "2030-06"}}), clock)
        case = pinned.engine.get(pinned.open(), actor=ADMIN)
        assert ("2030-06", False) == (
            case.workflow_version,
            "order" in pinned.engine.case_json(case)["allowed_triggers"],
        )

    def test_a_case_keeps_its_version_after_the_upgrade(self, settings: Settings, clock: FixedClock) -> None:
        """A case opened on the old version runs on it in an engine whose new cases start on the newest."""
        pinned = Errands(unpinned(settings).model_copy(update={"versions": {"oppdrag": "2030-06"}}), clock)
        case_id = pinned.checked()
        upgraded = Errands(unpinned(settings), clock)
        upgraded.factory = pinned.factory
        upgraded.engine.uow = pinned.factory
        upgraded.fire(case_id, "finish", {"summary": "Ferdig."})
        case = upgraded.engine.get(case_id, actor=ADMIN)
        expected = ("2030-06", "done", ["open_errand", "check", "finish"])
        assert expected == (case.workflow_version, case.state, [e.trigger for e in case.events or []])

    @pytest.mark.parametrize(
        ("versions", "message"),
        [
            ({"nope": "2030-06"}, "[versions] nope names no known workflow; use one of: oppdrag."),
            (
                {"oppdrag": "2029-01"},
                "[versions] oppdrag = '2029-01' is not a version of oppdrag; use one of 2030-06, 2030-09.",
            ),
        ],
    )
    def test_a_configured_version_must_exist(self, settings: Settings, versions: dict[str, str], message: str) -> None:
        """A pin for an unknown workflow or version is a configuration error naming the known ones."""
        with pytest.raises(ConfigError, match=f"^{re.escape(message)}$"):
            unpinned(settings).model_copy(update={"versions": versions}).policy([ERRAND_PACK])


class TestEditions:
    def test_each_version_is_audited_by_its_own_profile(self) -> None:
        """The audit plan of a version reads its edition's profile; a version without one, the pack's."""
        expected = (["order"], ["check"])
        assert expected == tuple(
            [s.trigger for s in plan_of(spec, ERRAND_PACK).profile.required_steps] for spec in (NEW, OLD)
        )

    def test_each_version_has_its_own_dossier(self) -> None:
        """dossier_for gives the edition's layout, else the pack's."""
        expected = (("orders",), ("checks",))
        assert expected == tuple(
            tuple(s.key for s in ERRAND_PACK.dossier_for(v).sections) for v in ("2030-09", "2030-06")
        )

    def test_an_edition_is_checked_against_its_own_version(self) -> None:
        """An edition of the old version naming a step only the new version has is a definition error."""
        edition = ERRAND_PACK.editions["2030-09"]
        pack = replace(ERRAND_PACK, editions={"2030-06": edition})
        message = "audit.required_steps names the trigger 'order', which the spec does not have"
        with pytest.raises(WorkflowDefinitionError, match=re.escape(message)):
            WorkflowRegistry().register_pack(pack)

    def test_an_edition_of_no_version_is_refused(self) -> None:
        """An edition for a version the pack does not bring is a definition error."""
        pack = replace(ERRAND_PACK, editions={"2031-01": Edition()})
        message = "The workflow pack oppdrag has an edition for 2031-01, which is none of its versions."
        with pytest.raises(WorkflowDefinitionError, match=f"^{re.escape(message)}$"):
            WorkflowRegistry().register_pack(pack)

    def test_labels_cover_every_version_and_nothing_else(self) -> None:
        """A label of a step only the newer version has is fine; one of a step no version has is refused."""
        labels = {
            lang: w.model_copy(update={"steps": w.steps | {"fly": "Fly"}}) for lang, w in ERRAND_PACK.labels.items()
        }
        message = "labels[nb].steps names fly, which the spec does not have"
        with pytest.raises(WorkflowDefinitionError, match=re.escape(message)):
            WorkflowRegistry().register_pack(replace(ERRAND_PACK, labels=labels))


def _with_step(trigger: str, **update: Any) -> WorkflowRegistry:
    """A registry given the errand pack whose ``trigger`` step is changed by ``update``."""
    steps = tuple(t.model_copy(update=update) if t.trigger == trigger else t for t in NEW.transitions)
    pack = replace(ERRAND_PACK, versions=(OLD, NEW.model_copy(update={"transitions": steps})))
    built = WorkflowRegistry()
    built.register_pack(pack)
    return built


class TestItemDefinitions:
    def test_an_identified_list_must_have_items_with_an_id(self) -> None:
        """identify names a list whose items have an `id` field; anything else is a definition error."""
        message = "'deliver' refers to 'item.id', which Deliver does not have"
        with pytest.raises(WorkflowDefinitionError, match=re.escape(message)):
            _with_step("deliver", identify=("item",))

    def test_a_keyed_satisfaction_names_a_field_and_a_known_duty(self) -> None:
        """satisfy_key names a field of the documentation and a duty kind of the spec."""
        outcome = NEW.transition("deliver").outcomes[0]  # type: ignore[union-attr]
        with pytest.raises(WorkflowDefinitionError, match=re.escape("refers to 'thing', which Deliver does not have")):
            _with_step("deliver", outcomes=(outcome.model_copy(update={"satisfy_key": {"deliver": "thing"}}),))
        with pytest.raises(WorkflowDefinitionError, match=re.escape("names the unknown obligation kind 'fetch'")):
            _with_step("deliver", outcomes=(outcome.model_copy(update={"satisfy_key": {"fetch": "item"}}),))

    def test_a_per_item_duty_names_fields_of_the_items(self) -> None:
        """for_each, item_due and item_key name a list and fields of its items."""
        order = NEW.transition("order")
        assert order is not None
        duty = order.outcomes[0].create[0].model_copy(update={"item_due": "when"})
        outcome = order.outcomes[0].model_copy(update={"create": (duty,)})
        with pytest.raises(
            WorkflowDefinitionError, match=re.escape("refers to 'items.when', which Order does not have")
        ):
            _with_step("order", outcomes=(outcome,))
