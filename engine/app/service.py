"""The Engine: the public face embedders use. Each method opens a unit of work, loads, decides, stores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog

from aktivitetsplikt.engine.app.dispatch import Dispatcher
from aktivitetsplikt.engine.app.erasure import Erasing
from aktivitetsplikt.engine.app.ports import Clock, Directory, Notifier, UnitOfWorkFactory
from aktivitetsplikt.engine.app.retry import Retrying
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.access import Face
from aktivitetsplikt.engine.core.decide import Decider, school_year_of
from aktivitetsplikt.engine.core.escalation import Escalator, QueuedStep
from aktivitetsplikt.engine.core.model import Actor, Case, Decision, Obligation, OutboxMessage
from aktivitetsplikt.engine.core.refs import EMPTY, ref_problem
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.engine.errors import (
    ConcurrencyConflict,
    DatabaseBusy,
    InvalidInput,
    MessageNotFound,
    NotPermitted,
)

log = structlog.get_logger(__name__)


def _as_data(document: object) -> object:
    """A copy of a mapping; anything else goes to validation as it is, to be refused there."""
    return dict(document) if isinstance(document, Mapping) else document


NUMBER_RETRIES = 5
FIRE_RETRIES = 5
"""Fires without an expected version decided again after the case moved under them (only with storage that
does not lock the case first; the SQL adapter does, so there they queue instead)."""
RETRY_ROLES = frozenset({"it_admin", "principal", "deputy", "school_owner"})
"""Who may queue a parked message again: operations, not a step of a case."""


class Engine(Erasing):
    """Runs cases through their workflows. Build one with :func:`aktivitetsplikt.engine.bootstrap`.

    The reads (``get``, ``list_cases``, ``outbox``, ``access_log``, ``verify``) are in :class:`Reading`;
    retention and erasure (``erase``, ``due_for_erasure``, ``erase_expired``) in :class:`Erasing`.

    Every write takes its locks in one order: the case (cases by id), then its duties; a transaction that
    failed for a transient reason (deadlock, serialization failure, SQLite busy) is run again by
    ``retrying`` before a :class:`DatabaseBusy` reaches the caller.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        registry: WorkflowRegistry,
        uow: UnitOfWorkFactory,
        clock: Clock,
        directory: Directory,
        taken: type[Exception] | None = None,
        face: Face = "library",
        retrying: Retrying | None = None,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.uow = uow
        self.clock = clock
        self.directory = directory
        policy = settings.policy(registry.packs())
        self.decider = Decider(registry, policy, directory)
        self.escalator = Escalator(registry, policy, directory)
        self._number_taken = taken
        self.retrying = retrying or Retrying()
        """Bounded, jittered retries of transient failures; inject one with its own ``sleep`` in tests."""
        self.face: Face = face
        """Through which face this engine is used (library, cli, daemon, http): the access log says it."""

    # --- writing ------------------------------------------------------------------------------------

    def report(self, *, workflow: str, school: str, pupil: str, document: Mapping[str, Any], actor: Actor) -> Case:
        """Open a case with its first documented step, ``report``. Returns the new case."""
        problem = ref_problem(pupil)
        if problem is not None and problem != EMPTY:  # an empty ref is the decider's documented refusal
            msg = f"The pupil reference {problem}; give the pupil's reference from your system (never a name)."
            raise InvalidInput(msg)
        data = _as_data(document)

        def open_case() -> Decision | None:
            now = self.clock.now()
            with self.uow(write=True) as uow:
                sequence = uow.cases.next_number(school, school_year_of(now, self.decider.calendar.tz))
                decision = self.decider.open_case(workflow, school, pupil, data, actor, now, sequence)
                try:
                    uow.cases.add(decision)
                except Exception as exc:
                    if self._number_taken is not None and isinstance(exc, self._number_taken):
                        return None  # a concurrent report took the number; decide again with the next one
                    raise
                uow.commit()
            return decision

        for _ in range(NUMBER_RETRIES):
            opened = self.retrying(open_case, what="report")
            if opened is not None:
                self._logged(opened)
                return opened.case
        msg = f"Too many reports at school '{school}' at once took the next case number; report again."
        raise ConcurrencyConflict(msg)

    def fire(
        self,
        case_id: str,
        trigger: str,
        document: Mapping[str, Any],
        actor: Actor,
        expected_version: int | None = None,
    ) -> Case:
        """Fire a documented step on a case (by id or number). Returns the case after the step.

        Raises DocumentationMissing, TransitionNotAllowed, NotPermitted, CaseNotFound, ConcurrencyConflict
        only when ``expected_version`` is given and the case is no longer at it, or DatabaseBusy when the
        database stayed busy through the engine's retries. Without ``expected_version`` the step is decided
        on the case as it is when its lock is taken: concurrent writers queue, none is refused for them.
        """
        if expected_version is not None and (type(expected_version) is not int or expected_version < 0):
            msg = f"expected_version must be a whole number of at least 0, not {type(expected_version).__name__}."
            raise InvalidInput(msg)
        data = _as_data(document)

        def step() -> Decision:
            now = self.clock.now()
            with self.uow(write=True) as uow:
                case = uow.cases.get_for_update(case_id)  # the case first; its duties after (the lock order)
                self.refuse_erased(case, trigger)
                if expected_version is not None and expected_version != case.version:
                    raise ConcurrencyConflict(case.number, expected_version, case.version)
                if self.decider.needs_log(case, trigger):
                    case.events = uow.cases.events(case.id)
                decision = self.decider.fire(case, trigger, data, actor, now)
                uow.cases.save(decision, case.version)
                uow.commit()
            return decision

        for attempt in range(1, FIRE_RETRIES + 1):
            try:
                decision = self.retrying(step, what="fire")
            except ConcurrencyConflict:
                if expected_version is not None:
                    raise  # the version the caller passed really moved
                # Without an expected version the caller asked for "the case as it is now": storage that
                # does not lock the case let another writer in between, so decide again on the fresh case.
                if attempt == FIRE_RETRIES:
                    reason = "contended"  # every attempt found the case moved: a busy case, not a stale caller
                    raise DatabaseBusy(reason, retryable=False) from None
                continue
            self._logged(decision)
            return decision.case
        raise AssertionError  # pragma: no cover - the loop returns or raises

    def _logged(self, decision: Decision) -> None:
        # Identifiers only: never the pupil reference or the documentation's free text.
        event = decision.event
        log.info(
            "case_step",
            case_id=decision.case.id,
            case_number=decision.case.number,
            trigger=event.trigger,
            seq=event.seq,
            state=decision.case.state,
            duties_created=[o.kind for o in decision.created],
            duties_met=[o.kind for o in decision.satisfied],
            messages=len(decision.messages),
        )

    # --- deadlines and messages ------------------------------------------------------------------------

    def sweep(self, skipped: list[str] | None = None) -> list[QueuedStep]:
        """Take every escalation step that is due now, each exactly once, batch by batch. Safe to run
        from several daemons at once on PostgreSQL: a batch locks its cases (by id, skipping those another
        transaction holds), then their due duties, the same order a step takes. A case is visited at most
        once a sweep; one skipped because it was locked is taken by the next sweep, or by its holder.

        History is never written backwards: a case whose latest event is later than the clock's now
        (``sweep --now`` in the past) gets nothing; its number is added to ``skipped``."""
        now = self.clock.now()
        batch = self.settings.daemon.batch_size
        taken: list[QueuedStep] = []
        after = ""  # case ids are compared as text; every id sorts after the empty one

        def escalate_batch() -> tuple[str, list[QueuedStep], list[str]] | None:
            with self.uow(write=True) as uow:
                cases = uow.cases.lock_due(now, after, batch)
                if not cases:
                    return None
                by_case: dict[str, list[Obligation]] = {c.id: [] for c in cases}
                for duty in uow.duties.lock_due(list(by_case), now):
                    by_case[duty.case_id].append(duty)
                latest = uow.reports.latest_at(sorted(by_case))
                decisions: list[Decision] = []
                batch_steps: list[QueuedStep] = []
                in_future: list[str] = []
                for case in cases:
                    if not by_case[case.id]:  # none left: another sweeper escalated them before we locked
                        continue
                    if latest.get(case.id, now) > now:
                        log.warning("sweep_skipped_case_in_future", case_id=case.id, latest_event=str(latest[case.id]))
                        in_future.append(case.number)
                        continue
                    decided, steps = self.escalator.escalate(case, by_case[case.id], now)
                    decisions.extend(decided)
                    batch_steps.extend(steps)
                uow.cases.record_escalations(decisions)
                uow.commit()
            return cases[-1].id, batch_steps, in_future

        while True:
            done = self.retrying(escalate_batch, what="sweep")
            if done is None:
                return taken
            after, batch_steps, in_future = done
            if skipped is not None:
                skipped.extend(in_future)
            taken.extend(batch_steps)
            for step in batch_steps:
                log.info("escalated", **step.to_json())

    def dispatcher(self, notifier: Notifier) -> Dispatcher:
        return Dispatcher(self.uow, notifier, self.clock, self.settings)

    def retry_message(self, message_id: str, *, actor: Actor) -> OutboxMessage:
        """Put a parked (failed) message back in the queue, as ``actor``: an operations role (IT admin,
        principal, deputy or owner) whose read scope holds the message's case; a message outside it is
        as absent as one that does not exist. The requeue is logged as a read of the case's outbox."""
        if actor.role not in RETRY_ROLES:
            msg = (
                f"Role '{actor.role}' cannot queue messages again; ask an IT admin, the principal, a "
                "deputy or the owner."
            )
            raise NotPermitted(msg)
        scope = self.scope(actor)
        with self.uow(write=True) as uow:
            try:
                message = uow.outbox.retry(message_id, self.clock.now(), scope=scope)
            except KeyError:
                msg = f"No outbox message has the id '{message_id}'; list them with 'aktivitetsplikt outbox'."
                raise MessageNotFound(msg) from None
            uow.access.append(self.records(actor, {message.case_id: str(message.payload.get("school", ""))}, "outbox"))
            uow.commit()
            return message

    # --- workflows ----------------------------------------------------------------------------------

    def workflows(self) -> list[WorkflowSpec]:
        return self.registry.workflows()

    def schema(self, workflow: str, version: str | None = None) -> dict[str, Any]:
        """JSON Schema of every trigger's documentation in a workflow version; by default the version new
        cases start on."""
        return self.registry.json_schema(workflow, version or self.decider.policy.versions.get(workflow))
