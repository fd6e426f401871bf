"""The escalation ladder (spec section 5), decided purely: which steps are due, who hears, what is logged.

For every overdue duty the ladder is walked one level at a time, each level exactly once:

====== ======================================== =====================================================
level  when                                     to
====== ======================================== =====================================================
0      ``remind_before`` before ``due_at``      the responsible (a reminder)
1      at ``due_at``                            the responsible and the head of the unit (role
                                                ``principal``; the owner too when the head is the
                                                responsible)
2      ``school_owner_after`` after ``due_at``  the owner (role ``school_owner``); the duty is *stuck*
                                                from then on
====== ======================================== =====================================================

Every time is counted on the calendar of the case's unit (``Policy.calendar_of``): a school's school days,
a kindergarten's working days.

Every step is an ``escalated`` event in the case log, by the ``system`` actor, with its messages. After
downtime the levels that fell due are all taken, once each; a reminder whose deadline has already passed
is skipped (it would only arrive after the escalation that replaces it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.core.decide import notice_payload, route
from aktivitetsplikt.engine.core.directory import Directory
from aktivitetsplikt.engine.core.model import Case, Decision, Event, MessageKind, Obligation, OutboxMessage
from aktivitetsplikt.engine.core.policy import Policy
from aktivitetsplikt.engine.core.projection import ESCALATED, effects_of
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.core.spec import WorkflowSpec

TRIGGER = ESCALATED
SYSTEM_ACTOR = "aktivitetsplikt"
LAST_LEVEL = 2


@dataclass(frozen=True)
class QueuedStep:
    """One ladder step taken by a sweep, for reports and the CLI."""

    case_id: str
    case_number: str
    obligation: str
    level: int
    recipients: tuple[str, ...]
    messages: int

    def to_json(self) -> dict[str, object]:
        return {
            "case_id": self.case_id,
            "case_number": self.case_number,
            "obligation": self.obligation,
            "level": self.level,
            "recipients": list(self.recipients),
            "messages": self.messages,
        }


def recipients(spec: WorkflowSpec, case: Case, duty: Obligation, level: int) -> tuple[str, ...]:
    """The roles that hear of a step; never a head the workflow takes out of the case (see ``route``)."""
    responsible = duty.responsible_role
    principal = route(spec, case, "principal")
    if level == 0:
        roles = [responsible]
    elif level == 1:
        roles = [responsible, principal]
        if responsible == principal:
            roles.append("school_owner")
    else:
        roles = ["school_owner"]
    return tuple(dict.fromkeys(route(spec, case, r) for r in roles))


class Escalator:
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
        """The default calendar; a case's steps are timed on its unit's (``policy.calendar_of``)."""
        self.new_id = new_id

    def next_at(self, duty: Obligation, level: int, calendar: SchoolCalendar | None = None) -> datetime | None:
        """When the step after ``level`` falls due (None after the last), on ``calendar`` (the case's
        unit's; the default calendar when not given)."""
        calendar = calendar or self.calendar
        if level == 0:
            return duty.due_at
        if level == 1:
            # A deadline in open days ends at 00:00; count from the deadline's own day, so "1sd after"
            # is the end of the next open day, not the one after it.
            base = duty.due_at
            if calendar.local(base).time() == time(0):
                base -= timedelta(microseconds=1)
            return calendar.add(base, self.policy.school_owner_after)
        return None

    def escalate(self, case: Case, duties: list[Obligation], now: datetime) -> tuple[list[Decision], list[QueuedStep]]:
        """Take every step that is due for these open duties of one case, in order."""
        spec = self.registry.spec(case.workflow, case.workflow_version)
        calendar = self.policy.calendar_of(case.school)
        decisions: list[Decision] = []
        steps: list[QueuedStep] = []
        for duty in sorted(duties, key=lambda d: (d.next_escalation_at or now, d.id)):
            current = duty
            while current.open and current.next_escalation_at is not None and current.next_escalation_at <= now:
                level = 0 if current.escalation_level is None else current.escalation_level + 1
                if level == 0 and current.due_at <= now:
                    # The deadline has passed: go straight to level 1, which this loop takes next.
                    current = replace(current, escalation_level=0, next_escalation_at=current.due_at)
                    continue
                later = self.next_at(current, level, calendar)
                current = replace(current, escalation_level=level, next_escalation_at=later)
                decision, step = self._step(spec, case, current, level, now)
                decisions.append(decision)
                steps.append(step)
                case = decision.case
        return decisions, steps

    def _step(
        self, spec: WorkflowSpec, case: Case, duty: Obligation, level: int, now: datetime
    ) -> tuple[Decision, QueuedStep]:
        roles = recipients(spec, case, duty, level)
        kind: MessageKind = "reminder" if level == 0 else "escalation"
        seq = case.last_seq + 1
        document = {
            "obligation": duty.kind,
            "obligation_id": duty.id,
            "level": level,
            "kind": kind,
            "due_at": duty.due_at.isoformat(),
            "recipients": list(roles),
        }
        updated = replace(case, version=case.version + 1, last_seq=seq, events=None)
        payload = notice_payload(spec, updated, TRIGGER, [duty], self.policy.unit(case.school).name)
        payload.pop("trigger", None)
        payload.pop("trigger_label", None)
        payload |= {"level": level, "overdue": duty.due_at <= now, "recipients": list(roles)}
        addressed: dict[str, str] = {}
        for role in roles:
            for address in self.directory.addresses(updated, role):
                addressed.setdefault(address, role)
        messages = [
            OutboxMessage(
                id=self.new_id(),
                case_id=case.id,
                kind=kind,
                recipient_role=role,
                address=address,
                payload=payload,
                created_at=now,
                obligation=duty.kind,
                obligation_id=duty.id,
                level=level,
                next_attempt_at=now,
            )
            for address, role in addressed.items()
        ]
        event = Event.chained(
            case.head_hash,
            case_id=case.id,
            seq=seq,
            at=now,
            occurred_at=now,
            actor_id=SYSTEM_ACTOR,
            actor_role="system",
            trigger=TRIGGER,
            from_state=case.state,
            to_state=case.state,
            document=document,
            effects=effects_of(case, updated, escalated=[duty], messages=messages),
        )
        updated.head_hash = event.hash
        decision = Decision(case=updated, event=event, messages=messages, escalated=[duty])
        step = QueuedStep(case.id, case.number, duty.kind, level, roles, len(messages))
        return decision, step
