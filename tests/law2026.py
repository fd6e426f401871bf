"""Documents and a driver for cases on version 2026-12 of the school workflows (tests of issue 9).

The clock starts at T0, Wednesday 2 September 2026 10:00 Oslo. The case is reported at 09:00, the
principal told at 09:15 and the pupil heard at 09:30; the plan is adopted at 10:00. The first evaluation
is held on Wednesday 16 September at 09:00, with the clock at 10:00 that day.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from aktivitetsplikt.engine import Actor, Case, Engine, FixedClock, Settings
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.bootstrap import builtin_registry
from tests.conftest import ADMIN, HANDLER, PRINCIPAL, TEACHER, plan_doc, pupil_heard, report_doc, unpinned
from tests.fakes import InMemoryUnitOfWorkFactory

REOPENED_AT = datetime(2026, 10, 5, 10, 0, tzinfo=UTC)
"""The clock when a case is reopened: Monday 5 October 2026 12:00 Oslo."""
EVALUATED_AT = datetime(2026, 9, 16, 8, 0, tzinfo=UTC)
"""The clock at the first evaluation: Wednesday 16 September 2026 10:00 Oslo."""
NOTIFIED = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"}
OWNER_TOLD = {"notified_at": "2026-09-02T09:45", "summary": "Skoleeier varslet."}
STARTED = {"responsible": "t-18", "plan": "Samtaler med eleven og klassen."}
ASSESSED = {"serious": False, "reason": "Ingen vold, ingen gjentakelse ennå."}
BEST = "Elevens beste er å få være trygg i friminuttene; hensynet veier tyngst."


def concluded(at: str = "2026-09-02T09:30", conclusion: str = "measures_needed", safe: bool = False) -> dict[str, Any]:
    return {
        "pupil_heard": pupil_heard(safe, at),
        "others_heard": ["kontaktlærer"],
        "findings": "Utestenging.",
        "conclusion": conclusion,
        "best_interests": BEST,
    }


def plan(evaluation_at: str = "2026-09-16T12:00", **overrides: Any) -> dict[str, Any]:
    return plan_doc(evaluation_at, best_interests=BEST, **overrides)


def evaluation(
    measures: dict[str, str],
    *,
    held_at: str = "2026-09-16T09:00",
    heard_at: str | None = None,
    safe: bool = True,
    decision: str = "continue",
    next_at: str = "2026-09-30T12:00",
) -> dict[str, Any]:
    """An evaluation: ``measures`` maps each measure id to its status."""
    return {
        "held_at": held_at,
        "pupil_heard": pupil_heard(safe, heard_at or held_at),
        "effect": "Eleven er med i leken igjen.",
        "measures": [{"id": key, "status": status} for key, status in measures.items()],
        "decision": decision,
        "next_evaluation_at": next_at,
    }


def closing(at: str = "2026-09-16T09:30", **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"reason": "Eleven er trygg.", "pupil_heard": pupil_heard(True, at), "best_interests": BEST}
    doc.update(overrides)
    return doc


DECISION = {
    "received_at": "2026-09-16T09:00",
    "reference": "SF 2026/123",
    "decided_at": "2026-09-15T12:00",
    "breach_found": True,
    "measures": [
        {"description": "Sett inn tiltak i friminuttene", "due_at": "2026-10-09T12:00"},
        {"id": "rutine", "description": "Lag rutine for varsling", "due_at": "2026-11-02T12:00"},
    ],
}
ENFORCEMENT = {"received_at": "2026-09-16T09:00", "reference": "SF 2026/123", "response_due_at": "2026-09-23T12:00"}
"""Statsforvaltaren's decision and its enforcement case, received during the first evaluation."""


FIRST_MEASURE = "m-6-1"
"""The id the engine gives the plan's one measure: the plan is the case's sixth event."""
PATH = ("reported", "principal_notified", "investigating", "planning", "measures_active", "evaluated", "closed")


