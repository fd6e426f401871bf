"""What the checks share: a workflow's audit plan (from its spec and pack) and the review of one case.

The audit knows no law: which steps are required, which fields document a step, where the voice of the
pupil (or child) is kept and when the owner must have been told come from the pack's
:class:`~aktivitetsplikt.engine.core.audit_profile.AuditProfile`; the words in its sentences (the owner,
the pupil, the legal section, the counted day) from the pack's bokmål :class:`Labels`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aktivitetsplikt.engine.core.audit_profile import AuditProfile, VoiceField
from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.core.i18n import Language, current
from aktivitetsplikt.engine.core.model import Case, Event
from aktivitetsplikt.engine.core.pack import Labels, WorkflowPack
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.engine.reports.audit.model import Check, Finding


@dataclass(frozen=True, slots=True)
class AuditPlan:
    """What the audit needs from one workflow version and its pack, worked out once."""

    spec: WorkflowSpec
    profile: AuditProfile
    words: Labels
    finals: frozenset[str]
    creating: str
    """The trigger that creates a case: the first step of the first cycle."""
    reopening: frozenset[str]
    """Triggers that reopen a case: each one starts a new cycle."""
    opening: frozenset[str]
    """The steps whose documentation is a report: the creating one and the reopenings."""
    always_notify: bool
    """The creating step itself makes the owner's notice a duty: the owner is told of every case."""
    head_noticed: frozenset[str]
    """Reopening steps that send the head of the unit a notice of their own (the owner's, when replaced)."""
    voice: Mapping[str, VoiceField]

    def step_label(self, trigger: str) -> str:
        known = self.words.steps.get(trigger)
        if known is not None:
            return known
        transition = self.spec.transition(trigger)
        return transition.label if transition else trigger

    def duty_label(self, kind: str) -> str:
        known = self.words.duties.get(kind)
        if known is not None:
            return known
        try:
            return self.spec.obligation(kind).label
        except KeyError:
            return kind


_PLANS: dict[tuple[int, int, Language], tuple[WorkflowSpec, WorkflowPack, AuditPlan]] = {}


def plan_of(spec: WorkflowSpec, pack: WorkflowPack) -> AuditPlan:
    """The audit plan of ``spec`` with ``pack``, remembered per pair (a school year has a handful)."""
    language = current()
    key = (id(spec), id(pack), language)
    known = _PLANS.get(key)
    if known is not None and known[0] is spec and known[1] is pack:
        return known[2]
    profile = pack.audit_for(spec.version)
    notice = profile.owner_notice
    creating = spec.creating_transition
    creates = {c.kind for o in creating.outcomes for c in o.create}
    reopening = frozenset(t.trigger for t in spec.transitions if t.reopens)
    plan = AuditPlan(
        spec=spec,
        profile=profile,
        words=pack.label(language),
        finals=frozenset(s.id for s in spec.states if s.final),
        creating=creating.trigger,
        reopening=reopening,
        opening=reopening | {creating.trigger},
        always_notify=notice is not None and notice.duty in creates,
        head_noticed=frozenset(
            t.trigger
            for t in spec.transitions
            if t.reopens and any(n.recipient == "principal" for o in t.outcomes for n in o.notify)
        ),
        voice={v.trigger: v for v in reversed(profile.voice)},  # the first one named for a step wins
    )
    _PLANS[key] = (spec, pack, plan)
    return plan


def filled(value: Any) -> bool:
    """A documented value: not missing, not blank text, not an empty list or object."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value) and not value.isspace()
    if isinstance(value, list | dict):
        return bool(value)
    return True


def document(event: Event) -> Mapping[str, Any]:
    """The event's documentation as a mapping (an older log may hold anything)."""
    found: Any = event.document
    return found if isinstance(found, dict) else {}


def capital(word: str) -> str:
    """``eier`` -> ``Eier``, leaving the rest of the word as it is."""
    return word[:1].upper() + word[1:]


def possessive(word: str) -> str:
    """The bokmål genitive: ``barnet`` -> ``barnets``; a word ending in s, x or z takes an apostrophe."""
    return word + "'" if word.endswith(("s", "x", "z")) else word + "s"


@dataclass(slots=True)
class Review:
    """One case under audit: its log, its workflow's plan and calendar, and the findings so far."""

    case: Case
    plan: AuditPlan
    calendar: SchoolCalendar
    now: datetime
    events: Sequence[Event]
    findings: list[Finding] = field(default_factory=list)
    apart: str | None = None
    """The name a closing of the case is listed apart under (``ClosingStep.listed_apart``)."""

    def find(self, check: Check, code: str, label: str, **detail: Any) -> None:
        self.findings.append(Finding(check, code, label, detail))

    def missing(self, event: Event) -> list[str]:
        """The essential fields the event's documentation lacks."""
        doc = document(event)
        return [name for name in self.plan.profile.essential.get(event.trigger, ()) if not filled(doc.get(name))]

    def documented(self, event: Event) -> bool:
        """Whether the event's documentation has its essential fields; a finding when it has not."""
        missing = self.missing(event)
        if missing:
            label = f"«{self.plan.step_label(event.trigger)}» (hendelse {event.seq}) mangler {', '.join(missing)}."
            self.find("steps", "step_incomplete", label, step=event.trigger, seq=event.seq, fields=missing)
        return not missing
