"""Retention and erasure: the pupil ref and every free-text value of a closed case, erased for good.

What is left is a tombstone: the case's number, its dates, its steps (who, when, which, from and to
which state, the values that are not free text) and every hash, so the chain still verifies. The
erasure is itself an event of the case (``erased``), listing each event it erased with its hash. Only a
closed case with no open duty is erased: while a duty is open (a response to Statsforvaltaren, a
measure it imposed) the documentation is still owed. Two ways lead there:

- the retention policy (``retention run``), acting as the engine itself (``system``), for cases closed
  longer ago than their workflow's retention (``[retention.<workflow>] years``);
- a request (``case erase``), decided by the school or kindergarten owner, the controller, where the
  law allows it (README: "Retention and erasure").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

import structlog
from pydantic import ValidationError

from aktivitetsplikt.engine.app.reading import Reading
from aktivitetsplikt.engine.config.retention import retention_rules
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.access import AccessRecord, ReadScope
from aktivitetsplikt.engine.core.chain import ERASURE_TRIGGER, sealed_effects, verify_chain
from aktivitetsplikt.engine.core.model import Actor, Case, Decision, Event
from aktivitetsplikt.engine.core.pack import Retention
from aktivitetsplikt.engine.core.refs import text_problem
from aktivitetsplikt.engine.core.seal import (
    ERASED,
    SALT,
    erase_document,
    erase_legacy,
    free_text_paths,
    new_salt,
    string_paths,
)
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.engine.errors import (
    InvalidInput,
    NotPermitted,
    TransitionNotAllowed,
    WorkflowDefinitionError,
)

log = structlog.get_logger(__name__)

Basis = Literal["retention", "request"]
RETENTION_ACTOR = Actor(id="retention", role="system")
"""Who erases under the retention policy: the engine itself, as the sweep escalates."""
ERASER_ROLE = "school_owner"


@dataclass(frozen=True)
class Due:
    """A case past its retention: which, and under which workflow's policy."""

    case_id: str
    number: str
    workflow: str


def years_before(instant: datetime, years: int) -> datetime:
    """The same instant ``years`` earlier (29 February becomes the 28th)."""
    year = instant.year - years
    day = min(instant.day, calendar.monthrange(year, instant.month)[1])
    return instant.replace(year=year, day=day)


