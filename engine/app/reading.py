"""The reads of the :class:`~aktivitetsplikt.engine.app.service.Engine`: cases, lists, the outbox, the log.

Every read of case content takes the actor: there is no trusted default (a read without ``actor=`` is a
TypeError). It returns only what the actor may see (the scope is one WHERE clause the storage applies)
and appends who, when, what and through which face to the access log in the read's own transaction, so
no read returns without its record. On SQLite that makes a read a short write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aktivitetsplikt.engine.app.ports import CaseQuery, Clock, UnitOfWorkFactory
from aktivitetsplikt.engine.core.access import AccessRecord, CaseReads, Face, ReadKind, ReadScope
from aktivitetsplikt.engine.core.decide import Decider
from aktivitetsplikt.engine.core.model import Actor, Case, OutboxMessage
from aktivitetsplikt.engine.core.numbering import numbering_findings
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.engine.core.verdict import CaseVerdict, check_case
from aktivitetsplikt.engine.errors import WorkflowNotFound


class Reading:
    """What the Engine reads, scoped to and logged for the actor who reads."""

    uow: UnitOfWorkFactory
    clock: Clock
    decider: Decider
    registry: WorkflowRegistry
    face: Face

    def scope(self, actor: Actor) -> ReadScope:
        """The cases ``actor`` may read; raises NotPermitted for a role the actor's id does not hold."""
        return self.decider.identities.scope(actor)

    def get(self, case_id: str, *, actor: Actor, events: bool = True, read: ReadKind = "show") -> Case:
        """A case by id or number, with its duties and (by default) its whole event log, read by
        ``actor`` and logged as a read of kind ``read``. Raises CaseNotFound, or NotPermitted when the
        case is not among those the actor may read."""
        scope = self.scope(actor)
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id, with_events=events, scope=scope)
            uow.access.append(self.records(actor, [case], read))
            uow.commit()
        return case

    def list_cases(
        self,
        *,
        actor: Actor,
        school: str | None = None,
        state: str | None = None,
        school_year: str | None = None,
        overdue: bool = False,
        stuck: bool = False,
        open_only: bool = False,
        by_urgency: bool = False,
        limit: int | None = None,
    ) -> list[Case]:
        """The cases ``actor`` may read that match every filter given, each logged as a read of kind
        ``list``; ``overdue``: a duty past its deadline now; ``stuck``: a duty escalated to the school
        owner and still not met; ``by_urgency``: earliest open deadline first."""
        query = CaseQuery(
            school=school,
            state=state,
            school_year=school_year,
            overdue_at=self.clock.now() if overdue else None,
            stuck=stuck,
            open_only=open_only,
            by_urgency=by_urgency,
            limit=limit,
            scope=self.scope(actor),
        )
        with self.uow(write=True) as uow:
            found = uow.cases.list(query)
            uow.access.append(self.records(actor, found, "list"))
            uow.commit()
        return found

    def access_log(self, case_id: str, *, actor: Actor) -> CaseReads:
        """Every read of the case, oldest first, this one included; for an actor who may read the case."""
        scope = self.scope(actor)
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id, scope=scope)
            uow.access.append(self.records(actor, [case], "access_log"))
            records = uow.access.of_cases([case.id])[case.id]
            uow.commit()
        return CaseReads(case.id, case.number, case.workflow, tuple(records))

    def records(self, actor: Actor, cases: Iterable[Case] | Mapping[str, str], kind: ReadKind) -> list[AccessRecord]:
        """The access log's records of ``actor`` reading ``cases`` (or case id -> unit) now, each case once."""
        now = self.clock.now()
        units = dict(cases) if isinstance(cases, Mapping) else {case.id: case.school for case in cases}
        identities = self.decider.identities
        person = {unit: identities.person_at(unit, actor.id) for unit in set(units.values())}  # once per unit
        return [
            AccessRecord(case_id, now, actor.id, actor.role, kind, self.face, person[unit])
            for case_id, unit in units.items()
        ]

    def log_reads(self, records: Sequence[AccessRecord]) -> None:
        """Append reads in a transaction of their own (for a long read that must not hold a write lock)."""
        with self.uow(write=True) as uow:
            uow.access.append(records)
            uow.commit()

    def school_of(self, case_id: str) -> str:
        """The unit a case belongs to, and nothing else of it (not a read of its content, not logged): what
        a face needs to know which school an actor acts at."""
        with self.uow() as uow:
            return uow.cases.get(case_id).school

    def allowed_triggers(self, case_id: str | Case, actor: Actor) -> list[str]:
        """The triggers ``actor`` may fire on the case now. Like a step, this follows the workflow's roles,
        not the read scope, and reveals nothing but trigger names, so it is not logged."""
        if isinstance(case_id, Case):
            return self.decider.allowed_triggers(case_id, actor)
        with self.uow() as uow:
            case = uow.cases.get(case_id)
        return self.decider.allowed_triggers(case, actor)

    def verify(self, case_id: str, *, actor: Actor) -> CaseVerdict:
        """Check the case (a logged read): its hash chain (every event as it was recorded, none missing),
        every stored field, duty, message and party against its log replayed through its workflow, and
        the numbering of its unit's school year (no gap, no number twice)."""
        scope = self.scope(actor)
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id, with_events=True, scope=scope)
            uow.access.append(self.records(actor, [case], "verify"))
            messages = uow.reports.outbox_of([case.id])[case.id]
            parties = uow.access.parties([case.id]).get(case.id, [])
            numbered = uow.reports.numbering(case.school_year, case.school)
            uow.commit()
        return check_case(case, self.spec_or_none, messages, parties, numbering_findings(numbered))

    def spec_or_none(self, workflow: str, version: str) -> WorkflowSpec | None:
        """The spec a log names, or None when this deployment does not know it (then a replay checks no
        step against the workflow)."""
        try:
            return self.registry.spec(workflow, version)
        except WorkflowNotFound:
            return None

    def case_json(self, case: Case, actor: Actor | None = None) -> dict[str, Any]:
        """The spec section 11 shape of a case already read. ``allowed_triggers``: what ``actor`` may fire
        now, or without an actor every trigger defined from the case's state."""
        if actor is None:
            allowed = self.registry.machine(case.workflow, case.workflow_version).triggers_from(case.state)
        else:
            allowed = self.decider.allowed_triggers(case, actor)
        return case.to_json(self.clock.now(), allowed)

    def outbox(self, *, actor: Actor, status: str | None = None, limit: int | None = None) -> list[OutboxMessage]:
        """Messages of the cases ``actor`` may read, newest first; each case's messages are a logged read."""
        scope = self.scope(actor)
        with self.uow(write=True) as uow:
            messages = uow.outbox.list(status=status, limit=limit, scope=scope)
            # Messages carry their case's unit in the payload (never more of the case).
            units = {m.case_id: str(m.payload.get("school", "")) for m in messages}
            uow.access.append(self.records(actor, units, "outbox"))
            uow.commit()
        return messages
