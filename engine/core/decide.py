"""The pure core: given a case, a trigger, documentation, an actor and the time, decide what happens.

Nothing here reads the clock or touches storage. A refusal raises before anything is built, so a refused
trigger can never leave a half-written event: the caller stores a :class:`Decision` whole or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from aktivitetsplikt.engine.core.access import StepParties
from aktivitetsplikt.engine.core.accused import Accused
from aktivitetsplikt.engine.core.chain import GENESIS
from aktivitetsplikt.engine.core.directory import Directory
from aktivitetsplikt.engine.core.documents import Document, ValidationContext, lookup, validate_document
from aktivitetsplikt.engine.core.identity import Identities
from aktivitetsplikt.engine.core.items import identify, items_of, keyed, met
from aktivitetsplikt.engine.core.model import Actor, Case, Decision, Event, Obligation, OutboxMessage
from aktivitetsplikt.engine.core.permissions import CaseAccess, authorize, requirements_met
from aktivitetsplikt.engine.core.policy import Policy, Unit
from aktivitetsplikt.engine.core.projection import effects_of
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.core.rules import CYCLE_ATTRIBUTE, RuleContext
from aktivitetsplikt.engine.core.seal import seal_document
from aktivitetsplikt.engine.core.spec import NEW_STATE, Outcome, TransitionSpec, WorkflowSpec
from aktivitetsplikt.engine.errors import (
    ConfigError,
    DocumentationMissing,
    FieldProblem,
    NotPermitted,
    TransitionNotAllowed,
    WorkflowDefinitionError,
)

CASE_FIELDS = ("serious", "responsible")


def school_year_of(instant: datetime, calendar_tz: Any) -> str:
    """The school year an instant falls in; a school year starts on 1 August (Oslo time)."""
    local = instant.astimezone(calendar_tz)
    start = local.year if local.month >= 8 else local.year - 1
    return f"{start}-{start + 1}"


def principal_replaced(spec: WorkflowSpec, attributes: dict[str, Any]) -> bool:
    return spec.principal_replaced_when is not None and attributes.get(spec.principal_replaced_when) is True


def route(spec: WorkflowSpec, case: Case, role: str) -> str:
    """The role that really receives what is meant for ``role``: never a head of the unit the workflow
    takes out of the case (``principal_replaced_when``, e.g. when the leadership is accused)."""
    if role == "principal" and principal_replaced(spec, case.attributes):
        return "school_owner"
    return role


class Decider:
    """Applies the workflow definitions to cases."""

    def __init__(
        self,
        registry: WorkflowRegistry,
        policy: Policy,
        directory: Directory,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.registry = registry
        self.policy = policy
        self.directory = directory
        self.calendar = policy.calendar
        """The default calendar; a case's deadlines are counted on its unit's (``policy.calendar_of``)."""
        self.new_id = new_id
        self.identities = Identities(policy, directory, registry.hiding_attributes)

    # --- who may do what -------------------------------------------------------------------------

    def access(self, case: Case, spec: WorkflowSpec, actor: Actor) -> CaseAccess:
        school = self.policy.unit(case.school)
        words = self.registry.words(spec.id)
        return CaseAccess(
            school=case.school,
            school_owner=school.school_owner,
            responsible=case.responsible,
            principal_replaced=principal_replaced(spec, case.attributes),
            number=case.number or None,
            section=words.section if words is not None else spec.id,
            appoints=spec.setting("responsible"),
            configured=self.identities.configured(case.school, actor.id),
            not_configured=self.identities.not_configured(actor, case.school),
        )

    def _people(self, spec: WorkflowSpec, case: Case) -> Accused | None:
        """Who is who at the case's unit, when the workflow keeps an accused out of its cases."""
        if spec.accused_attribute is None:
            return None
        return Accused(spec, self.directory, self.policy.unit(case.school))

    def allowed_triggers(self, case: Case, actor: Actor) -> list[str]:
        """Triggers the actor may fire on the case in its current state (documentation aside)."""
        spec = self.registry.spec(case.workflow, case.workflow_version)
        people = self._people(spec, case)
        if people is not None and people.is_accused(case, actor):
            return []
        try:
            met = requirements_met(actor, self.access(case, spec, actor))
        except (NotPermitted, ConfigError):  # an actor who may not touch the case may fire nothing
            return []
        machine = self.registry.machine(spec.id, spec.version)
        transitions = (spec.transition(trigger) for trigger in machine.triggers_from(case.state))
        return [t.trigger for t in transitions if t is not None and met.intersection(t.roles)]

    # --- deciding ----------------------------------------------------------------------------------

    def open_case(
        self,
        workflow: str,
        school: str,
        pupil: str,
        document: object,
        actor: Actor,
        now: datetime,
        sequence: int,
    ) -> Decision:
        """Decide a new case (the workflow's creating trigger, ``report``) on the version new cases start on."""
        spec = self.registry.spec(workflow, self.policy.versions.get(workflow))
        unit = self.policy.unit(school)
        self._check_institution(spec, unit)
        year = school_year_of(now, self.policy.calendar_of(school).tz)
        pupil = pupil.strip()
        if not pupil:
            problem = FieldProblem("pupil", "is empty; give the pupil's reference from your system (never a name)")
            raise DocumentationMissing(spec.creating_transition.trigger, [problem])
        blank = Case(
            id=self.new_id(),
            number=f"{unit.code}-{year[:4]}-{sequence:04d}",
            workflow=spec.id,
            workflow_version=spec.version,
            school=school,
            pupil=pupil,
            state=NEW_STATE,
            version=0,
            serious=False,
            responsible=None,
            opened_at=now,
            closed_at=None,
            school_year=year,
            occurred_at=now,
            last_seq=0,
            head_hash=GENESIS,
            attributes={"reporter": actor.id},
        )
        return self._decide(spec, blank, spec.creating_transition, document, actor, now)

    def _check_institution(self, spec: WorkflowSpec, unit: Unit) -> None:
        """A pack serves one kind of unit; a workflow registered without a pack serves any."""
        try:
            serves = self.registry.pack(spec.id).institution
        except WorkflowDefinitionError:
            return
        if serves == unit.kind:
            return
        fitting = ", ".join(p.id for p in self.registry.packs() if p.institution == unit.kind) or "none is registered"
        problem = (
            f"'{unit.id}' is a {unit.kind}, but {spec.id} is a workflow for {serves}s; "
            f"report it at a {serves}, or use a workflow for {unit.kind}s ({fitting})"
        )
        raise DocumentationMissing(spec.creating_transition.trigger, [FieldProblem("school", problem)])

    def needs_log(self, case: Case, trigger: str) -> bool:
        """Whether firing ``trigger`` on the case needs its events (a rule of the step reads the log)."""
        return self.registry.needs_log(self.registry.spec(case.workflow, case.workflow_version), trigger)

    def fire(self, case: Case, trigger: str, document: object, actor: Actor, now: datetime) -> Decision:
        """Decide a step; ``case.events`` must be loaded when :meth:`needs_log` says so."""
        spec = self.registry.spec(case.workflow, case.workflow_version)
        transition = spec.transition(trigger)
        if transition is None or transition.creates_case:
            raise TransitionNotAllowed(trigger, case.state, self.allowed_triggers(case, actor))
        return self._decide(spec, case, transition, document, actor, now)

    def _decide(
        self,
        spec: WorkflowSpec,
        case: Case,
        transition: TransitionSpec,
        raw: object,
        actor: Actor,
        now: datetime,
    ) -> Decision:
        authorize(actor, transition, self.access(case, spec, actor))
        people = self._people(spec, case)
        if people is not None:
            people.check_actor(case, actor)
        if case.state not in spec.source_states(transition):
            raise TransitionNotAllowed(transition.trigger, case.state, self.allowed_triggers(case, actor))
        calendar = self.policy.calendar_of(case.school)
        context = ValidationContext(
            now=now,
            timezone=calendar.tz,
            case_occurred_at=None if transition.creates_case else case.occurred_at,
        )
        model = self.registry.document_model(spec, transition.trigger)
        document = validate_document(model, transition.trigger, raw, context)
        ran = self.registry.machine(spec.id, spec.version).run(
            case.state, transition.trigger, document, case.attributes
        )
        if ran is None:
            msg = f"No outcome of '{transition.trigger}' in {spec.id} matches this documentation."
            raise WorkflowDefinitionError(msg)
        dest, outcome = ran
        if people is not None:
            people.check_fields(case, transition, outcome, document)
        rule_context = RuleContext(
            spec=spec,
            trigger=transition.trigger,
            case=case,
            document=document,
            outcome=outcome,
            dest=dest,
            now=now,
            calendar=calendar,
            deadline=lambda name: self.policy.deadline(spec.id, name),
            events=case.events,
        )
        for rule in transition.rules:
            self.registry.rule(spec, rule)(rule_context)
        if transition.identify:  # after the rules, which see which items came without an id
            document = identify(transition, document, case.last_seq + 1)
        return self._apply(spec, case, transition, outcome, dest, document, actor, now)

    # --- effects -----------------------------------------------------------------------------------

    def _apply(
        self,
        spec: WorkflowSpec,
        case: Case,
        transition: TransitionSpec,
        outcome: Outcome,
        dest: str,
        document: Document,
        actor: Actor,
        now: datetime,
    ) -> Decision:
        stored = document.model_dump(mode="json")
        occurred = lookup(document, transition.occurred_field) if transition.occurred_field else None
        occurred_at: datetime = occurred or now
        seq = case.last_seq + 1
        updated = self._project(spec, case, transition, outcome, dest, document, now, occurred_at)
        satisfied = self._satisfy(case, outcome, occurred_at, now, seq)
        satisfied += met(keyed(transition.trigger, case, outcome, document), occurred_at, seq)
        created = self._create(spec, updated, outcome, document, occurred_at, seq)
        done = {o.id for o in satisfied}
        updated.obligations = [o for o in case.obligations if o.id not in done] + satisfied + created
        messages = self._notices(spec, updated, transition, outcome, created, now)
        step = StepParties(
            actor, case, updated, stored, transition.trigger, transition.creates_case or transition.reopens
        )
        parties = step.parties(self.registry.access(spec.id), lambda ref: self.directory.person(case.school, ref))
        before = None if transition.creates_case else case
        effects = effects_of(before, updated, created=created, satisfied=satisfied, messages=messages, parties=parties)
        event = Event.chained(
            case.head_hash,
            case_id=case.id,
            seq=seq,
            at=now,
            occurred_at=occurred_at,
            actor_id=actor.id,
            actor_role=actor.role,
            trigger=transition.trigger,
            from_state=None if transition.creates_case else case.state,
            to_state=dest,
            document=stored,
            seal=seal_document(document),
            effects=effects,
        )
        updated.head_hash = event.hash
        return Decision(
            case=updated, event=event, created=created, satisfied=satisfied, messages=messages, parties=parties
        )

    def _project(
        self,
        spec: WorkflowSpec,
        case: Case,
        transition: TransitionSpec,
        outcome: Outcome,
        dest: str,
        document: Document,
        now: datetime,
        occurred_at: datetime,
    ) -> Case:
        attributes = dict(case.attributes)
        people = self._people(spec, case)
        if transition.creates_case or transition.reopens:
            attributes[CYCLE_ATTRIBUTE] = case.last_seq + 1  # a new cycle: duties "unless one exists" start over
        changes: dict[str, Any] = {}
        for name, path in outcome.set_case.items():
            value = lookup(document, path)
            if name in CASE_FIELDS:
                changes[name] = value
            else:
                attributes[name] = value
        if people is not None:
            people.route_by_identity(attributes)
        final = spec.state(dest).final
        closed_at = (case.closed_at or now) if final else None
        return replace(
            case,
            state=dest,
            version=case.version + 1,
            last_seq=case.last_seq + 1,
            attributes=attributes,
            closed_at=closed_at,
            occurred_at=occurred_at if transition.creates_case else case.occurred_at,
            events=None,
            **changes,
        )

    def _satisfy(
        self, case: Case, outcome: Outcome, occurred_at: datetime, now: datetime, seq: int
    ) -> list[Obligation]:
        done: list[Obligation] = []
        for obligation in case.open_obligations():
            if obligation.kind in outcome.satisfy:
                at = occurred_at
            elif obligation.kind in outcome.supersede:
                at = now
            elif outcome.satisfy_all_open_except is not None and obligation.kind not in outcome.satisfy_all_open_except:
                at = occurred_at
            else:
                continue
            done.append(replace(obligation, satisfied_at=at, satisfied_by_seq=seq, next_escalation_at=None))
        return done

    def _create(
        self,
        spec: WorkflowSpec,
        case: Case,
        outcome: Outcome,
        document: Document,
        occurred_at: datetime,
        seq: int,
    ) -> list[Obligation]:
        calendar = self.policy.calendar_of(case.school)
        created: list[Obligation] = []
        for rule in outcome.create:
            if rule.for_each is not None:
                kind = spec.obligation(rule.kind)
                role = route(spec, case, kind.responsible_role)
                created += [self._duty(case, rule.kind, due, role, seq, key) for key, due in items_of(rule, document)]
                continue
            if rule.unless_exists == "cycle":
                since = case.attributes.get(CYCLE_ATTRIBUTE, 0)
                if any(o.kind == rule.kind and o.created_seq >= since for o in case.obligations):
                    continue
            elif rule.unless_exists and case.has_obligation(rule.kind):
                continue
            kind = spec.obligation(rule.kind)
            base = occurred_at if rule.counted_from == "event" else lookup(document, rule.counted_from)
            if kind.deadline == "configured":
                due = calendar.add(base, self.policy.deadline(spec.id, rule.kind))
            else:
                due = base
            created.append(self._duty(case, rule.kind, due, route(spec, case, kind.responsible_role), seq))
        return created

    def _duty(self, case: Case, kind: str, due: datetime, role: str, seq: int, key: str | None = None) -> Obligation:
        return Obligation(
            id=self.new_id(),
            case_id=case.id,
            kind=kind,
            due_at=due,
            responsible_role=role,
            created_seq=seq,
            escalation_level=None,
            next_escalation_at=self.policy.calendar_of(case.school).subtract(due, self.policy.remind_before),
            key=key,
        )

    def _notices(
        self,
        spec: WorkflowSpec,
        case: Case,
        transition: TransitionSpec,
        outcome: Outcome,
        created: list[Obligation],
        now: datetime,
    ) -> list[OutboxMessage]:
        messages: list[OutboxMessage] = []
        for notify in outcome.notify:
            role = route(spec, case, notify.recipient)
            payload = notice_payload(spec, case, transition.trigger, created, self.policy.unit(case.school).name)
            for address in dict.fromkeys(self.directory.addresses(case, role)):
                messages.append(
                    OutboxMessage(
                        id=self.new_id(),
                        case_id=case.id,
                        kind="notice",
                        recipient_role=role,
                        address=address,
                        payload=payload,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
        return messages


def notice_payload(
    spec: WorkflowSpec, case: Case, trigger: str, duties: list[Obligation], school_name: str
) -> dict[str, Any]:
    """What a message may say: identifiers, stages and deadlines. Never the pupil or free text."""
    state = spec.state(case.state)
    transition = spec.transition(trigger)
    return {
        "case_id": case.id,
        "case_number": case.number,
        "school": case.school,
        "school_name": school_name,
        "workflow": spec.id,
        "workflow_label": spec.label,
        "state": state.id,
        "state_label": state.label,
        "trigger": trigger,
        "trigger_label": transition.label if transition else trigger,
        "duties": [
            {"kind": d.kind, "label": spec.obligation(d.kind).label, "due_at": d.due_at.isoformat()} for d in duties
        ],
    }
