"""A test-only workflow with ids of its own: a concern is raised, answered, looked at again and settled.

Nothing here is a school's word or step: the audit, the agenda and the escalation must handle it from
its pack alone (design section 7b). The owner is told of every concern from the start (like § 12-5),
so the audit's owner check has something to demand; ``without_owner_notice`` drops that demand.
"""

from __future__ import annotations

from dataclasses import replace

from aktivitetsplikt.engine.core.audit_profile import (
    AuditProfile,
    ClosingStep,
    OwnerNotice,
    RecurringDuty,
    RequiredStep,
    VoiceField,
)
from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.documents import CaseInstant, Document, Instant, Text
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout
from aktivitetsplikt.engine.core.pack import Labels, WorkflowPack
from aktivitetsplikt.engine.core.spec import (
    CreateObligation,
    ObligationKind,
    Outcome,
    StateSpec,
    TransitionSpec,
    WorkflowSpec,
)

ID = "check_in"


class Voice(Document):
    said: Text | None = None


class Raise(Document):
    occurred_at: CaseInstant
    what: Text | None = None


class Answer(Document):
    answered_at: CaseInstant
    note: Text | None = None
    voice: Voice | None = None
    next_look_at: Instant


class Look(Document):
    held_at: CaseInstant
    outcome: Text | None = None
    next_look_at: Instant


class Settle(Document):
    why: Text | None = None
    voice: Voice | None = None


class TellOwner(Document):
    told_at: CaseInstant


DOCUMENTS: dict[str, type[Document]] = {m.__name__: m for m in (Raise, Answer, Look, Settle, TellOwner)}
STATES = {"raised": "Reist", "followed_up": "Følges opp", "settled": "Ordnet"}
STEPS = {
    "raise": "Reise saken",
    "answer": "Svare",
    "look": "Se på saken igjen",
    "settle": "Ordne opp",
    "tell_owner": "Si fra til eier",
    "revive": "Ta opp igjen",
}
DUTIES = {"answer": "Svare", "look": "Se på saken igjen", "tell_owner": "Si fra til eier"}
ROLES = {
    "staff": "ansatt",
    "case_handler": "saksbehandler",
    "principal": "leder",
    "deputy": "nestleder",
    "school_owner": "eier",
    "system": "systemet",
    "reporter": "melder",
    "responsible": "ansvarlig",
}


def _step(
    trigger: str, sources: tuple[str, ...] | str, document: str, outcome: Outcome, **more: object
) -> TransitionSpec:
    return TransitionSpec.model_validate(
        {
            "trigger": trigger,
            "label": STEPS[trigger],
            "sources": sources,
            "document": document,
            "roles": ("staff+",),
            "outcomes": (outcome,),
            **more,
        }
    )


ANSWER = CreateObligation(kind="answer", counted_from="occurred_at")
SPEC = WorkflowSpec(
    id=ID,
    version="1",
    label="Oppfølging (test)",
    legal_basis="testloven § 1",
    states=(
        StateSpec(id="raised", label=STATES["raised"], obligation="answer"),
        StateSpec(id="followed_up", label=STATES["followed_up"], obligation="look"),
        StateSpec(id="settled", label=STATES["settled"], final=True),
    ),
    obligations=(
        ObligationKind(kind="answer", label=DUTIES["answer"], responsible_role="principal", deadline="configured"),
        ObligationKind(kind="look", label=DUTIES["look"], responsible_role="principal", deadline="document"),
        ObligationKind(
            kind="tell_owner", label=DUTIES["tell_owner"], responsible_role="principal", deadline="configured"
        ),
    ),
    transitions=(
        _step(
            "raise",
            (),
            "Raise",
            Outcome(dest="raised", create=(ANSWER, CreateObligation(kind="tell_owner", counted_from="occurred_at"))),
            creates_case=True,
            occurred_field="occurred_at",
        ),
        _step(
            "answer",
            ("raised",),
            "Answer",
            Outcome(
                dest="followed_up",
                satisfy=("answer",),
                create=(CreateObligation(kind="look", counted_from="next_look_at"),),
            ),
            occurred_field="answered_at",
        ),
        _step(
            "look",
            ("followed_up",),
            "Look",
            Outcome(satisfy=("look",), create=(CreateObligation(kind="look", counted_from="next_look_at"),)),
            occurred_field="held_at",
        ),
        _step("settle", "open", "Settle", Outcome(dest="settled", satisfy_all_open_except=("tell_owner",))),
        _step("tell_owner", "*", "TellOwner", Outcome(satisfy=("tell_owner",)), occurred_field="told_at"),
        _step("revive", ("settled",), "Raise", Outcome(dest="raised", create=(ANSWER,)), reopens=True),
    ),
)
AUDIT = AuditProfile(
    essential={"raise": ("what",), "answer": ("note",), "look": ("outcome",), "settle": ("why",)},
    required_steps=(RequiredStep(trigger="answer", when_reached=("followed_up", "settled")),),
    closing_steps=(ClosingStep(trigger="settle"),),
    voice=(
        VoiceField(trigger="answer", field="voice", subfield="said"),
        VoiceField(trigger="settle", field="voice", subfield="said"),
    ),
    recurring=(RecurringDuty(duty="look", trigger="look"),),
    owner_notice=OwnerNotice(duty="tell_owner", notice_triggers=("tell_owner",), notified_field="told_at"),
)
LABELS = Labels(
    workflow="Oppfølging (test)",
    legal_basis="testloven § 1",
    section="§ T-1",
    states=STATES,
    steps=STEPS,
    duties=DUTIES,
    roles=ROLES,
    unit="enhet",
    pupil="barnet",
    day=("arbeidsdag", "arbeidsdager"),
)
PACK = WorkflowPack(
    id=ID,
    institution="school",  # reported at the test config's schools: a pack serves one kind of unit
    versions=(SPEC,),
    documents=DOCUMENTS,
    labels={"nb": LABELS, "nn": LABELS},
    deadlines={"answer": Duration.parse("1sd"), "tell_owner": Duration.parse("1sd")},
    audit=AUDIT,
    dossier=DossierLayout(),
)


def without_owner_notice(pack: WorkflowPack) -> WorkflowPack:
    """The same workflow with no owner notice in its audit profile: no owner check at all."""
    return replace(pack, audit=pack.audit.model_copy(update={"owner_notice": None}))
