"""Random trigger sequences against a real SQLite store (design section 8, property-based tests).

A hypothesis state machine opens cases in both workflows and fires random triggers with documents that
are valid or broken on purpose, as actors who may or may not act, while the clock moves on. Whatever
happens, only the engine's typed errors may escape, a refusal changes nothing, and every stored case
keeps an intact hash chain with version == number of events == last event seq.

Instants are drawn near the clock (autumn 2026 onwards, minutes to weeks away), and documentation is
always a JSON object: dates at the ends of the datetime range and non-object documentation crash the
engine today (known bugs with their own tests in TestOddInput below), so the machine leaves them out and
keeps looking for other failures.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from aktivitetsplikt.engine import (
    Actor,
    AktivitetspliktError,
    Case,
    DocumentationMissing,
    Engine,
    FixedClock,
    bootstrap,
    load_settings,
)
from tests.conftest import ADMIN, OWNER, PRINCIPAL, T0, TEACHER, TEST_CONFIG, report_doc
from tests.integration.conftest import sql_engine

OSLO = ZoneInfo("Europe/Oslo")
MAX_CASES = 3  # few cases, so that each one gets enough steps to travel deep into its workflow
FORWARD = {
    "reported": ("notify_principal", "notify_school_owner"),
    "principal_notified": ("start_investigation", "assess_seriousness", "notify_school_owner"),
    "investigating": ("conclude_investigation", "notify_school_owner"),
    "planning": ("adopt_plan",),
    "measures_active": ("evaluate", "close", "revise_plan", "notify_school_owner", "register_enforcement"),
    "closed": ("reopen", "respond_to_statsforvalter"),
}
WORKFLOWS = ("aktivitetsplikt", "skjerpa_aktivitetsplikt")
TRIGGERS = (
    "notify_principal",
    "assess_seriousness",
    "notify_school_owner",
    "start_investigation",
    "conclude_investigation",
    "adopt_plan",
    "evaluate",
    "revise_plan",
    "close",
    "add_note",
    "register_enforcement",
    "respond_to_statsforvalter",
    "reopen",
    "report",  # only creates cases: firing it on one is refused
    "no_such_trigger",
)
ACTORS = {
    "staff": TEACHER,
    "principal": PRINCIPAL,
    "responsible": Actor(id="t-18", role="case_handler", school="hellerud"),
    "other_handler": Actor(id="t-20", role="case_handler", school="hellerud"),
    "deputy": Actor(id="nestleder@hellerud.example", role="deputy", school="hellerud"),
    "owner": OWNER,
    "other_owner": Actor(id="eier@annen.example", role="school_owner"),
    "furuset_staff": Actor(id="f-1", role="staff", school="furuset"),
    "furuset_principal": Actor(id="rektor-f", role="principal", school="furuset"),
    "system": Actor(id="system", role="system"),
}
WRONG_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(""),
    st.just("   "),
    st.just("ikke en dato"),
    st.just("2026-09-02"),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["a", "at"]), st.integers(), max_size=2),
)
texts = st.one_of(
    st.sampled_from(["Samtale med eleven.", "Voksne ute i friminuttene.", "Ærlig og åpen prat, ØØ."]),
    # Valid free text: not blank, no control characters (the engine refuses both).
    st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40).filter(str.strip),
)
staff_refs = st.sampled_from(["t-17", "t-18", "t-20", "rektor", "laerer@hellerud.example"])


def instant(now: datetime, minutes: int, style: str) -> str:
    """An ISO 8601 text ``minutes`` from ``now``: Oslo wall time, UTC with Z, or with an offset."""
    at = now + timedelta(minutes=minutes)
    if style == "oslo":
        return at.astimezone(OSLO).replace(tzinfo=None).isoformat(timespec="minutes")
    if style == "utc":
        return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return at.astimezone(OSLO).isoformat()


@dataclass(frozen=True)
class When:
    """The clock's now, and optionally the earliest moment a drawn past instant should lie at."""

    now: datetime
    floor: datetime | None = None


