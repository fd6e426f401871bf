"""Workflow definitions are checked when registered; machines are built once per definition and shared."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import transitions

from aktivitetsplikt.engine import DocumentationMissing, Engine, FixedClock, Settings, WorkflowDefinitionError
from aktivitetsplikt.engine.bootstrap import builtin_registry
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.workflows import AKTIVITETSPLIKT, DOCUMENTS, SKJERPA_AKTIVITETSPLIKT
from aktivitetsplikt.workflows._rules import RULES
from tests.conftest import ADMIN, HANDLER, PRINCIPAL, TEACHER, drive_to, plan_doc, pupil_heard, report_doc
from tests.fakes import make_engine

Data = dict[str, Any]


def registry_2024() -> WorkflowRegistry:
    """The built-in definitions of version 2024-08 alone, the newest when these tests were written."""
    registry = WorkflowRegistry(DOCUMENTS, RULES)
    registry.register_all([AKTIVITETSPLIKT, SKJERPA_AKTIVITETSPLIKT])
    return registry


def builtin_data() -> Data:
    """The § 12-4 definition as JSON would give it: plain dicts, lists and strings."""
    data: Data = json.loads(AKTIVITETSPLIKT.model_dump_json())
    return data


def transition(data: Data, trigger: str) -> Data:
    found: Data = next(t for t in data["transitions"] if t["trigger"] == trigger)
    return found


def state(data: Data, state_id: str) -> Data:
    found: Data = next(s for s in data["states"] if s["id"] == state_id)
    return found


def invalid(problem: str) -> str:
    return f"^{re.escape(f'Workflow aktivitetsplikt 2024-08 is invalid: {problem}; fix its definition.')}$"


def _duplicate_state(d: Data) -> None:
    d["states"].append(dict(state(d, "reported")))


def _reserved_state(d: Data) -> None:
    d["states"].append({"id": "new", "label": "Ny", "no_deadline_reason": "before the report"})


def _duplicate_trigger(d: Data) -> None:
    d["transitions"].append(dict(transition(d, "add_note")))


def _duplicate_obligation(d: Data) -> None:
    d["obligations"].append(dict(d["obligations"][0]))


def _unknown_dest(d: Data) -> None:
    transition(d, "start_investigation")["outcomes"][0]["dest"] = "investigated"


def _unknown_source(d: Data) -> None:
    transition(d, "conclude_investigation")["sources"] = ["investigated"]


def _unreachable(d: Data) -> None:
    d["states"].append({"id": "limbo", "label": "Limbo", "obligation": "evaluate"})


def _leaves_final(d: Data) -> None:
    transition(d, "reopen")["reopens"] = False


def _no_deadline(d: Data) -> None:
    state(d, "planning")["obligation"] = None


def _state_unknown_kind(d: Data) -> None:
    state(d, "planning")["obligation"] = "write_plan"


def _create_unknown_kind(d: Data) -> None:
    transition(d, "report")["outcomes"][0]["create"][0]["kind"] = "call_parents"


def _satisfy_unknown_kind(d: Data) -> None:
    transition(d, "notify_principal")["outcomes"][0]["satisfy"] = ["notify_rektor"]


def _supersede_unknown_kind(d: Data) -> None:
    transition(d, "revise_plan")["outcomes"][0]["supersede"] = ["evaluation"]


def _unknown_model(d: Data) -> None:
    transition(d, "report")["document"] = "Rapport"


def _unknown_rule(d: Data) -> None:
    transition(d, "close")["rules"].append("pupil_is_happy")


def _occurred_field_missing(d: Data) -> None:
    transition(d, "report")["occurred_field"] = "happened_at"


def _when_field_missing(d: Data) -> None:
    transition(d, "conclude_investigation")["outcomes"][1]["when"] = {"verdict": "safe"}


def _set_case_field_missing(d: Data) -> None:
    transition(d, "start_investigation")["outcomes"][0]["set_case"] = {"responsible": "handler"}


def _counted_from_missing(d: Data) -> None:
    transition(d, "adopt_plan")["outcomes"][0]["create"][0]["counted_from"] = "evaluate_at"


def _nested_field_missing(d: Data) -> None:
    transition(d, "conclude_investigation")["outcomes"][1]["when"] = {"pupil_heard.feels_fine": True}


def _no_creating(d: Data) -> None:
    transition(d, "report")["creates_case"] = False


def _two_creating(d: Data) -> None:
    transition(d, "reopen")["creates_case"] = True


def _creating_two_states(d: Data) -> None:
    report = transition(d, "report")
    report["outcomes"] = [{"when": {"source": "pupil"}, "dest": "principal_notified"}, *report["outcomes"]]


KNOWN_RULES = ", ".join(RULES)

BAD_DEFINITIONS: list[tuple[str, Callable[[Data], None], str]] = [
    ("duplicate-state", _duplicate_state, "the state 'reported' is declared twice or uses a reserved name"),
    ("reserved-state", _reserved_state, "the state 'new' is declared twice or uses a reserved name"),
    (
        "duplicate-trigger",
        _duplicate_trigger,
        "the trigger 'add_note' is declared twice or uses a reserved name",
    ),
    (
        "duplicate-obligation",
        _duplicate_obligation,
        "the obligation kind 'notify_principal' is declared twice or uses a reserved name",
    ),
    ("unknown-dest", _unknown_dest, "'start_investigation' leads to the unknown state 'investigated'"),
    (
        "unknown-source",
        _unknown_source,
        "'conclude_investigation' starts from the unknown state 'investigated'",
    ),
    ("unreachable", _unreachable, "the state 'limbo' cannot be reached"),
    ("leaves-final", _leaves_final, "'reopen' leaves a final state without being marked 'reopens'"),
    ("no-deadline", _no_deadline, "the state 'planning' has no deadline and no reason to have none"),
    (
        "state-unknown-kind",
        _state_unknown_kind,
        "the state 'planning' names the unknown obligation kind 'write_plan'",
    ),
    (
        "create-unknown-kind",
        _create_unknown_kind,
        "'report' names the unknown obligation kind 'call_parents'",
    ),
    (
        "satisfy-unknown-kind",
        _satisfy_unknown_kind,
        "'notify_principal' names the unknown obligation kind 'notify_rektor'",
    ),
    (
        "supersede-unknown-kind",
        _supersede_unknown_kind,
        "'revise_plan' names the unknown obligation kind 'evaluation'",
    ),
    ("unknown-model", _unknown_model, "'report' uses the unknown documentation model 'Rapport'"),
    (
        "unknown-rule",
        _unknown_rule,
        f"'close' names the unknown rule 'pupil_is_happy' (known: {KNOWN_RULES})",
    ),
    (
        "occurred-field",
        _occurred_field_missing,
        "'report' refers to 'happened_at', which Report does not have",
    ),
    (
        "when-field",
        _when_field_missing,
        "'conclude_investigation' refers to 'verdict', which ConcludeInvestigation does not have",
    ),
    (
        "set-case-field",
        _set_case_field_missing,
        "'start_investigation' refers to 'handler', which StartInvestigation does not have",
    ),
    (
        "counted-from-field",
        _counted_from_missing,
        "'adopt_plan' refers to 'evaluate_at', which Plan does not have",
    ),
    (
        "nested-field",
        _nested_field_missing,
        "'conclude_investigation' refers to 'pupil_heard.feels_fine', which ConcludeInvestigation does not have",
    ),
    ("no-creating", _no_creating, "it needs exactly one transition that creates a case, not 0"),
    ("two-creating", _two_creating, "it needs exactly one transition that creates a case, not 2"),
    (
        "creating-two-states",
        _creating_two_states,
        "the creating transition must always lead to one initial state",
    ),
]


class TestSpecValidation:
    @pytest.mark.parametrize(
        ("mutate", "problem"), [(m, p) for _, m, p in BAD_DEFINITIONS], ids=[i for i, _, _ in BAD_DEFINITIONS]
    )
    def test_bad_definition_is_refused_with_a_precise_message(
        self, mutate: Callable[[Data], None], problem: str
    ) -> None:
        """Each kind of bad definition fails at registration, naming the problem."""
        data = builtin_data()
        mutate(data)
        spec = WorkflowSpec.model_validate(data)
        registry = WorkflowRegistry(DOCUMENTS, RULES)
        with pytest.raises(WorkflowDefinitionError, match=invalid(problem)):
            registry.register(spec)
        expected = []
        assert expected == registry.workflows()

    def test_no_deadline_with_a_reason_is_accepted(self) -> None:
        """A non-final state without a duty is fine when the definition says why."""
        data = builtin_data()
        state(data, "planning").update(obligation=None, no_deadline_reason="the plan's duty is on the case")
        registry = WorkflowRegistry(DOCUMENTS, RULES)
        registry.register(WorkflowSpec.model_validate(data))
        expected = ["aktivitetsplikt"]
        assert expected == [s.id for s in registry.workflows()]

    def test_refused_definition_leaves_the_registered_one(self) -> None:
        """A bad newer version does not replace the version already registered."""
        registry = registry_2024()
        data = builtin_data()
        data["version"] = "2025-08"
        _unknown_dest(data)
        with pytest.raises(WorkflowDefinitionError):
            registry.register(WorkflowSpec.model_validate(data))
        expected = AKTIVITETSPLIKT
        assert expected == registry.spec("aktivitetsplikt")

    @pytest.mark.parametrize("spec", [AKTIVITETSPLIKT, SKJERPA_AKTIVITETSPLIKT], ids=lambda s: s.id)
    def test_builtin_definitions_are_valid(self, spec: WorkflowSpec) -> None:
        """Both built-in workflows register on their own."""
        registry = WorkflowRegistry(DOCUMENTS, RULES)
        registry.register(spec)
        assert spec == registry.spec(spec.id, "2024-08")


class TestRegisterData:
    @pytest.mark.parametrize("spec", [AKTIVITETSPLIKT, SKJERPA_AKTIVITETSPLIKT], ids=lambda s: s.id)
    def test_model_dump_registers_as_an_equal_definition(self, spec: WorkflowSpec) -> None:
        """register_data of a built-in's model_dump() gives back an equal, registered definition."""
        registry = WorkflowRegistry(DOCUMENTS, RULES)
        registered = registry.register_data(spec.model_dump())
        assert (spec, spec) == (registered, registry.spec(spec.id))

    @pytest.mark.parametrize("spec", [AKTIVITETSPLIKT, SKJERPA_AKTIVITETSPLIKT], ids=lambda s: s.id)
    def test_parsed_json_registers_as_an_equal_definition(self, spec: WorkflowSpec) -> None:
        """A definition parsed from JSON text (lists, not tuples) registers as the same definition."""
        registry = WorkflowRegistry(DOCUMENTS, RULES)
        assert spec == registry.register_data(json.loads(spec.model_dump_json()))

    def test_newer_version_becomes_the_default(self) -> None:
        """A newer version answers for the workflow id; the old one stays reachable by version."""
        registry = registry_2024()
        data = builtin_data()
        data["version"] = "2025-08"
        newer = registry.register_data(data)
        expected = (newer, AKTIVITETSPLIKT)
        assert expected == (registry.spec("aktivitetsplikt"), registry.spec("aktivitetsplikt", "2024-08"))

    @pytest.mark.parametrize(
        ("mutate", "where", "problem"),
        [
            (
                lambda d: d["states"][0].update(final="maybe"),
                "states.0.final",
                "Input should be a valid boolean, unable to interpret input",
            ),
            (
                lambda d: d["transitions"][3]["roles"].__setitem__(0, "janitor"),
                "transitions.3.roles.0",
                "Input should be 'staff+', 'principal', 'case_handler' or 'school_owner'",
            ),
            (lambda d: d.pop("label"), "label", "Field required"),
            (lambda d: d.update(owner="kommunen"), "owner", "Extra inputs are not permitted"),
            (
                lambda d: d["obligations"][1].update(deadline="whenever"),
                "obligations.1.deadline",
                "Input should be 'configured' or 'document'",
            ),
            (
                lambda d: d["transitions"][1].update(outcomes=[]),
                "transitions.1.outcomes",
                "Tuple should have at least 1 item after validation, not 0",
            ),
        ],
        ids=["bool", "role", "missing", "extra", "deadline", "no-outcome"],
    )
    def test_bad_data_is_refused_with_its_location(
        self, mutate: Callable[[Data], None], where: str, problem: str
    ) -> None:
        """Data that is not a definition at all is refused, naming where it is wrong."""
        data = builtin_data()
        mutate(data)
        registry = WorkflowRegistry(DOCUMENTS, RULES)
        message = f"The workflow definition is invalid at '{where}': {problem}; fix it and load it again."
        with pytest.raises(WorkflowDefinitionError, match=f"^{re.escape(message)}$"):
            registry.register_data(data)
        expected = []
        assert expected == registry.workflows()

    def test_inconsistent_data_is_refused_by_the_definition_checks(self) -> None:
        """Well-formed data that breaks a definition rule fails the same checks as a spec in code."""
        data = builtin_data()
        _unreachable(data)
        with pytest.raises(WorkflowDefinitionError, match=invalid("the state 'limbo' cannot be reached")):
            WorkflowRegistry(DOCUMENTS, RULES).register_data(data)

    def test_unknown_workflow_version(self) -> None:
        """Asking for a version that is not registered names the workflows that are."""
        message = (
            "Unknown workflow 'aktivitetsplikt 1999-08'; use one of: aktivitetsplikt, barnehage_aktivitetsplikt, "
            "skjerpa_aktivitetsplikt, skjerpa_barnehage_aktivitetsplikt."
        )
        with pytest.raises(WorkflowDefinitionError, match=f"^{re.escape(message)}$"):
            builtin_registry().machine("aktivitetsplikt", "1999-08")


