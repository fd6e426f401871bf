"""The machine of the duty to act, shared by the school and the kindergarten workflows.

Opplæringslova §§ 12-4 and 12-5 and barnehageloven §§ 42 and 43 lay down the same duties (the
kindergarten rules were modelled on the school's): report, tell the head of the unit, investigate,
adopt a written plan, evaluate it, close when the child or pupil is safe again. A :class:`Family` names
what each law calls its own way: the head (principal or director), the owner's notice, the documentation
models and rules, the bokmål labels, and whether Statsforvaltaren enforces the duty case by case.

The stricter duty when an employee offends (§ 12-5, § 43) is the same machine with a stricter report,
tighter configured deadlines and routing away from an accused leadership (:func:`stricter_duty`).
"""

from __future__ import annotations

from typing import Any, Literal

from aktivitetsplikt.engine.core.access_profile import AccessProfile
from aktivitetsplikt.engine.core.pack import Labels, Retention
from aktivitetsplikt.engine.core.spec import (
    CreateObligation,
    Notify,
    ObligationKind,
    Outcome,
    RecipientRole,
    StateSpec,
    TransitionSpec,
    WorkflowSpec,
)
from aktivitetsplikt.workflows._family import Family
from aktivitetsplikt.workflows._steps import later_steps

DeadlineSource = Literal["configured", "document"]

ACCUSED = {"accused_staff": "accused_staff", "accused_is_leadership": "accused_is_leadership"}
"""The case attributes the stricter duty's report sets: who is accused, and whether of the leadership."""
MEASURE_HOLDERS = {"adopt_plan": ("measures.responsible",), "revise_plan": ("measures.responsible",)}
"""The written plan names who carries out each measure (§ 12-4, § 42); they may read the case."""


def access(*, stricter: bool) -> AccessProfile:
    """Who has a part in a case: the plan's measure holders; under the stricter duty also the accused
    employee, who never reads the case (their place in the leadership is ``principal_replaced_when``)."""
    return AccessProfile(measure_holders=MEASURE_HOLDERS, accused="accused_staff" if stricter else None)


def states(f: Family) -> tuple[StateSpec, ...]:
    return (
        StateSpec(id="reported", label=f.states["reported"], obligation=f.notify_head),
        StateSpec(id=f.head_notified, label=f.states[f.head_notified], obligation="start_investigation"),
        StateSpec(id="investigating", label=f.states["investigating"], obligation="conclude_investigation"),
        StateSpec(id="planning", label=f.states["planning"], obligation="adopt_plan"),
        StateSpec(id="measures_active", label=f.states["measures_active"], obligation="evaluate"),
        StateSpec(id="closed", label=f.states["closed"], final=True),
    )


def obligations(f: Family) -> tuple[ObligationKind, ...]:
    owed: list[tuple[str, RecipientRole, DeadlineSource]] = [
        (f.notify_head, "reporter", "configured"),
        (f.notify_owner, "principal", "configured"),
        ("start_investigation", "principal", "configured"),
        ("conclude_investigation", "responsible", "configured"),
        ("adopt_plan", "responsible", "configured"),
        ("evaluate", "responsible", "document"),
    ]
    if f.enforcement:
        owed.append(("respond_to_statsforvalter", "principal", "document"))
    return tuple(
        ObligationKind(kind=kind, label=f.duties[kind], responsible_role=role, deadline=deadline)
        for kind, role, deadline in owed
    )


def report_step(
    f: Family, document: str, set_case: dict[str, str], create: tuple[CreateObligation, ...]
) -> TransitionSpec:
    return TransitionSpec(
        trigger="report",
        label=f.steps["report"],
        sources=(),
        document=document,
        roles=("staff+",),
        creates_case=True,
        occurred_field="occurred_at",
        outcomes=(Outcome(dest="reported", create=create, set_case=set_case),),
    )


def reopen_step(f: Family, document: str, set_case: dict[str, str]) -> TransitionSpec:
    return TransitionSpec(
        trigger="reopen",
        label=f.steps["reopen"],
        sources=("closed",),
        document=document,
        roles=("staff+",),
        reopens=True,
        occurred_field="occurred_at",
        outcomes=(
            Outcome(
                dest=f.head_notified,
                create=(CreateObligation(kind="start_investigation", counted_from="occurred_at"),),
                set_case=set_case,
            ),
        ),
    )


def head_notice(f: Family) -> Outcome:
    """The head has been told: the investigation is owed next."""
    return Outcome(
        dest=f.head_notified,
        satisfy=(f.notify_head,),
        create=(CreateObligation(kind="start_investigation", counted_from="notified_at"),),
        notify=(Notify(recipient="principal"),),
    )


def notify_head_step(f: Family, outcomes: tuple[Outcome, ...]) -> TransitionSpec:
    return TransitionSpec(
        trigger=f.notify_head,
        label=f.steps[f.notify_head],
        sources=("reported",),
        document=f.documents["notify_head"],
        roles=("staff+",),
        occurred_field="notified_at",
        outcomes=outcomes,
    )


def _spec(
    f: Family, workflow: str, words: Labels, transitions: tuple[TransitionSpec, ...], **extra: Any
) -> WorkflowSpec:
    return WorkflowSpec(
        id=workflow,
        version=f.version,
        label=words.workflow,
        legal_basis=words.legal_basis,
        states=states(f),
        obligations=obligations(f),
        transitions=transitions,
        **extra,
    )


def duty_to_act(f: Family, workflow: str, words: Labels) -> WorkflowSpec:
    """The duty to act (§ 12-4, § 42): the report owes the head's notice. ``words`` are the pack's bokmål."""
    report_duty = (CreateObligation(kind=f.notify_head, counted_from="occurred_at"),)
    transitions = (
        report_step(f, f.documents["report"], set_case={}, create=report_duty),
        notify_head_step(f, (head_notice(f),)),
        *later_steps(f),
        reopen_step(f, f.documents["report"], set_case={}),
    )
    return _spec(f, workflow, words, transitions)


def stricter_duty(f: Family, workflow: str, words: Labels) -> WorkflowSpec:
    """The stricter duty when an employee offends (§ 12-5, § 43).

    The report names the accused; the owner is always told, with no seriousness assessment first; and when
    the leadership is accused, the head is taken out of the case: the notice meant for the head goes to the
    owner (so it also meets the owner's duty), and the owner acts in the head's place.
    """
    report_duties = (
        CreateObligation(kind=f.notify_head, counted_from="occurred_at"),
        CreateObligation(kind=f.notify_owner, counted_from="occurred_at"),
    )
    plain = head_notice(f)
    leadership = plain.model_copy(
        update={"when": {"case.accused_is_leadership": True}, "satisfy": (f.notify_head, f.notify_owner)}
    )
    transitions = (
        report_step(f, f.documents["offence_report"], set_case=ACCUSED, create=report_duties),
        notify_head_step(f, (leadership, plain)),
        *later_steps(f, start_investigation_rules=("accused_not_responsible",)),
        reopen_step(f, f.documents["offence_report"], set_case=ACCUSED),
    )
    return _spec(f, workflow, words, transitions, principal_replaced_when="accused_is_leadership")


RETENTION = Retention(years=3, archive=True)
"""The default retention of every built-in workflow: the case's content stays 3 years after closing
(long enough for a new report about the same pupil, a complaint to Statsforvaltaren and its enforcement
to find the history), then goes to the archive first. Public bodies hand such documentation to their
archive (arkivlova; the municipality's rules of preservation decide what is kept there), and the
operational copy is erased (GDPR art. 5(1)(e)). A deployment sets its own under ``[retention.<workflow>]``."""
