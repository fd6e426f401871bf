"""The states, duties and steps both built-in workflows share (spec section 2).

§ 12-5 (spec section 3) is the same machine with a stricter report, tighter configured deadlines and
routing away from an accused leadership; ``skjerpa.py`` declares only those differences.
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.spec import (
    CreateObligation,
    Notify,
    ObligationKind,
    Outcome,
    RoleRequirement,
    StateSpec,
    TransitionSpec,
)
from aktivitetsplikt.workflows._labels import NB_DUTIES, NB_STATES, NB_STEPS

VERSION = "2024-08"

STATES = (
    StateSpec(id="reported", label=NB_STATES["reported"], obligation="notify_principal"),
    StateSpec(id="principal_notified", label=NB_STATES["principal_notified"], obligation="start_investigation"),
    StateSpec(id="investigating", label=NB_STATES["investigating"], obligation="conclude_investigation"),
    StateSpec(id="planning", label=NB_STATES["planning"], obligation="adopt_plan"),
    StateSpec(id="measures_active", label=NB_STATES["measures_active"], obligation="evaluate"),
    StateSpec(id="closed", label=NB_STATES["closed"], final=True),
)

OBLIGATIONS = (
    ObligationKind(
        kind="notify_principal", label=NB_DUTIES["notify_principal"], responsible_role="reporter", deadline="configured"
    ),
    ObligationKind(
        kind="notify_school_owner",
        label=NB_DUTIES["notify_school_owner"],
        responsible_role="principal",
        deadline="configured",
    ),
    ObligationKind(
        kind="start_investigation",
        label=NB_DUTIES["start_investigation"],
        responsible_role="principal",
        deadline="configured",
    ),
    ObligationKind(
        kind="conclude_investigation",
        label=NB_DUTIES["conclude_investigation"],
        responsible_role="responsible",
        deadline="configured",
    ),
    ObligationKind(
        kind="adopt_plan", label=NB_DUTIES["adopt_plan"], responsible_role="responsible", deadline="configured"
    ),
    ObligationKind(kind="evaluate", label=NB_DUTIES["evaluate"], responsible_role="responsible", deadline="document"),
    ObligationKind(
        kind="respond_to_statsforvalter",
        label=NB_DUTIES["respond_to_statsforvalter"],
        responsible_role="principal",
        deadline="document",
    ),
)

ACTIVE = ("principal_notified", "investigating", "planning", "measures_active")
PLAN_ROLES: tuple[RoleRequirement, ...] = ("principal", "case_handler")


def report(document: str, set_case: dict[str, str], create: tuple[CreateObligation, ...]) -> TransitionSpec:
    return TransitionSpec(
        trigger="report",
        label=NB_STEPS["report"],
        sources=(),
        document=document,
        roles=("staff+",),
        creates_case=True,
        occurred_field="occurred_at",
        outcomes=(Outcome(dest="reported", create=create, set_case=set_case),),
    )


def reopen(document: str, set_case: dict[str, str]) -> TransitionSpec:
    return TransitionSpec(
        trigger="reopen",
        label=NB_STEPS["reopen"],
        sources=("closed",),
        document=document,
        roles=("staff+",),
        reopens=True,
        occurred_field="occurred_at",
        outcomes=(
            Outcome(
                dest="principal_notified",
                create=(CreateObligation(kind="start_investigation", counted_from="occurred_at"),),
                set_case=set_case,
            ),
        ),
    )


def notify_principal(outcomes: tuple[Outcome, ...]) -> TransitionSpec:
    return TransitionSpec(
        trigger="notify_principal",
        label=NB_STEPS["notify_principal"],
        sources=("reported",),
        document="NotifyPrincipal",
        roles=("staff+",),
        occurred_field="notified_at",
        outcomes=outcomes,
    )


NOTIFY_PRINCIPAL_OUTCOME = Outcome(
    dest="principal_notified",
    satisfy=("notify_principal",),
    create=(CreateObligation(kind="start_investigation", counted_from="notified_at"),),
    notify=(Notify(recipient="principal"),),
)


def common_steps(start_investigation_rules: tuple[str, ...] = ()) -> tuple[TransitionSpec, ...]:
    """Every step after the principal knows: identical in both workflows."""
    return (
        TransitionSpec(
            trigger="assess_seriousness",
            label=NB_STEPS["assess_seriousness"],
            sources=ACTIVE,
            document="AssessSeriousness",
            roles=("principal",),
            outcomes=(
                Outcome(
                    when={"serious": True},
                    set_case={"serious": "serious"},
                    create=(CreateObligation(kind="notify_school_owner", unless_exists=True),),
                ),
                Outcome(set_case={"serious": "serious"}),
            ),
        ),
        TransitionSpec(
            trigger="notify_school_owner",
            label=NB_STEPS["notify_school_owner"],
            sources="open",
            document="NotifySchoolOwner",
            roles=("principal",),
            occurred_field="notified_at",
            outcomes=(Outcome(satisfy=("notify_school_owner",), notify=(Notify(recipient="school_owner"),)),),
        ),
        TransitionSpec(
            trigger="start_investigation",
            label=NB_STEPS["start_investigation"],
            sources=("principal_notified",),
            document="StartInvestigation",
            roles=("principal",),
            rules=start_investigation_rules,
            outcomes=(
                Outcome(
                    dest="investigating",
                    set_case={"responsible": "responsible"},
                    satisfy=("start_investigation",),
                    create=(CreateObligation(kind="conclude_investigation"),),
                ),
            ),
        ),
        TransitionSpec(
            trigger="conclude_investigation",
            label=NB_STEPS["conclude_investigation"],
            sources=("investigating",),
            document="ConcludeInvestigation",
            roles=PLAN_ROLES,
            rules=("conclusion_safe_requires_feels_safe", "school_owner_notified_before_close"),
            outcomes=(
                Outcome(
                    when={"conclusion": "measures_needed"},
                    dest="planning",
                    satisfy=("conclude_investigation",),
                    create=(CreateObligation(kind="adopt_plan"),),
                ),
                Outcome(when={"conclusion": "safe"}, dest="closed", satisfy=("conclude_investigation",)),
            ),
        ),
        TransitionSpec(
            trigger="adopt_plan",
            label=NB_STEPS["adopt_plan"],
            sources=("planning",),
            document="Plan",
            roles=PLAN_ROLES,
            rules=("plan_evaluation_date",),
            outcomes=(
                Outcome(
                    dest="measures_active",
                    satisfy=("adopt_plan",),
                    create=(CreateObligation(kind="evaluate", counted_from="evaluation_at"),),
                ),
            ),
        ),
        TransitionSpec(
            trigger="evaluate",
            label=NB_STEPS["evaluate"],
            sources=("measures_active",),
            document="Evaluate",
            roles=PLAN_ROLES,
            occurred_field="held_at",
            rules=("next_evaluation_date",),
            outcomes=(
                Outcome(
                    satisfy=("evaluate",),
                    create=(CreateObligation(kind="evaluate", counted_from="next_evaluation_at"),),
                ),
            ),
        ),
        TransitionSpec(
            trigger="revise_plan",
            label=NB_STEPS["revise_plan"],
            sources=("measures_active",),
            document="RevisePlan",
            roles=PLAN_ROLES,
            rules=("plan_evaluation_date",),
            outcomes=(
                Outcome(
                    supersede=("evaluate",),
                    create=(CreateObligation(kind="evaluate", counted_from="evaluation_at"),),
                ),
            ),
        ),
        TransitionSpec(
            trigger="close",
            label=NB_STEPS["close"],
            sources=("measures_active",),
            document="Close",
            roles=("principal",),
            rules=("pupil_feels_safe_to_close", "school_owner_notified_before_close"),
            outcomes=(Outcome(dest="closed", satisfy_all_open_except=("notify_school_owner",)),),
        ),
        TransitionSpec(
            trigger="add_note",
            label=NB_STEPS["add_note"],
            sources="*",
            document="AddNote",
            roles=("staff+",),
            rules=("corrects_existing_event",),
            outcomes=(Outcome(),),
        ),
        TransitionSpec(
            trigger="register_enforcement",
            label=NB_STEPS["register_enforcement"],
            sources="*",
            document="RegisterEnforcement",
            roles=("principal",),
            occurred_field="received_at",
            outcomes=(
                Outcome(create=(CreateObligation(kind="respond_to_statsforvalter", counted_from="response_due_at"),)),
            ),
        ),
        TransitionSpec(
            trigger="respond_to_statsforvalter",
            label=NB_STEPS["respond_to_statsforvalter"],
            sources="*",
            document="RespondToStatsforvalter",
            roles=("principal",),
            occurred_field="sent_at",
            rules=("enforcement_open",),
            outcomes=(Outcome(satisfy=("respond_to_statsforvalter",)),),
        ),
    )