class Law2026:
    """An engine on an in-memory store whose new cases start on 2026-12, with the refusal check."""

    def __init__(self, engine: Engine, clock: FixedClock, factory: InMemoryUnitOfWorkFactory | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.factory = factory or InMemoryUnitOfWorkFactory()
        """The in-memory store (only for an engine built by :meth:`of`)."""

    @classmethod
    def of(cls, settings: Settings, clock: FixedClock) -> Law2026:
        """On an in-memory store, with new cases on each workflow's newest version."""
        settings = unpinned(settings)
        factory = InMemoryUnitOfWorkFactory()
        engine = Engine(
            settings=settings,
            registry=builtin_registry(),
            uow=factory,
            clock=clock,
            directory=ConfigDirectory(settings),
        )
        return cls(engine, clock, factory)

    def get(self, case_id: str) -> Case:
        return self.engine.get(case_id, actor=ADMIN)

    def fire(self, case_id: str, trigger: str, document: dict[str, Any], actor: Actor = PRINCIPAL) -> Case:
        return self.engine.fire(case_id, trigger, document, actor)

    def report(self, workflow: str = "aktivitetsplikt", **overrides: Any) -> str:
        doc = report_doc(**overrides)
        return self.engine.report(
            workflow=workflow, school="hellerud", pupil="elev-4711", document=doc, actor=TEACHER
        ).id

    def drive(self, state: str, workflow: str = "aktivitetsplikt", **report: Any) -> str:
        """A new case taken step by step to ``state`` (``evaluated``: measures_active after one evaluation)."""
        case_id = self.report(workflow, **report)
        steps: list[tuple[str, str, dict[str, Any], Actor]] = [
            ("principal_notified", "notify_principal", NOTIFIED, TEACHER),
            ("investigating", "start_investigation", STARTED, PRINCIPAL),
            ("investigating", "assess_seriousness", ASSESSED, PRINCIPAL),
            ("planning", "conclude_investigation", concluded(), HANDLER),
            ("measures_active", "adopt_plan", plan(), HANDLER),
            ("evaluated", "evaluate", evaluation({FIRST_MEASURE: "carried_out"}), HANDLER),
            ("closed", "close", closing(), PRINCIPAL),
        ]
        actor_of = self._actor(case_id)
        for target, trigger, document, actor in steps:
            if PATH.index(state) < PATH.index(target):
                break
            if trigger == "evaluate":
                self.clock.set(EVALUATED_AT)
            doc = (
                evaluation(dict.fromkeys(self.measures(case_id), "carried_out")) if trigger == "evaluate" else document
            )
            self.fire(case_id, trigger, doc, actor_of(actor))
            if trigger == "notify_principal" and self.get(case_id).open_obligations("notify_school_owner"):
                self.fire(case_id, "notify_school_owner", OWNER_TOLD, PRINCIPAL)  # § 12-5: the owner always
        return case_id

    def reopened(self, case_id: str, workflow_report: dict[str, Any] | None = None) -> None:
        """Conclude the investigating case safe, then reopen it on Monday 5 October (11:00, the clock at
        12:00) and start the new investigation."""
        self.fire(case_id, "conclude_investigation", concluded(conclusion="safe", safe=True), HANDLER)
        self.clock.set(REOPENED_AT)
        self.fire(case_id, "reopen", report_doc(occurred_at="2026-10-05T11:00", **(workflow_report or {})), TEACHER)
        self.fire(case_id, "start_investigation", STARTED)

    def measures(self, case_id: str) -> list[str]:
        """The ids of the measures of the plan in force (the latest plan or revision)."""
        plans = [e for e in self.get(case_id).events or [] if e.trigger in ("adopt_plan", "revise_plan")]
        return [m["id"] for m in plans[-1].document["measures"]]

    def _actor(self, case_id: str) -> Any:
        """The owner acts as principal on a case whose leadership is accused."""

        def actor_of(actor: Actor) -> Actor:
            accused = self.get(case_id).attributes.get("accused_is_leadership") is True
            return OWNER_AS_PRINCIPAL if accused and actor is PRINCIPAL else actor

        return actor_of

    @contextmanager
    def refused(self, error: type[Exception], message: str) -> Iterator[pytest.ExceptionInfo[Any]]:
        """Expect ``error`` with exactly ``message``, and every case, event and message as before."""
        before = copy.deepcopy(self.factory.store.snapshot_all())
        with pytest.raises(error, match=f"^{re.escape(message)}$") as caught:
            yield caught
        assert before == self.factory.store.snapshot_all()


OWNER_AS_PRINCIPAL = Actor(id="skoleeier@kommune.example", role="school_owner", school=None)


def documentation(trigger: str, *problems: tuple[str, str]) -> str:
    """The message of a DocumentationMissing listing ``problems`` (field, problem)."""
    listed = "; ".join(f"{field}: {problem}" for field, problem in problems)
    return f"The documentation for '{trigger}' is incomplete or invalid; fix these fields and try again: {listed}."


def not_now(trigger: str, reason: str) -> str:
    """The message of a TransitionNotAllowed raised by a rule about the case as a whole."""
    return f"'{trigger}' is not allowed now: {reason}"
