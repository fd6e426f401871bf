"""The states, duties and steps both built-in workflows share (spec section 2).

§ 12-5 (spec section 3) is the same machine with a stricter report, tighter configured deadlines and
routing away from an accused leadership; ``skjerpa.py`` declares only those differences.
"""

from __future__ import annotations

from aktivitetsplikt.engine.spec import (
    CreateObligation,
    Notify,
    ObligationKind,
    Outcome,
    StateSpec,
    TransitionSpec,
)

VERSION = "2024-08"

STATES = (
    StateSpec(id="reported", label="Meldt", obligation="notify_principal"),
    StateSpec(id="principal_notified", label="Rektor varslet", obligation="start_investigation"),
    StateSpec(id="investigating", label="Undersøkes", obligation="conclude_investigation"),
    StateSpec(id="planning", label="Tiltak planlegges", obligation="adopt_plan"),
    StateSpec(id="measures_active", label="Tiltak pågår", obligation="evaluate"),
    StateSpec(id="closed", label="Avsluttet", final=True),
)

OBLIGATIONS = (
    ObligationKind(kind="notify_principal", label="Varsle rektor", responsible_role="reporter", deadline="configured"),
    ObligationKind(
        kind="notify_school_owner",
        label="Varsle skoleeier",
        responsible_role="principal",
        deadline="configured",
    ),
    ObligationKind(
        kind="start_investigation",
        label="Starte undersøkelse",
        responsible_role="principal",
        deadline="configured",
    ),
    ObligationKind(
        kind="conclude_investigation",
        label="Avslutte undersøkelsen",
        responsible_role="responsible",
        deadline="configured",
    ),
    ObligationKind(
        kind="adopt_plan", label="Vedta aktivitetsplan", responsible_role="responsible", deadline="configured"
    ),
    ObligationKind(kind="evaluate", label="Evaluere tiltakene", responsible_role="responsible", deadline="document"),
    ObligationKind(
        kind="respond_to_statsforvalter",
        label="Svare Statsforvalteren",
        responsible_role="principal",
        deadline="document",
    ),
)

ACTIVE = ("principal_notified", "investigating", "planning", "measures_active")
PLAN_ROLES = ("principal", "case_handler")


def report(document: str, set_case: dict[str, str], create: tuple[CreateObligation, ...]) -> TransitionSpec:
    return TransitionSpec(
        trigger="report",
        label="Melde",
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
        label="Gjenåpne saken",
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
        label="Varsle rektor",
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
            label="Vurdere alvorlighet",
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
            label="Varsle skoleeier",
            sources="open",
            document="NotifySchoolOwner",
            roles=("principal",),
            occurred_field="notified_at",
            outcomes=(Outcome(satisfy=("notify_school_owner",), notify=(Notify(recipient="school_owner"),)),),
        ),
        TransitionSpec(
            trigger="start_investigation",
            label="Starte undersøkelse",
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
            label="Konkludere undersøkelsen",
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
            label="Vedta aktivitetsplan",
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
            label="Evaluere tiltakene",
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
            label="Revidere aktivitetsplanen",
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
            label="Avslutte saken",
            sources=("measures_active",),
            document="Close",
            roles=("principal",),
            rules=("pupil_feels_safe_to_close", "school_owner_notified_before_close"),
            outcomes=(Outcome(dest="closed", satisfy_all_open_except=("notify_school_owner",)),),
        ),
        TransitionSpec(
            trigger="add_note",
            label="Notat",
            sources="*",
            document="AddNote",
            roles=("staff+",),
            rules=("corrects_existing_event",),
            outcomes=(Outcome(),),
        ),
        TransitionSpec(
            trigger="register_enforcement",
            label="Registrere sak hos Statsforvalteren",
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
            label="Svare Statsforvalteren",
            sources="*",
            document="RespondToStatsforvalter",
            roles=("principal",),
            occurred_field="sent_at",
            rules=("enforcement_open",),
            outcomes=(Outcome(satisfy=("respond_to_statsforvalter",)),),
        ),
    )
