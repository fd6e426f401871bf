"""Version 2026-12 of both school workflows, derived step by step from their 2024-08 definitions.

The rules of the issue "The law, whole", by step (rule numbers in brackets):

- ``report``/``reopen`` record where it happened [11]; a reopening tells the principal (the school owner
  when the leadership is accused) and, under § 12-5, owes the owner a notice of its own [5]; it never
  changes whether the leadership is accused [6].
- ``start_investigation`` owes an assessment of seriousness; ``assess_seriousness`` is made during the
  investigation and the plan, and a cycle assessed serious owes the owner its own notice [4].
- ``conclude_investigation`` hears the pupil within the cycle, after the seriousness was assessed, and
  weighs the pupil's best interests [1, 4, 9].
- a plan's measures get stable ids; an evaluation hears the pupil since the latest plan or evaluation and
  follows up every measure; deciding to revise owes a revision [1, 3, 10].
- ``close`` says why; when the pupil is safe, after an evaluation of the latest plan and with the pupil
  heard since; it never meets Statsforvaltaren's deadline nor the measures it imposed [1, 2, 7, 8, 9].
- ``register_decision`` records Statsforvaltaren's decision, each imposed measure a duty of its own at its
  deadline, met by ``report_compliance`` for that measure [7].
- under § 12-5 only the owner changes whether the leadership is accused [6].
"""

from __future__ import annotations

from typing import Any

from aktivitetsplikt.engine.core.spec import (
    CreateObligation,
    Notify,
    ObligationKind,
    Outcome,
    TransitionSpec,
    WorkflowSpec,
)
from aktivitetsplikt.workflows import _labels_2026 as added
from aktivitetsplikt.workflows._labels import NB_STEPS

VERSION = "2026-12"
ACCUSED = "accused_staff"
LEADERSHIP = "accused_is_leadership"
PERSON_FIELDS = ("responsible", "measures[].responsible")
"""Who the accused may never be: the case's responsible, a measure's responsible (rule 6)."""
CLOSING_KEEPS = ("notify_school_owner", "respond_to_statsforvalter", "comply_with_decision")
"""Duties closing never meets: the owner's notice, Statsforvaltaren's deadline and its imposed measures."""

DUTIES = (
    ObligationKind(
        kind="assess_seriousness",
        label=added.NB_DUTIES["assess_seriousness"],
        responsible_role="principal",
        deadline="configured",
    ),
    ObligationKind(
        kind="revise_plan", label=added.NB_DUTIES["revise_plan"], responsible_role="responsible", deadline="configured"
    ),
    ObligationKind(
        kind="comply_with_decision",
        label=added.NB_DUTIES["comply_with_decision"],
        responsible_role="principal",
        deadline="document",
    ),
)


def _step(old: WorkflowSpec, trigger: str, **update: Any) -> TransitionSpec:
    """The 2024-08 step ``trigger`` with ``update`` applied, validated as a new step."""
    transition = old.transition(trigger)
    assert transition is not None, trigger
    return TransitionSpec.model_validate(transition.model_dump() | update)


def _rules(old: WorkflowSpec, trigger: str, *added: str, without: tuple[str, ...] = ()) -> tuple[str, ...]:
    transition = old.transition(trigger)
    assert transition is not None, trigger
    return tuple(r for r in transition.rules if r not in without) + added


def _assess() -> TransitionSpec:
    meets = ("assess_seriousness",)
    owner = CreateObligation(kind="notify_school_owner", unless_exists="cycle")
    return TransitionSpec(
        trigger="assess_seriousness",
        label=NB_STEPS["assess_seriousness"],
        sources=("investigating", "planning", "measures_active"),
        document="AssessSeriousness",
        roles=("principal",),
        outcomes=(
            Outcome(when={"serious": True}, set_case={"serious": "serious"}, satisfy=meets, create=(owner,)),
            Outcome(set_case={"serious": "serious"}, satisfy=meets),
        ),
    )


def _start(old: WorkflowSpec) -> TransitionSpec:
    transition = old.transition("start_investigation")
    assert transition is not None
    outcome = transition.outcomes[0]
    assess = CreateObligation(kind="assess_seriousness")
    return _step(
        old, "start_investigation", outcomes=(outcome.model_copy(update={"create": (*outcome.create, assess)}),)
    )


def _evaluate(old: WorkflowSpec) -> TransitionSpec:
    transition = old.transition("evaluate")
    assert transition is not None
    plain = transition.outcomes[0]
    revise = plain.model_copy(
        update={"when": {"decision": "revise"}, "create": (*plain.create, CreateObligation(kind="revise_plan"))}
    )
    return _step(
        old,
        "evaluate",
        document="Evaluate2026",
        rules=_rules(old, "evaluate", "voice_of_this_moment", "every_measure_followed_up"),
        outcomes=(revise, plain),
    )


