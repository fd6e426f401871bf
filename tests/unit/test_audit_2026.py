"""The internal audit of version 2026-12 cases: a finding per breach type, and closings listed apart.

The engine refuses most breaches on 2026-12 cases, so some logs here are written as another writer might
have left them (a 2024-08 log read as 2026-12, or a step's documentation edited and the chain re-hashed):
the audit judges the log, whatever wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest

from aktivitetsplikt.engine import Case, Engine, FixedClock, Settings, WorkflowDefinitionError
from aktivitetsplikt.engine.core.audit_profile import BeforeClosing
from aktivitetsplikt.engine.core.model import Event
from aktivitetsplikt.engine.core.pack import Edition, WorkflowPack
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.reports.audit import CSV_FIELDS, CaseAudit, audit_case, summarize
from aktivitetsplikt.workflows import AKTIVITETSPLIKT_PACK
from tests.conftest import ADMIN, HANDLER, PRINCIPAL, TEACHER, drive_to, report_doc
from tests.fakes import make_engine
from tests.law2026 import ENFORCEMENT, NOTIFIED, STARTED, Law2026, evaluation

LATER = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def law(settings: Settings, clock: FixedClock) -> Law2026:
    return Law2026.of(settings, clock)


def audited(engine: Engine, case: Case, version: str | None = None, now: datetime = LATER) -> CaseAudit:
    """The audit of ``case`` as a case of ``version`` (default: its own)."""
    case = replace(case, workflow_version=version or case.workflow_version)
    spec = engine.registry.spec(case.workflow, case.workflow_version)
    return audit_case(case, spec, engine.registry.pack(case.workflow), engine.decider.policy.calendar, now)


def codes(audit: CaseAudit) -> list[tuple[str, str]]:
    return [(f.check, f.code) for f in audit.findings]


def rechained(case: Case, edit: Callable[[Event], dict[str, Any]]) -> Case:
    """The case with each event's documentation replaced by ``edit(event)``, the chain hashed anew."""
    events: list[Event] = []
    head = "0" * 64
    for event in case.events or []:
        fields = {k: getattr(event, k) for k in ("case_id", "seq", "at", "occurred_at", "actor_id", "actor_role")}
        fields |= {"trigger": event.trigger, "from_state": event.from_state, "to_state": event.to_state}
        events.append(Event.chained(head, document=edit(event), **fields))
        head = events[-1].hash
    return replace(case, events=events, head_hash=head)


def a_2024_log(settings: Settings, clock: FixedClock, state: str) -> tuple[Engine, Case]:
    """A case run on 2024-08 to ``state``, and the engine (which knows 2026-12 too)."""
    engine, _ = make_engine(settings, clock)
    return engine, engine.get(drive_to(engine, state), actor=ADMIN)


class TestCleanCase:
    def test_a_case_handled_by_the_rules_has_no_finding(self, law: Law2026) -> None:
        """Reported, assessed, investigated, planned, evaluated and closed: nothing to find."""
        case = law.get(law.drive("closed"))
        audit = audited(law.engine, case)
        assert ([], None) == (codes(audit), audit.closed_apart)