class TestMachine:
    def test_one_cached_machine_per_workflow_version(self) -> None:
        """The registry hands out the same machine object every time, one per (workflow, version)."""
        registry = builtin_registry()
        first = registry.machine("aktivitetsplikt", "2024-08")
        assert first is registry.machine("aktivitetsplikt", "2024-08")
        assert first is not registry.machine("skjerpa_aktivitetsplikt", "2024-08")

    @pytest.mark.parametrize("spec", [AKTIVITETSPLIKT, SKJERPA_AKTIVITETSPLIKT], ids=lambda s: s.id)
    def test_no_auto_transitions(self, spec: WorkflowSpec) -> None:
        """The machine's only events are the spec's triggers: no to_<state> shortcut exists."""
        machine = builtin_registry().machine(spec.id, spec.version)
        assert [t.trigger for t in spec.transitions] == list(machine._machine.events)

    def test_unknown_trigger_runs_to_none(self) -> None:
        """run() answers None for a trigger the machine does not know at all (to_closed), as documented."""
        machine = builtin_registry().machine("aktivitetsplikt", "2024-08")
        expected = (None, [])
        assert expected == (machine.run("measures_active", "to_closed", {}, {}), machine._machine.models)

    def test_attached_case_gets_no_to_state_method(self) -> None:
        """Even while a case is attached, transitions gives it no to_closed."""
        machine = builtin_registry().machine("aktivitetsplikt", "2024-08")
        seen: list[bool] = []

        class Probe:
            state = "measures_active"

        probe = Probe()
        machine._machine.add_model(probe, initial="measures_active")
        try:
            seen.append(hasattr(probe, "to_closed"))
        finally:
            machine._machine.remove_model(probe)
        expected = [False]
        assert expected == seen

    def test_undefined_trigger_from_a_state_runs_to_none(self) -> None:
        """A trigger not defined from the state yields None and leaves no model attached."""
        machine = builtin_registry().machine("aktivitetsplikt", "2024-08")
        results = [machine.run("reported", "close", {}, {}) for _ in range(100)]
        expected = ([None] * 100, [])
        assert expected == (results, machine._machine.models)

    def test_no_models_left_after_a_thousand_fires(self, settings: Settings, clock: FixedClock) -> None:
        """After 1,000 fires through the engine, refused ones included, the shared machine holds no case."""
        engine, _ = make_engine(settings, clock)
        case_id = drive_to(engine, "measures_active")
        for n in range(995):
            if n % 100 == 0:
                # refused by a rule, which runs after the machine has taken the step
                with pytest.raises(DocumentationMissing, match="must be the seq of an event"):
                    engine.fire(case_id, "add_note", {"text": "Rettelse", "corrects": 9999}, TEACHER)
            else:
                engine.fire(case_id, "add_note", {"text": f"Notat {n}"}, TEACHER)
        machine = engine.registry.machine("aktivitetsplikt", "2024-08")
        expected = ([], 990)
        assert expected == (machine._machine.models, len(engine.get(case_id, actor=ADMIN).events or []))

    def test_no_machine_is_built_per_case(
        self, settings: Settings, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Opening 10 cases and firing 40 more steps builds no transitions.Machine at all."""
        engine, _ = make_engine(settings, clock)
        built: list[object] = []
        original = transitions.Machine.__init__

        def counting(self: transitions.Machine, *args: Any, **kwargs: Any) -> None:
            built.append(self)
            original(self, *args, **kwargs)

        monkeypatch.setattr(transitions.Machine, "__init__", counting)
        fired = sum(_five_steps(engine) for _ in range(10))
        expected = (50, [])
        assert expected == (fired, built)


def _five_steps(engine: Engine) -> int:
    """Open a case and take it four steps further; returns the number of triggers fired."""
    case = engine.report(
        workflow="aktivitetsplikt", school="hellerud", pupil="elev-1", document=report_doc(), actor=TEACHER
    )
    notified = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "S"}
    concluded = {
        "pupil_heard": pupil_heard(),
        "others_heard": [],
        "findings": "F",
        "conclusion": "measures_needed",
    }
    engine.fire(case.id, "notify_principal", notified, TEACHER)
    engine.fire(case.id, "start_investigation", {"responsible": "t-18", "plan": "P"}, PRINCIPAL)
    engine.fire(case.id, "conclude_investigation", concluded, HANDLER)
    engine.fire(case.id, "adopt_plan", plan_doc(), HANDLER)
    return 5