def _revise(old: WorkflowSpec) -> TransitionSpec:
    transition = old.transition("revise_plan")
    assert transition is not None
    outcome = transition.outcomes[0]
    return _step(
        old,
        "revise_plan",
        document="RevisePlan2026",
        identify=("measures",),
        rules=_rules(old, "revise_plan", "revision_keeps_known_measures"),
        outcomes=(outcome.model_copy(update={"satisfy": (*outcome.satisfy, "revise_plan")}),),
    )


def _close(old: WorkflowSpec) -> TransitionSpec:
    rules = (
        "close_reason_documented",
        "voice_of_this_moment",
        "evaluated_since_plan",
        "school_owner_notified_before_close",
        "decision_complied_before_close",
    )
    outcome = Outcome(dest="closed", satisfy_all_open_except=CLOSING_KEEPS)
    return _step(old, "close", document="Close2026", rules=rules, outcomes=(outcome,))


def _reopen(old: WorkflowSpec, stricter: bool) -> TransitionSpec:
    transition = old.transition("reopen")
    assert transition is not None
    told = transition.outcomes[0].model_copy(
        update={
            "notify": (Notify(recipient="principal"),),  # to the school owner when the leadership is accused
            "set_case": {ACCUSED: ACCUSED} if stricter else {},
        }
    )
    if not stricter:
        return _step(old, "reopen", document="Report2026", outcomes=(told,))
    # § 12-5: the owner hears of every incident: from the notice itself when it is routed to them, else
    # from the principal, who owes that notice again.
    routed = told.model_copy(update={"when": {f"case.{LEADERSHIP}": True}})
    owed = told.model_copy(
        update={"create": (*told.create, CreateObligation(kind="notify_school_owner", counted_from="occurred_at"))}
    )
    return _step(old, "reopen", document="StaffOffenceReopen2026", outcomes=(routed, owed))


def _decision_steps() -> tuple[TransitionSpec, ...]:
    """Statsforvaltaren's decision (opplæringslova § 12-6) and the school's report on each imposed measure."""
    per_measure = CreateObligation(kind="comply_with_decision", for_each="measures", item_due="due_at", item_key="id")
    return (
        TransitionSpec(
            trigger="register_decision",
            label=added.NB_STEPS["register_decision"],
            sources="*",
            document="RegisterDecision",
            roles=("principal",),
            occurred_field="received_at",
            identify=("measures",),
            outcomes=(Outcome(create=(per_measure,)),),
        ),
        TransitionSpec(
            trigger="report_compliance",
            label=added.NB_STEPS["report_compliance"],
            sources="*",
            document="ReportCompliance",
            roles=("principal",),
            occurred_field="reported_at",
            outcomes=(Outcome(satisfy_key={"comply_with_decision": "measure"}),),
        ),
    )


def _routing_step() -> TransitionSpec:
    """§ 12-5 second paragraph: whether the leadership is accused decides who acts; the owner decides it."""
    return TransitionSpec(
        trigger="change_leadership_routing",
        label=added.NB_STRICTER_STEPS["change_leadership_routing"],
        sources="open",
        document="ChangeLeadershipRouting",
        roles=("school_owner",),
        outcomes=(Outcome(set_case={LEADERSHIP: LEADERSHIP}),),
    )


def edition_2026(old: WorkflowSpec, *, stricter: bool) -> WorkflowSpec:
    """Version 2026-12 of ``old`` (a 2024-08 school workflow); ``stricter`` for § 12-5."""
    conclude_rules = ("voice_of_this_moment", "seriousness_assessed_in_cycle", "decision_complied_before_close")
    transitions = (
        _step(old, "report", document="StaffOffenceReport2026" if stricter else "Report2026"),
        _step(old, "notify_principal"),
        _assess(),
        _step(old, "notify_school_owner"),
        _start(old),
        _step(
            old,
            "conclude_investigation",
            document="ConcludeInvestigation2026",
            rules=_rules(old, "conclude_investigation", *conclude_rules),
        ),
        _step(old, "adopt_plan", document="Plan2026", identify=("measures",)),
        _evaluate(old),
        _revise(old),
        _close(old),
        _step(old, "add_note"),
        _step(old, "register_enforcement"),
        _step(old, "respond_to_statsforvalter"),
        *_decision_steps(),
        *((_routing_step(),) if stricter else ()),
        _reopen(old, stricter),
    )
    people = {"accused_attribute": ACCUSED, "person_fields": PERSON_FIELDS}
    return old.model_copy(
        update={
            "version": VERSION,
            "transitions": transitions,
            "obligations": (*old.obligations, *DUTIES),
            **(people if stricter else {}),
        }
    )