class TestBreaches:
    def test_a_cycle_never_assessed_for_seriousness(self, settings: Settings, clock: FixedClock) -> None:
        """Rule 4: a log that went to planning with no assessment has its own finding."""
        engine, case = a_2024_log(settings, clock, "planning")
        assert ("steps", "seriousness_not_assessed") in codes(audited(engine, case, "2026-12"))

    def test_best_interests_missing(self, settings: Settings, clock: FixedClock) -> None:
        """Rule 9: a conclusion without the assessment of best interests is incomplete."""
        engine, case = a_2024_log(settings, clock, "planning")
        found = [f.detail for f in audited(engine, case, "2026-12").findings if f.code == "step_incomplete"]
        assert [{"step": "conclude_investigation", "seq": 4, "fields": ["best_interests"]}] == found

    def test_statsforvaltarens_deadline_met_by_closing(self, settings: Settings, clock: FixedClock) -> None:
        """Rule 7: a response to Statsforvaltaren "met" by closing the case is a finding of its own."""
        engine, _ = make_engine(settings, clock)
        case_id = drive_to(engine, "measures_active")
        engine.fire(case_id, "register_enforcement", ENFORCEMENT | {"received_at": "2026-09-02T09:50"}, PRINCIPAL)
        heard = {"at": "2026-09-02T09:55", "feels_safe": True, "views": "Ok"}
        engine.fire(case_id, "close", {"reason": "Trygg.", "pupil_heard": heard}, PRINCIPAL)
        found = [
            (f.code, f.detail["kind"])
            for f in audited(engine, engine.get(case_id, actor=ADMIN), "2026-12").findings
            if "kind" in f.detail
        ]
        assert ("duty_met_without_its_step", "respond_to_statsforvalter") in found

    def test_closed_without_an_evaluation(self, law: Law2026) -> None:
        """Rule 2: a log closing as safe right after the plan has its own finding."""
        case = law.get(law.drive("closed"))

        def without_evaluation(event: Event) -> dict[str, Any]:
            return {"text": "Evalueringen er strøket."} if event.trigger == "evaluate" else event.document

        log = rechained(case, without_evaluation)
        log.events = [replace(e, trigger="add_note") if e.trigger == "evaluate" else e for e in log.events or []]
        log = rechained(log, lambda e: e.document)
        assert ("steps", "closed_without_evaluation") in codes(audited(law.engine, log))

    def test_a_voice_dated_before_the_plan(self, law: Law2026) -> None:
        """Rule 1: an evaluation whose pupil was heard before the plan was adopted."""
        case = law.get(law.drive("evaluated"))

        def early(event: Event) -> dict[str, Any]:
            if event.trigger != "evaluate":
                return event.document
            return event.document | {"pupil_heard": event.document["pupil_heard"] | {"at": "2026-09-02T07:00:00Z"}}

        audit = audited(law.engine, rechained(case, early), now=datetime(2026, 9, 16, 9, 0, tzinfo=UTC))
        found = [(f.code, f.detail.get("seq")) for f in audit.findings]
        assert [("pupil_heard_outdated", 7)] == found

    def test_a_measure_never_carried_out(self, law: Law2026) -> None:
        """Rule 10: a measure every evaluation found not carried out is named."""
        case_id = law.drive("measures_active")
        law.clock.set(datetime(2026, 9, 16, 8, 0, tzinfo=UTC))
        law.fire(case_id, "evaluate", evaluation(dict.fromkeys(law.measures(case_id), "not_carried_out")), HANDLER)
        audit = audited(law.engine, law.get(case_id), now=datetime(2026, 9, 17, 8, 0, tzinfo=UTC))
        assert [("steps", "measure_not_carried_out")] == codes(audit)

    def test_a_reopened_12_5_case_the_owner_never_heard_of(self, law: Law2026) -> None:
        """Rules 4 and 5: the new cycle's notice to the owner is missing: a finding besides the late duty."""
        case_id = law.drive(
            "investigating", "skjerpa_aktivitetsplikt", accused_staff="t-20", accused_is_leadership=False
        )
        law.reopened(case_id, {"accused_staff": "t-20"})
        found = codes(audited(law.engine, law.get(case_id)))
        assert ("school_owner", "school_owner_not_notified_in_cycle") in found
        assert ("deadlines", "deadline_overdue") in found

    def test_the_accused_investigating_their_own_case(self, settings: Settings, clock: FixedClock) -> None:
        """Rule 6: a 2024-08 log where the accused (t-20) was appointed by address is a finding under 2026-12's
        audit, which knows people by identity."""
        engine, _ = make_engine(settings, clock)
        case_id = engine.report(
            workflow="skjerpa_aktivitetsplikt",
            school="hellerud",
            pupil="elev-1",
            document=report_doc(accused_staff="t-20", accused_is_leadership=False),
            actor=TEACHER,
        ).id
        engine.fire(case_id, "notify_principal", NOTIFIED, TEACHER)
        engine.fire(case_id, "start_investigation", STARTED | {"responsible": "laerer20@hellerud.example"}, PRINCIPAL)
        case = replace(engine.get(case_id, actor=ADMIN), workflow_version="2026-12")
        spec = engine.registry.spec(case.workflow, "2026-12")
        person = partial(engine.directory.person, "hellerud")
        audit = audit_case(
            case, spec, engine.registry.pack(case.workflow), engine.decider.policy.calendar, LATER, person
        )
        found = [(f.code, f.detail) for f in audit.findings if f.code == "accused_took_part"]
        assert [("accused_took_part", {"seq": 3, "field": "responsible"})] == found


class TestPupilLeftSchool:
    def test_the_closing_is_listed_apart_not_as_a_breach(self, law: Law2026) -> None:
        """Rule 8: no finding, no voice asked for; the case is listed apart in JSON, CSV and the summary."""
        case_id = law.drive("measures_active")
        left = {"at": "2026-09-02T09:50", "new_school_told": False, "guardians_consented": False}
        law.fire(
            case_id,
            "close",
            {"reason": "Flyttet.", "closing_reason": "pupil_left_school", "best_interests": "B", "left_school": left},
        )
        audit = audited(law.engine, law.get(case_id))
        summary = summarize([audit])[0]
        expected = ([], "pupil_left_school", "pupil_left_school", {"pupil_left_school": 1}, 1)
        assert expected == (
            codes(audit),
            audit.to_json()["closed_apart"],
            audit.csv_row()["closed_apart"],
            summary.to_json()["closed_apart"],
            summary.csv_row()["cases_closed_apart"],
        )
        assert list(CSV_FIELDS) == list(audit.csv_row())


class TestVersionDecides:
    def test_a_2024_08_case_is_audited_by_its_own_profile(self, settings: Settings, clock: FixedClock) -> None:
        """The same log has none of the new findings under 2024-08, the profile its case was run on."""
        engine, case = a_2024_log(settings, clock, "planning")
        new = {"seriousness_not_assessed"}
        assert (set(), new) == (
            {c for _, c in codes(audited(engine, case))} & new,
            {c for _, c in codes(audited(engine, case, "2026-12"))} & new,
        )


def _with_audit(**update: Any) -> WorkflowPack:
    """The § 12-4 pack whose 2026-12 audit profile is changed by ``update``."""
    profile = AKTIVITETSPLIKT_PACK.audit_for("2026-12").model_copy(update=update)
    return replace(AKTIVITETSPLIKT_PACK, editions={"2026-12": Edition(audit=profile)})


class TestProfileChecks:
    def test_a_hook_the_pack_lacks_is_refused(self) -> None:
        """audit.hooks names the pack's own checks; an unknown name is a definition error."""
        message = "audit.hooks names 'guess', which the pack's audit_hooks lack (known: pupil_heard_in_time, "
        with pytest.raises(WorkflowDefinitionError, match=re.escape(message)):
            WorkflowRegistry().register_pack(_with_audit(hooks=("guess",)))

    def test_a_demand_before_closing_names_known_steps(self) -> None:
        """audit.before_closing names steps of the version it audits."""
        demand = BeforeClosing(trigger="evaluated", after=("adopt_plan",), closing="close", code="x")
        message = "audit.before_closing names the trigger 'evaluated', which the spec does not have"
        with pytest.raises(WorkflowDefinitionError, match=re.escape(message)):
            WorkflowRegistry().register_pack(_with_audit(before_closing=(demand,)))