class Erasing(Reading):
    """What the Engine erases: cases past their retention, and cases on request (the owner reads first)."""

    settings: Settings

    def refuse_erased(self, case: Case, trigger: str) -> None:
        """An erased case takes no more steps (a new incident is a new report, a new case)."""
        if case.pupil == ERASED:
            msg = f"case {case.number} is erased; report what happened as a new case."
            raise TransitionNotAllowed(trigger, case.state, [], msg)

    def retention(self) -> dict[str, Retention]:
        """Each workflow's retention: its pack's default with ``[retention.<workflow>]`` over it."""
        return retention_rules(self.settings.retention, self.registry.packs())

    def due_for_erasure(self) -> list[Due]:
        """Every case past its workflow's retention now (closed that many years ago, no duty open, not
        yet erased), workflow by workflow, the earliest closed first. Names cases, reads no content."""
        now = self.clock.now()
        with self.uow() as uow:
            return [
                Due(case_id, number, workflow)
                for workflow, rule in self.retention().items()
                for case_id, number in uow.erasure.closed_before(workflow, years_before(now, rule.years))
            ]

    def archive_copy(self, case_id: str) -> Case:
        """The whole case, read for the archive by the retention policy (a logged read, kind ``export``)."""
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id, with_events=True)
            record = AccessRecord(case.id, self.clock.now(), RETENTION_ACTOR.id, "system", "export", self.face, None)
            uow.access.append([record])
            uow.commit()
        return case

    def erase(self, case_id: str, *, actor: Actor, reason: str) -> Case:
        """Erase a closed case on request: its pupil ref and every free-text value, leaving the tombstone.
        Only the owner of the case's unit decides it (NotPermitted for anyone else); ``reason`` says why
        the law allows it here (it is kept, sealed, in the erasure event)."""
        if actor.role != ERASER_ROLE:
            msg = (
                "Only the school or kindergarten owner erases a case on request (the controller decides); "
                f"act as {ERASER_ROLE}."
            )
            raise NotPermitted(msg)
        problem = text_problem(reason) if reason.strip() else "is empty"
        if problem is not None:
            msg = f"The reason {problem}; say why the law allows erasing this case."
            raise InvalidInput(msg)
        return self._erase(case_id, actor, "request", reason.strip(), self.scope(actor))

    def erase_expired(self, case_id: str, archived: str | None = None) -> Case:
        """Erase a case past its retention (the retention policy's own step); ``archived``: where its
        dossier went, recorded in the erasure event."""
        return self._erase(case_id, RETENTION_ACTOR, "retention", None, None, archived)

    def _erase(
        self,
        case_id: str,
        actor: Actor,
        basis: Basis,
        reason: str | None,
        scope: ReadScope | None,
        archived: str | None = None,
    ) -> Case:
        now = self.clock.now()
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id, with_events=True, scope=scope)
            spec = self.registry.spec(case.workflow, case.workflow_version)
            self._check(case, spec)
            erased = [e for e in (self._erased(spec, event) for event in case.events or []) if e is not None]
            erased = _without_pupil(case.id, case.events or [], erased)
            document: dict[str, Any] = {
                "basis": basis,
                "number": case.number,
                "opened_at": case.opened_at.isoformat(),
                "closed_at": case.closed_at.isoformat() if case.closed_at else None,
                "events": [{"seq": e.seq, "hash": e.hash} for e in erased],
            }
            if reason is not None:
                document["reason"] = reason
            if archived is not None:
                document["archived"] = archived
            event = Event.chained(
                case.head_hash,
                case_id=case.id,
                seq=case.last_seq + 1,
                at=now,
                occurred_at=now,
                actor_id=actor.id,
                actor_role=actor.role,
                trigger=ERASURE_TRIGGER,
                from_state=case.state,
                to_state=case.state,
                document=document,
                seal={"reason": SALT + new_salt()} if reason is not None else None,
            )
            updated = replace(
                case, pupil=ERASED, version=case.version + 1, last_seq=event.seq, head_hash=event.hash, events=None
            )
            uow.erasure.store(Decision(case=updated, event=event), case.version, erased)
            uow.commit()
        log.info("case_erased", case_id=case.id, case_number=case.number, basis=basis, events=len(erased))
        return updated

    def _check(self, case: Case, spec: WorkflowSpec) -> None:
        def refuse(reason: str) -> TransitionNotAllowed:
            return TransitionNotAllowed(ERASURE_TRIGGER, case.state, [], reason)

        if not spec.state(case.state).final:
            msg = f"case {case.number} is not closed; its documentation is owed while it runs."
            raise refuse(msg)
        if case.open_obligations():
            kinds = ", ".join(sorted({o.kind for o in case.open_obligations()}))
            msg = f"case {case.number} still has open duties ({kinds}); their documentation is owed."
            raise refuse(msg)
        if case.pupil == ERASED:
            msg = f"case {case.number} is already erased."
            raise refuse(msg)
        verdict = verify_chain(case.id, case.events or [], case.head_hash)
        if not verdict.intact:
            msg = (
                f"the log of case {case.number} is broken at event {verdict.broken_at}; erasing it would hide "
                "that. Run 'aktivitetsplikt case verify' and keep the case for investigation."
            )
            raise refuse(msg)

    def _erased(self, spec: WorkflowSpec, event: Event) -> Event | None:
        """The event with its free text erased, or None when it holds none (or none is left)."""
        if event.seal is not None:
            if not any(mark.startswith(SALT) for mark in event.seal.values()):
                return None
            document, seal = erase_document(event.document, event.seal)
            return replace(event, document=document, seal=seal)
        paths = self._legacy_paths(spec, event)
        if not paths:
            return None
        document, seal = erase_legacy(event.document, paths)
        return replace(event, document=document, seal=seal)

    def _legacy_paths(self, spec: WorkflowSpec, event: Event) -> list[str]:
        """The free-text paths of an event recorded before seals, read through its documentation model."""
        try:
            model = self.registry.document_model(spec, event.trigger)
        except WorkflowDefinitionError:
            return []  # an engine event (an escalation): identifiers only
        try:
            return free_text_paths(model.model_validate(event.document))
        except ValidationError:
            return string_paths(event.document)  # a document its model no longer reads: every text goes


__all__ = ["RETENTION_ACTOR", "Due", "Erasing", "years_before"]


def _without_pupil(case_id: str, events: list[Event], erased: list[Event]) -> list[Event]:
    """``erased`` with the first event's recorded identity holding the pupil ref only by the hash the
    chain already covers it by (``sealed_effects``), so the ref is gone from the log and the chain holds."""
    first = next((e for e in erased if e.seq == events[0].seq), events[0]) if events else None
    identity = first.effects.get("case") if first is not None and first.effects else None
    if first is None or not isinstance(identity, dict) or not isinstance(identity.get("pupil"), str):
        return erased
    assert first.effects is not None
    tombstone = replace(first, effects=sealed_effects(case_id, first.effects))
    return [tombstone] + [e for e in erased if e.seq != first.seq]