def past(draw: Any, when: When) -> str:
    """Mostly a moment in the last hour, sometimes up to three days back (it may then lie before the case
    began, which the engine must refuse); never before ``when.floor`` if one is given."""
    span = draw(st.sampled_from([60, 60, 60, 3 * 24 * 60]))
    if when.floor is not None:
        span = max(0, min(span, int((when.now - when.floor).total_seconds() // 60)))
    return instant(when.now, -draw(st.integers(0, span)), draw(st.sampled_from(["oslo", "utc", "offset"])))


def ahead(draw: Any, when: When, days: int = 20) -> str:
    return instant(when.now, draw(st.integers(60, days * 24 * 60)), draw(st.sampled_from(["oslo", "utc", "offset"])))


def heard(draw: Any, when: When) -> dict[str, Any]:
    return {"at": past(draw, when), "feels_safe": draw(st.booleans()), "views": draw(texts)}


def plan(draw: Any, when: When) -> dict[str, Any]:
    measures = [
        {"description": draw(texts), "when": "Hver dag", "responsible": draw(staff_refs)}
        for _ in range(draw(st.integers(1, 3)))
    ]
    doc = {
        "problem": draw(texts),
        "measures": measures,
        "evaluation_at": ahead(draw, when),
        "pupil_participation": draw(texts),
    }
    if draw(st.booleans()):
        doc["guardians_informed_at"] = past(draw, when)
    return doc


def report(draw: Any, when: When, workflow: str) -> dict[str, Any]:
    doc = report_doc(
        source=draw(st.sampled_from(["staff_observation", "pupil", "guardian", "other"])),
        occurred_at=past(draw, when),
        description=draw(texts),
        kinds=draw(st.lists(st.sampled_from(["bullying", "violence", "exclusion", "other"]), min_size=1, max_size=3)),
    )
    if draw(st.booleans()):
        doc["pupils_involved"] = draw(st.lists(texts, max_size=2))
    if draw(st.booleans()):
        doc["intervention"] = {"at": past(draw, when), "action": draw(texts)}
    if workflow == "skjerpa_aktivitetsplikt":
        doc["accused_staff"] = draw(st.sampled_from(["t-20", "t-17", "rektor"]))
        doc["accused_is_leadership"] = draw(st.booleans())
    return doc


def valid_document(draw: Any, trigger: str, when: When, workflow: str) -> dict[str, Any]:
    """Documentation for ``trigger`` that is well formed (rules of the law may still refuse it)."""
    builders: dict[str, Any] = {
        "report": lambda: report(draw, when, workflow),
        "reopen": lambda: report(draw, when, workflow),
        "notify_principal": lambda: {"notified_at": past(draw, when), "channel": "muntlig", "summary": draw(texts)},
        "assess_seriousness": lambda: {"serious": draw(st.booleans()), "reason": draw(texts)},
        "notify_school_owner": lambda: {"notified_at": past(draw, when), "summary": draw(texts)},
        "start_investigation": lambda: {"responsible": draw(st.sampled_from(["t-18", "t-20"])), "plan": draw(texts)},
        "conclude_investigation": lambda: {
            "pupil_heard": heard(draw, when),
            "others_heard": draw(st.lists(texts, max_size=2)),
            "findings": draw(texts),
            "conclusion": draw(st.sampled_from(["measures_needed", "safe"])),
        },
        "adopt_plan": lambda: plan(draw, when),
        "revise_plan": lambda: plan(draw, when) | {"reason": draw(texts)},
        "evaluate": lambda: {
            "held_at": past(draw, when),
            "pupil_heard": heard(draw, when),
            "effect": draw(texts),
            "decision": draw(st.sampled_from(["continue", "revise"])),
            "next_evaluation_at": ahead(draw, when),
        },
        "close": lambda: {"reason": draw(texts), "pupil_heard": heard(draw, when)},
        "add_note": lambda: (
            {"text": draw(texts)} | ({"corrects": draw(st.integers(0, 12))} if draw(st.booleans()) else {})
        ),
        "register_enforcement": lambda: {
            "received_at": past(draw, when),
            "reference": draw(texts),
            "response_due_at": ahead(draw, when, days=40),
        },
        "respond_to_statsforvalter": lambda: {"sent_at": past(draw, when), "summary": draw(texts)},
    }
    builder = builders.get(trigger)
    return builder() if builder else {"text": draw(texts)}


def broken(draw: Any, doc: dict[str, Any], when: When) -> dict[str, Any]:
    """The same documentation with one thing wrong: a field missing, unknown, mistyped or in the future."""
    doc = dict(doc)
    how = draw(st.sampled_from(["missing", "unknown", "wrong_type", "future", "nested"]))
    keys = sorted(doc)
    if how == "missing" and keys:
        del doc[draw(st.sampled_from(keys))]
    elif how == "unknown":
        doc[draw(st.sampled_from(["ukjent", "pupil_name", "notified"]))] = draw(WRONG_VALUES)
    elif how == "wrong_type" and keys:
        doc[draw(st.sampled_from(keys))] = draw(WRONG_VALUES)
    elif how == "future":
        instants = [k for k in keys if k.endswith("_at")] or ["occurred_at"]
        doc[draw(st.sampled_from(instants))] = instant(when.now, draw(st.integers(1, 10 * 24 * 60)), "oslo")
    else:
        nested = [k for k in keys if isinstance(doc[k], dict)]
        if nested:
            key = draw(st.sampled_from(nested))
            doc[key] = {**doc[key], "at": instant(when.now, draw(st.integers(1, 600)), "utc"), "extra": 1}
        else:
            doc["pupil_heard"] = draw(WRONG_VALUES)
    return doc


def document_for(draw: Any, trigger: str, when: When, workflow: str, broken_in_ten: int = 3) -> dict[str, Any]:
    doc = valid_document(draw, trigger, when, workflow)
    # Hypothesis starts from the smallest draws: let those give valid documentation.
    return broken(draw, doc, when) if draw(st.integers(0, 9)) >= 10 - broken_in_ten else doc


class CaseMachine(RuleBasedStateMachine):
    """Cases on a real SQLite file, driven by random steps."""

    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="aktivitetsplikt-props-"))
        config = self.folder / "config.toml"
        config.write_text(f'[database]\nurl = "sqlite:///{self.folder / "cases.db"}"\n' + TEST_CONFIG, encoding="utf-8")
        self.clock = FixedClock(T0)
        self.engine: Engine = bootstrap(load_settings(config), clock=self.clock, upgrade=True)
        self.opened = 0

    def teardown(self) -> None:
        sql_engine(self.engine).dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- steps ----------------------------------------------------------------------------------------

    @initialize(target=cases, workflow=st.sampled_from(WORKFLOWS), data=st.data())
    def first_case(self, workflow: str, data: st.DataObject) -> str:
        """Every run starts with one properly reported case, so the steps have something to work on."""
        document = valid_document(data.draw, "report", When(self.clock.now()), workflow)
        self.opened += 1
        return self.engine.report(
            workflow=workflow, school="hellerud", pupil="elev-1", document=document, actor=TEACHER
        ).id

    @precondition(lambda self: self.opened < MAX_CASES)
    @rule(target=cases, data=st.data())
    def open_case(self, data: st.DataObject) -> Any:
        """A report at some school by some actor, with documentation that is broken three times in ten."""
        workflow = data.draw(st.sampled_from(WORKFLOWS), label="workflow")
        school, actor = data.draw(
            st.sampled_from(
                [
                    ("hellerud", TEACHER),
                    ("hellerud", PRINCIPAL),
                    ("furuset", ACTORS["furuset_staff"]),
                    ("hellerud", ACTORS["furuset_staff"]),
                    ("hellerud", ACTORS["system"]),
                ]
            ),
            label="school and actor",
        )
        document = document_for(data.draw, "report", When(self.clock.now()), workflow)
        try:
            case = self.engine.report(
                workflow=workflow, school=school, pupil="elev-4711", document=document, actor=actor
            )
        except AktivitetspliktError as refused:
            event(f"report refused: {type(refused).__name__}")
            return multiple()
        event(f"opened: {workflow}")
        self.opened += 1
        return case.id

    @rule(case_id=cases, data=st.data())
    def fire_anything(self, case_id: str, data: st.DataObject) -> None:
        """Any trigger, by any actor, with documentation that is broken three times in ten."""
        before = self.engine.get(case_id, actor=ADMIN)
        trigger = data.draw(st.sampled_from(TRIGGERS), label="trigger")
        actor = data.draw(st.sampled_from(list(ACTORS.values())), label="actor")
        document = document_for(data.draw, trigger, When(self.clock.now()), before.workflow)
        self.attempt(before, trigger, document, actor)

    @rule(case_id=cases, data=st.data())
    def fire_likely(self, case_id: str, data: st.DataObject) -> None:
        """A trigger the workflow defines from the case's state, mostly by who may fire it, so that cases
        travel deep into the workflow."""
        before = self.engine.get(case_id, actor=ADMIN)
        defined = self.engine.registry.machine(before.workflow, before.workflow_version).triggers_from(before.state)
        trigger = data.draw(st.sampled_from(defined or TRIGGERS), label="trigger")
        if data.draw(st.integers(0, 9), label="likely actor") < 8:
            actor = self.acting_principal(before)
        else:
            actor = data.draw(st.sampled_from(list(ACTORS.values())), label="actor")
        when = When(self.clock.now(), floor=before.occurred_at)
        document = document_for(data.draw, trigger, when, before.workflow, broken_in_ten=1)
        self.attempt(before, trigger, document, actor)

    @rule(case_id=cases, data=st.data())
    def step_forward(self, case_id: str, data: st.DataObject) -> None:
        """The step that moves the case on along its workflow, by who may take it, with documentation
        that is well formed (the rules of the law may still refuse it)."""
        before = self.engine.get(case_id, actor=ADMIN)
        trigger = data.draw(st.sampled_from(FORWARD[before.state]), label="trigger")
        when = When(self.clock.now(), floor=before.occurred_at)
        document = document_for(data.draw, trigger, when, before.workflow, broken_in_ten=0)
        self.attempt(before, trigger, document, self.acting_principal(before))

    @rule(unit=st.sampled_from(["hours", "days"]), amount=st.integers(0, 30))
    def wait(self, unit: str, amount: int) -> None:
        self.clock.advance(**{unit: amount})

    def attempt(self, before: Case, trigger: str, document: dict[str, Any], actor: Actor) -> None:
        """Fire; a refusal must be one of the engine's errors and leave the case exactly as it was."""
        try:
            after = self.engine.fire(before.id, trigger, document, actor)
        except AktivitetspliktError as refused:
            event(f"refused: {type(refused).__name__}")
            assert before == self.engine.get(before.id, actor=ADMIN)
            return
        event(f"fired: {trigger} -> {after.state}")
        assert (before.version + 1, before.last_seq + 1) == (after.version, after.last_seq)

    @staticmethod
    def acting_principal(case: Case) -> Actor:
        """Who may act as principal on the case: the school owner when § 12-5 accuses the leadership."""
        return OWNER if case.attributes.get("accused_is_leadership") is True else PRINCIPAL

    # --- what must always hold ------------------------------------------------------------------------

    @invariant()
    def every_stored_case_is_consistent(self) -> None:
        """Every case in the store verifies, and version == number of events == last seq. (An intact
        chain has seq 1..n in order, so its last seq is its number of events.)"""
        for case in self.engine.list_cases(actor=ADMIN):
            verdict = self.engine.verify(case.id, actor=ADMIN)
            assert verdict.intact, verdict
            assert (verdict.events, verdict.events) == (case.version, case.last_seq)


CaseMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestRandomTriggers = CaseMachine.TestCase


class TestOddInput:
    """Input the property machine leaves out because it already breaks the engine; each must be refused
    with a typed error (DocumentationMissing), never crash with a Python error."""

    @pytest.mark.parametrize(
        "occurred_at",
        ["0001-01-01T00:00", "0001-01-01T00:00+01:00", "9999-12-31T23:59-01:00"],
    )
    def test_a_report_dated_at_the_start_of_time_is_refused(self, engine: Engine, occurred_at: str) -> None:
        """A report whose occurred_at cannot be converted to UTC is refused as invalid documentation."""
        with pytest.raises(DocumentationMissing, match="occurred_at"):
            engine.report(
                workflow="aktivitetsplikt",
                school="hellerud",
                pupil="elev-4711",
                document=report_doc(occurred_at=occurred_at),
                actor=TEACHER,
            )

    def test_an_enforcement_due_at_the_start_of_time_is_refused(self, engine: Engine) -> None:
        """A response deadline whose reminder would lie before year 1 is refused, not an OverflowError."""
        case_id = engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil="elev-4711", document=report_doc(), actor=TEACHER
        ).id
        document = {"received_at": "2026-09-02T09:00", "reference": "SF-1", "response_due_at": "0001-01-01T00:00Z"}

        with pytest.raises(DocumentationMissing, match="response_due_at"):
            engine.fire(case_id, "register_enforcement", document, PRINCIPAL)

    @pytest.mark.parametrize("document", [None, [], ["text"], "text", 42], ids=repr)
    def test_documentation_that_is_not_an_object_is_refused(self, engine: Engine, document: Any) -> None:
        """Documentation that is not a JSON object raises DocumentationMissing naming '(document)'."""
        case_id = engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil="elev-4711", document=report_doc(), actor=TEACHER
        ).id

        with pytest.raises(DocumentationMissing, match=r"\(document\): must be a JSON object"):
            engine.fire(case_id, "add_note", document, TEACHER)

    @pytest.mark.parametrize("pupil", ["", "   "])
    def test_a_report_without_a_pupil_reference_is_refused_with_a_typed_error(self, engine: Engine, pupil: str) -> None:
        """A blank pupil reference raises one of the engine's own errors, saying what to do."""
        with pytest.raises(AktivitetspliktError, match="pupil's reference"):
            engine.report(
                workflow="aktivitetsplikt", school="hellerud", pupil=pupil, document=report_doc(), actor=TEACHER
            )
