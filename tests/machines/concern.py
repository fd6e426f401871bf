"""``bekymring``: a small workflow with no id, field or word of opplæringslova chapter 12.

A concern is raised, acknowledged by the head of the unit within 2 school days, followed up by whoever
was put in charge within 3 calendar days, and resolved when the person concerned has been asked. The
follow-up recurs until the concern is resolved.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import StrictBool

from aktivitetsplikt.engine.core.audit_profile import (
    AuditProfile,
    ClosingStep,
    RecurringDuty,
    RequiredStep,
    VoiceField,
)
from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.documents import CaseInstant, Document, Instant, PastInstant, StaffRef, Text, lookup
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection
from aktivitetsplikt.engine.core.pack import Labels, WorkflowPack
from aktivitetsplikt.engine.core.rules import RuleContext, field_problem
from aktivitetsplikt.engine.core.spec import (
    CreateObligation,
    Notify,
    ObligationKind,
    Outcome,
    StateSpec,
    TransitionSpec,
    WorkflowSpec,
)


class Raise(Document):
    noticed_at: CaseInstant
    what: Text


class Acknowledge(Document):
    at: CaseInstant
    lead: StaffRef


class Asked(Document):
    at: PastInstant
    answer: Text
    content: StrictBool


class FollowUp(Document):
    held_at: CaseInstant
    asked: Asked
    next_at: Instant


class Resolve(Document):
    asked: Asked
    summary: Text


def content_to_resolve(ctx: RuleContext) -> None:
    """A concern is resolved only when the person concerned says they are content."""
    if lookup(ctx.document, "asked.content") is not True:
        raise field_problem(ctx, "asked.content", "must be true to resolve; follow up again")


def next_at_ahead(ctx: RuleContext) -> None:
    """The next follow-up lies ahead, within the configured interval of this one."""
    value = lookup(ctx.document, "next_at")
    if isinstance(value, datetime) and value > ctx.calendar.add(ctx.now, ctx.deadline("longest_gap")):
        raise field_problem(ctx, "next_at", f"is later than {ctx.deadline('longest_gap')} from now")


SPEC = WorkflowSpec(
    id="bekymring",
    version="2030-01",
    label="Bekymring",
    legal_basis="intern rutine 1",
    states=(
        StateSpec(id="raised", label="Meldt", obligation="acknowledge"),
        StateSpec(id="followed", label="Følges opp", obligation="follow_up"),
        StateSpec(id="resolved", label="Løst", final=True),
    ),
    obligations=(
        ObligationKind(kind="acknowledge", label="Kvittere", responsible_role="principal", deadline="configured"),
        ObligationKind(kind="follow_up", label="Følge opp", responsible_role="responsible", deadline="document"),
    ),
    case_occurred_field="noticed_at",
    transitions=(
        TransitionSpec(
            trigger="raise_concern",
            label="Melde bekymring",
            sources=(),
            document="Raise",
            roles=("staff+",),
            creates_case=True,
            occurred_field="noticed_at",
            outcomes=(
                Outcome(dest="raised", create=(CreateObligation(kind="acknowledge", counted_from="noticed_at"),)),
            ),
        ),
        TransitionSpec(
            trigger="acknowledge",
            label="Kvittere",
            sources=("raised",),
            document="Acknowledge",
            roles=("principal",),
            occurred_field="at",
            outcomes=(
                Outcome(
                    dest="followed",
                    satisfy=("acknowledge",),
                    set_case={"responsible": "lead"},
                    notify=(Notify(recipient="reporter"),),
                ),
            ),
        ),
        TransitionSpec(
            trigger="follow_up",
            label="Følge opp",
            sources=("followed",),
            document="FollowUp",
            roles=("principal", "case_handler"),
            occurred_field="held_at",
            rules=("next_at_ahead",),
            outcomes=(
                Outcome(satisfy=("follow_up",), create=(CreateObligation(kind="follow_up", counted_from="next_at"),)),
            ),
        ),
        TransitionSpec(
            trigger="resolve",
            label="Løse",
            sources=("followed",),
            document="Resolve",
            roles=("principal",),
            rules=("content_to_resolve",),
            outcomes=(Outcome(dest="resolved", satisfy_all_open_except=()),),
        ),
    ),
)


def _labels(unit: str, day: tuple[str, str]) -> Labels:
    return Labels(
        workflow="Bekymring",
        legal_basis="intern rutine 1",
        section="rutine 1",
        states={"raised": "Meldt", "followed": "Følges opp", "resolved": "Løst"},
        steps={
            "raise_concern": "Melde bekymring",
            "acknowledge": "Kvittere",
            "follow_up": "Følge opp",
            "resolve": "Løse",
        },
        duties={"acknowledge": "Kvittere", "follow_up": "Følge opp"},
        roles={
            "staff": "medarbeider",
            "case_handler": "oppfølger",
            "principal": "leder",
            "deputy": "nestleder",
            "school_owner": "eier",
            "system": "systemet",
            "reporter": "melder",
            "responsible": "oppfølger",
        },
        unit=unit,
        pupil="den det gjelder",
        day=day,
    )


CONCERN_PACK = WorkflowPack(
    id="bekymring",
    institution="school",
    versions=(SPEC,),
    documents={m.__name__: m for m in (Raise, Acknowledge, FollowUp, Resolve)},
    labels={"nb": _labels("enhet", ("dag", "dager")), "nn": _labels("eining", ("dag", "dagar"))},
    deadlines={"acknowledge": Duration(2, "sd"), "longest_gap": Duration(3, "w")},
    audit=AuditProfile(
        essential={"raise_concern": ("noticed_at", "what"), "acknowledge": ("lead",), "resolve": ("summary",)},
        required_steps=(RequiredStep(trigger="acknowledge", when_reached=("followed", "resolved")),),
        closing_steps=(ClosingStep(trigger="resolve"),),
        voice=(
            VoiceField(trigger="follow_up", field="asked", subfield="answer"),
            VoiceField(trigger="resolve", field="asked", subfield="answer"),
        ),
        recurring=(RecurringDuty(duty="follow_up", trigger="follow_up"),),
    ),
    dossier=DossierLayout(
        sections=(
            DossierSection(key="raised", triggers=("raise_concern",)),
            DossierSection(key="follow_ups", triggers=("follow_up",)),
            DossierSection(key="resolution", triggers=("resolve",)),
        )
    ),
    rules={"content_to_resolve": content_to_resolve, "next_at_ahead": next_at_ahead},
)
