"""The engine is generic: a test-only pack with ids of its own runs without any engine change.

``tests/machines/concern.py`` declares ``bekymring``: no trigger, field, role word or legal reference of
opplæringslova. It registers, runs through its steps, refuses by its own rules, escalates its duties,
and its notices speak its own words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from aktivitetsplikt.engine import (
    Actor,
    DocumentationMissing,
    Engine,
    FixedClock,
    Settings,
    WorkflowDefinitionError,
    bootstrap,
)
from aktivitetsplikt.engine.core.audit_profile import RequiredStep
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.notifiers import Renderer
from tests.conftest import ADMIN, T0, unpinned
from tests.machines.concern import CONCERN_PACK

STAFF = Actor(id="t-17", role="staff", school="hellerud")
LEAD = Actor(id="rektor", role="principal", school="hellerud")


def concern_registry() -> WorkflowRegistry:
    registry = WorkflowRegistry()
    registry.register_pack(CONCERN_PACK)
    return registry


@pytest.fixture
def concern(settings: Settings, clock: FixedClock) -> Iterator[Engine]:
    """An engine on a fresh SQLite file that knows only the concern pack."""
    built = bootstrap(unpinned(settings), clock=clock, registry=concern_registry(), upgrade=True)
    yield built
    built.uow.engine.dispose()  # type: ignore[attr-defined]


def raise_doc() -> dict[str, str]:
    return {"noticed_at": "2026-09-02T09:00", "what": "Noe bekymringsfullt."}


def asked(content: bool) -> dict[str, object]:
    return {"at": "2026-09-03T09:00", "answer": "Det går bedre.", "content": content}


class TestRegistration:
    def test_the_pack_registers_on_its_own(self) -> None:
        """A pack with ids of its own registers in an empty registry."""
        assert ["bekymring"] == [spec.id for spec in concern_registry().workflows()]

    def test_an_audit_profile_naming_an_unknown_step_is_refused(self) -> None:
        """An audit demand for a trigger the spec lacks is a definition error, never a silent pass."""
        audit = CONCERN_PACK.audit.model_copy(
            update={"required_steps": (RequiredStep(trigger="acknowledged", when_reached=("followed",)),)}
        )
        expected = "audit.required_steps names the trigger 'acknowledged', which the spec does not have"
        with pytest.raises(WorkflowDefinitionError, match=expected):
            WorkflowRegistry().register_pack(replace(CONCERN_PACK, audit=audit))

    def test_a_dossier_section_naming_an_unknown_step_is_refused(self) -> None:
        """A dossier section for a trigger the spec lacks is a definition error."""
        dossier = DossierLayout(sections=(DossierSection(key="x", triggers=("resolved",)),))
        expected = "dossier section 'x' names the trigger 'resolved', which the spec does not have"
        with pytest.raises(WorkflowDefinitionError, match=expected):
            WorkflowRegistry().register_pack(replace(CONCERN_PACK, dossier=dossier))

    def test_labels_missing_a_state_are_refused(self) -> None:
        """Every state, step, duty and role has a label in both languages."""
        nn = CONCERN_PACK.labels["nn"].model_copy(update={"states": {"raised": "Meldt"}})
        expected = r"labels\[nn\]\.states lacks followed, resolved"
        with pytest.raises(WorkflowDefinitionError, match=expected):
            WorkflowRegistry().register_pack(replace(CONCERN_PACK, labels={**CONCERN_PACK.labels, "nn": nn}))

    def test_a_configured_duty_without_a_default_deadline_is_refused(self) -> None:
        """A duty counted from config needs the pack's default duration."""
        with pytest.raises(WorkflowDefinitionError, match="deadlines lacks a default for acknowledge"):
            WorkflowRegistry().register_pack(replace(CONCERN_PACK, deadlines={}))

    def test_an_unknown_rule_is_refused(self) -> None:
        """A transition naming a rule its pack does not bring is a definition error."""
        with pytest.raises(WorkflowDefinitionError, match="names the unknown rule 'next_at_ahead'"):
            WorkflowRegistry().register_pack(replace(CONCERN_PACK, rules={}))


class TestRunning:
    def test_a_concern_runs_from_raised_to_resolved(self, concern: Engine, clock: FixedClock) -> None:
        """Its own steps move its own states, with its own duties met."""
        case = concern.report(workflow="bekymring", school="hellerud", pupil="p-1", document=raise_doc(), actor=STAFF)
        clock.advance(hours=1)
        case = concern.fire(case.id, "acknowledge", {"at": "2026-09-02T10:30", "lead": "t-18"}, LEAD)
        follow = {"held_at": "2026-09-03T09:30", "asked": asked(False), "next_at": "2026-09-10T12:00"}
        clock.advance(days=1)
        case = concern.fire(case.id, "follow_up", follow, LEAD)
        case = concern.fire(case.id, "resolve", {"asked": asked(True), "summary": "Løst."}, LEAD)
        expected = ("resolved", "t-18", [])
        assert expected == (case.state, case.responsible, case.open_obligations())

    def test_its_own_rule_refuses(self, concern: Engine, clock: FixedClock) -> None:
        """The pack's rule refuses a resolution while the person concerned is not content."""
        case = concern.report(workflow="bekymring", school="hellerud", pupil="p-1", document=raise_doc(), actor=STAFF)
        clock.advance(hours=2)
        concern.fire(case.id, "acknowledge", {"at": "2026-09-02T10:30", "lead": "t-18"}, LEAD)
        clock.advance(days=1)
        with pytest.raises(DocumentationMissing, match=r"asked\.content"):
            concern.fire(case.id, "resolve", {"asked": asked(False), "summary": "Løst."}, LEAD)
        assert "followed" == concern.get(case.id, actor=ADMIN).state

    def test_its_deadline_counts_school_days(self, concern: Engine) -> None:
        """acknowledge is due 2 school days after the concern was noticed (Wednesday -> end of Friday)."""
        case = concern.report(workflow="bekymring", school="hellerud", pupil="p-1", document=raise_doc(), actor=STAFF)
        [duty] = case.open_obligations()
        expected = ("acknowledge", "2026-09-04T22:00:00+00:00")
        assert expected == (duty.kind, duty.due_at.isoformat())


class TestEscalation:
    def test_an_overdue_acknowledgement_climbs_the_ladder_in_its_own_words(
        self, concern: Engine, clock: FixedClock, settings: Settings
    ) -> None:
        """The sweep reminds, escalates to the head and then the owner; the mail says 'leder' and 'eier'."""
        concern.report(workflow="bekymring", school="hellerud", pupil="p-1", document=raise_doc(), actor=STAFF)
        clock.set(T0 + timedelta(days=1, hours=16))  # Friday 02:00: the reminder is due, the deadline not
        reminded = concern.sweep()
        clock.set(T0 + timedelta(days=7))
        escalated = concern.sweep()
        # The head is responsible for the acknowledgement, so level 1 already tells the owner (spec section 5).
        expected = ([0], [1, 2], [("principal", "school_owner"), ("school_owner",)])
        assert expected == (
            [step.level for step in reminded],
            [step.level for step in escalated],
            [step.recipients for step in escalated],
        )
        renderer = Renderer(settings, concern.registry.words)
        [last] = [m for m in concern.outbox(actor=ADMIN) if m.level == 2]
        subject, body = renderer.render(last)
        assert subject.endswith("meldt til eier")
        assert "skoleeier" not in body and "rektor" not in body
