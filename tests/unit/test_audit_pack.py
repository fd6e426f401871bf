"""The audit is driven by the workflow pack: its profile is checked at registration, and a workflow with
ids, words and a calendar of its own is audited by them (design section 7b).

The workflow is ``tests/machines/check_in.py``; dates as in ``tests/conftest.py`` (T0 is Wednesday 2
September 2026, 10:00 Oslo). A concern raised at 09:00 must be answered by the end of Thursday 3
September; Monday 7 September is two working days later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from aktivitetsplikt.engine import Actor, Case, Engine, FixedClock, Settings, WorkflowDefinitionError
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.bootstrap import builtin_registry
from aktivitetsplikt.engine.core.audit_profile import AuditProfile, ClosingStep, RecurringDuty, RequiredStep, VoiceField
from aktivitetsplikt.engine.core.pack import WorkflowPack
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.reports.agenda import build_agenda
from aktivitetsplikt.engine.reports.audit import CaseAudit, Tally, audit_case, pack_lookup, spec_lookup
from aktivitetsplikt.workflows import AKTIVITETSPLIKT_PACK
from tests.conftest import ADMIN
from tests.fakes import InMemoryUnitOfWorkFactory
from tests.machines.check_in import PACK, without_owner_notice

STAFF = Actor(id="t-17", role="staff", school="hellerud")
MONDAY = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)
SCHOOL = AKTIVITETSPLIKT_PACK.audit
Change = Callable[[AuditProfile], AuditProfile]


def with_(**update: Any) -> Change:
    return lambda profile: profile.model_copy(update=update)


def with_notice(**update: Any) -> Change:
    assert SCHOOL.owner_notice is not None
    return with_(owner_notice=SCHOOL.owner_notice.model_copy(update=update))


class TestProfileChecks:
    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            (with_(essential={"report_x": ("source",)}), "audit.essential names the trigger 'report_x'"),
            (
                with_(essential={"report": ("source", "witness")}),
                "audit.essential names the field 'witness' of 'report'",
            ),
            (
                with_(required_steps=(RequiredStep(trigger="adopt_plans", when_reached=("planning",)),)),
                "audit.required_steps names the trigger 'adopt_plans'",
            ),
            (
                with_(required_steps=(RequiredStep(trigger="adopt_plan", when_reached=("plan_adopted",)),)),
                "audit.required_steps names the state 'plan_adopted'",
            ),
            (
                with_(closing_steps=(ClosingStep(trigger="conclude_investigation", when={"verdict": "safe"}),)),
                "audit.closing_steps names the field 'verdict' of 'conclude_investigation'",
            ),
            (
                with_(voice=(VoiceField(trigger="close", field="pupil_heard", subfield="opinion"),)),
                "audit.voice names the field 'pupil_heard.opinion' of 'close'",
            ),
            (
                with_(recurring=(RecurringDuty(duty="evaluation", trigger="evaluate"),)),
                "audit.recurring names the duty 'evaluation'",
            ),
            (
                with_(recurring=(RecurringDuty(duty="evaluate", trigger="evaluation"),)),
                "audit.recurring names the trigger 'evaluation'",
            ),
            (with_notice(duty="notify_owner"), "audit.owner_notice names the duty 'notify_owner'"),
            (with_notice(serious_field="grave"), "audit.owner_notice names the field 'grave' of 'assess_seriousness'"),
        ],
    )
    def test_a_profile_naming_what_the_spec_lacks_is_refused(self, change: Change, problem: str) -> None:
        """An id of the audit profile that the spec lacks is a definition error naming it; nothing is registered."""
        registry = WorkflowRegistry()

        with pytest.raises(WorkflowDefinitionError, match=re.escape(problem)):
            registry.register_pack(replace(AKTIVITETSPLIKT_PACK, audit=change(SCHOOL)))
        assert [] == registry.packs()


@pytest.fixture
def engine(settings: Settings, clock: FixedClock) -> Engine:
    registry = builtin_registry()
    registry.register_pack(PACK)
    directory = ConfigDirectory(settings)
    return Engine(
        settings=settings, registry=registry, uow=InMemoryUnitOfWorkFactory(), clock=clock, directory=directory
    )


def raised(engine: Engine, actor: Actor = STAFF) -> str:
    doc = {"occurred_at": "2026-09-02T09:00", "what": "Barnet gråter ved levering."}
    school = actor.school or "hellerud"
    return engine.report(workflow="check_in", school=school, pupil="barn-7", document=doc, actor=actor).id


def answered(engine: Engine, case_id: str, **overrides: Any) -> None:
    doc = {
        "answered_at": "2026-09-02T09:30",
        "note": "Snakket med foreldrene.",
        "voice": {"said": "Vil ha en voksen ved porten."},
        "next_look_at": "2026-09-16T12:00",
    }
    engine.fire(case_id, "answer", doc | overrides, STAFF)


def told(engine: Engine, case_id: str) -> None:
    engine.fire(case_id, "tell_owner", {"told_at": "2026-09-02T09:45"}, STAFF)


def settled(engine: Engine, case_id: str) -> None:
    engine.fire(case_id, "settle", {"why": "Trygt nå.", "voice": {"said": "Det går bra."}}, STAFF)


def audited(engine: Engine, case_id: str, now: datetime | None = None, pack: WorkflowPack = PACK) -> CaseAudit:
    case = engine.get(case_id, actor=ADMIN)
    calendar = engine.decider.policy.calendar_of(case.school)
    return audit_case(case, engine.registry.spec(case.workflow), pack, calendar, now or engine.clock.now())


def findings(audit: CaseAudit) -> list[tuple[str, str]]:
    return [(f.code, f.label) for f in audit.findings]


class TestAnyWorkflow:
    def test_a_case_handled_by_its_own_steps_has_no_findings(self, engine: Engine, clock: FixedClock) -> None:
        """Raised, told, answered, looked at on its date and settled: every check in order."""
        case_id = raised(engine)
        told(engine, case_id)
        answered(engine, case_id)
        clock.set(datetime(2026, 9, 16, 9, 0, tzinfo=UTC))
        look = {"held_at": "2026-09-16T10:30", "outcome": "Bedre.", "next_look_at": "2026-09-30T12:00"}
        engine.fire(case_id, "look", look, STAFF)
        settled(engine, case_id)

        audit = audited(engine, case_id)

        assert ([], Tally(4, 4), Tally(4, 4), Tally(2, 2), Tally(1, 1)) == (
            findings(audit),
            audit.steps,
            audit.deadlines,
            audit.pupil_heard,
            audit.school_owner,
        )

    def test_the_sentences_use_the_packs_words(self, engine: Engine) -> None:
        """Its duties, its owner, its section and its working days, with the school's codes."""
        audit = audited(engine, raised(engine), now=MONDAY)

        assert [
            (
                "deadline_overdue",
                "«Svare» er ikke gjort; fristen (utgangen av torsdag 3. september 2026) er 2 arbeidsdager på overtid.",
            ),
            (
                "deadline_overdue",
                "«Si fra til eier» er ikke gjort; fristen (utgangen av torsdag 3. september 2026) er 2 arbeidsdager "
                "på overtid.",
            ),
            ("school_owner_not_notified", "Eier er ikke varslet, men saken gjelder § T-1."),
        ] == findings(audit)

    def test_a_missing_look_and_a_silent_child_are_found(self, engine: Engine) -> None:
        """The recurring duty passed undocumented, and the answer lacks the child's own voice."""
        case_id = raised(engine)
        told(engine, case_id)
        answered(engine, case_id, voice=None)

        audit = audited(engine, case_id, now=datetime(2026, 9, 17, 8, tzinfo=UTC))

        assert [
            (
                "evaluation_missing",
                "«Se på saken igjen» med frist onsdag 16. september 2026 kl. 12:00 er ikke dokumentert.",
            ),
            (  # a deadline at a time of day (not the end of a working day) is late by the hours begun
                "deadline_overdue",
                "«Se på saken igjen» er ikke gjort; fristen (onsdag 16. september 2026 kl. 12:00) er 22 timer "
                "på overtid.",
            ),
            ("pupil_not_heard", "Barnets egen stemme mangler i «Svare» (hendelse 3)."),
        ] == findings(audit)

    def test_a_revived_case_is_a_new_cycle_with_its_own_required_steps(self, engine: Engine) -> None:
        """Split at the spec's reopening step: settled again without an answer, the answer is missing."""
        case_id = raised(engine)
        told(engine, case_id)
        answered(engine, case_id)
        settled(engine, case_id)
        engine.fire(case_id, "revive", {"occurred_at": "2026-09-02T09:50", "what": "Igjen."}, STAFF)
        settled(engine, case_id)

        audit = audited(engine, case_id)

        assert [("steps", "step_missing", {"step": "answer"})] == [(f.check, f.code, f.detail) for f in audit.findings]
        assert Tally(5, 6) == audit.steps

    def test_without_an_owner_notice_there_is_no_owner_check(self, engine: Engine) -> None:
        """A profile without an owner notice demands none; the overdue duty is still a deadline finding."""
        audit = audited(engine, raised(engine), now=MONDAY, pack=without_owner_notice(PACK))

        assert (["deadlines", "deadlines"], Tally()) == ([f.check for f in audit.findings], audit.school_owner)

    def test_the_agenda_lists_the_recurring_duty_as_an_evaluation(self, engine: Engine) -> None:
        """The pack's recurring duty is what the meeting sees coming, with the pack's section."""
        case_id = raised(engine)
        told(engine, case_id)
        answered(engine, case_id)
        cases: list[Case] = [engine.get(case_id, events=False, actor=ADMIN)]
        registry = engine.registry

        agenda = build_agenda(
            cases, spec_lookup(registry), pack_lookup(registry), engine.decider.policy.calendar_of, MONDAY
        )

        item = agenda.schools[0].items[0]
        assert (["look"], [], "§ T-1") == (
            [d.kind for d in item.evaluations_due],
            [d.kind for d in item.due_soon],
            item.words.section,
        )
