"""``oppdrag``: a test-only workflow for the engine's mechanisms that rules of the law lean on.

An errand is opened and checked (a rule reads the case log: the check lies after the opening of the
current cycle), items are ordered (each gets an id and a duty of its own, due at the item's date) and
delivered one by one (the delivery meets the duty of the item it names), the owner is told once per
cycle, and the errand is finished, leaving undelivered items owed. It may be reopened. Two versions:
``2030-06`` lacks the items.
"""

from __future__ import annotations

from datetime import datetime

from aktivitetsplikt.engine.core.audit_profile import AuditProfile, RequiredStep
from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.documents import CaseInstant, Document, Instant, PastInstant, StaffRef, Text, lookup
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection
from aktivitetsplikt.engine.core.pack import Edition, Labels, WorkflowPack
from aktivitetsplikt.engine.core.rules import RuleContext, field_problem, needs_log
from aktivitetsplikt.engine.core.spec import (
    CreateObligation,
    ObligationKind,
    Outcome,
    StateSpec,
    TransitionSpec,
    WorkflowSpec,
)


class Open(Document):
    noticed_at: CaseInstant
    what: Text


class Check(Document):
    at: PastInstant


class Item(Document):
    id: StaffRef | None = None
    what: Text
    due: Instant


class Order(Document):
    items: list[Item]


class Deliver(Document):
    item: StaffRef
    at: PastInstant


class Flag(Document):
    why: Text


class Finish(Document):
    summary: Text


@needs_log
def checked_in_cycle(ctx: RuleContext) -> None:
    """The check lies at or after the opening of the current cycle (read from the log)."""
    opening = next(e for e in ctx.cycle() if e.seq == ctx.cycle_seq)
    at = lookup(ctx.document, "at")
    if isinstance(at, datetime) and at < opening.occurred_at:
        raise field_problem(ctx, "at", f"lies before the opening of this cycle (event {opening.seq})")


def reads_log_unmarked(ctx: RuleContext) -> None:
    """A rule that reads the log without saying so: the engine must not load it for this rule."""
    if ctx.log:
        return


def _step(
    trigger: str, sources: tuple[str, ...] | str, document: str, outcome: Outcome, **extra: object
) -> TransitionSpec:
    return TransitionSpec.model_validate(
        {
            "trigger": trigger,
            "label": trigger.capitalize(),
            "sources": sources,
            "document": document,
            "roles": ("principal",),
            "outcomes": (outcome,),
            **extra,
        }
    )


STATES = (
    StateSpec(id="open", label="Åpen", obligation="check"),
    StateSpec(id="done", label="Ferdig", final=True),
)
BASE_STEPS = (
    TransitionSpec(
        trigger="open_errand",
        label="Åpne",
        sources=(),
        document="Open",
        roles=("staff+",),
        creates_case=True,
        occurred_field="noticed_at",
        outcomes=(Outcome(dest="open", create=(CreateObligation(kind="check", counted_from="noticed_at"),)),),
    ),
    _step("check", ("open",), "Check", Outcome(satisfy=("check",)), rules=("checked_in_cycle",), occurred_field="at"),
    _step("flag", "open", "Flag", Outcome(create=(CreateObligation(kind="tell_owner", unless_exists="cycle"),))),
    TransitionSpec(
        trigger="reopen",
        label="Gjenåpne",
        sources=("done",),
        document="Open",
        roles=("staff+",),
        reopens=True,
        occurred_field="noticed_at",
        outcomes=(Outcome(dest="open", create=(CreateObligation(kind="check", counted_from="noticed_at"),)),),
    ),
)
ITEM_STEPS = (
    _step(
        "order",
        "open",
        "Order",
        Outcome(create=(CreateObligation(kind="deliver", for_each="items", item_due="due", item_key="id"),)),
        identify=("items",),
    ),
    _step("deliver", "*", "Deliver", Outcome(satisfy_key={"deliver": "item"}), occurred_field="at"),
    _step("peek", "*", "Flag", Outcome(), rules=("reads_log_unmarked",)),
)
DUTIES = (
    ObligationKind(kind="check", label="Sjekke", responsible_role="principal", deadline="configured"),
    ObligationKind(kind="tell_owner", label="Si fra til eier", responsible_role="principal", deadline="configured"),
)
DELIVER = ObligationKind(kind="deliver", label="Levere", responsible_role="principal", deadline="document")

OLD = WorkflowSpec(
    id="oppdrag",
    version="2030-06",
    label="Oppdrag",
    legal_basis="intern rutine 2",
    states=STATES,
    obligations=DUTIES,
    transitions=(*BASE_STEPS, _step("finish", ("open",), "Finish", Outcome(dest="done", satisfy_all_open_except=()))),
    case_occurred_field="noticed_at",
)
# Finishing leaves the items owed: each keeps its deadline and its escalation on a finished errand.
FINISH_OWING = _step("finish", ("open",), "Finish", Outcome(dest="done", satisfy_all_open_except=("deliver",)))
NEW = OLD.model_copy(
    update={
        "version": "2030-09",
        "transitions": (*BASE_STEPS, FINISH_OWING, *ITEM_STEPS),
        "obligations": (*DUTIES, DELIVER),
    }
)

_STEPS = {"open_errand": "Åpne", "check": "Sjekke", "flag": "Flagge", "finish": "Fullføre", "reopen": "Gjenåpne"}
_STEPS |= {"order": "Bestille", "deliver": "Levere", "peek": "Kikke"}
_ROLES = ("staff", "case_handler", "principal", "deputy", "school_owner", "system", "reporter", "responsible")


def _labels() -> Labels:
    return Labels(
        workflow="Oppdrag",
        legal_basis="intern rutine 2",
        section="rutine 2",
        states={"open": "Åpen", "done": "Ferdig"},
        steps=_STEPS,
        duties={"check": "Sjekke", "tell_owner": "Si fra til eier", "deliver": "Levere"},
        roles={role: role for role in _ROLES},
        unit="enhet",
        pupil="den det gjelder",
        day=("dag", "dager"),
    )


ERRAND_PACK = WorkflowPack(
    id="oppdrag",
    institution="school",
    versions=(OLD, NEW),
    documents={m.__name__: m for m in (Open, Check, Order, Deliver, Flag, Finish)},
    labels={"nb": _labels(), "nn": _labels()},
    deadlines={"check": Duration(2, "sd"), "tell_owner": Duration(1, "sd")},
    audit=AuditProfile(required_steps=(RequiredStep(trigger="check", when_reached=("done",)),)),
    dossier=DossierLayout(sections=(DossierSection(key="checks", triggers=("check",)),)),
    rules={"checked_in_cycle": checked_in_cycle, "reads_log_unmarked": reads_log_unmarked},
    editions={
        "2030-09": Edition(
            audit=AuditProfile(required_steps=(RequiredStep(trigger="order", when_reached=("done",)),)),
            dossier=DossierLayout(sections=(DossierSection(key="orders", triggers=("order", "deliver")),)),
        )
    },
)
