"""The steps of the duty to act after the head of the unit has been told (see ``_common.py``)."""

from __future__ import annotations

from aktivitetsplikt.engine.core.spec import CreateObligation, Notify, Outcome, RoleRequirement, TransitionSpec
from aktivitetsplikt.workflows._family import Family

PLAN_ROLES: tuple[RoleRequirement, ...] = ("principal", "case_handler")


def later_steps(f: Family, start_investigation_rules: tuple[str, ...] = ()) -> tuple[TransitionSpec, ...]:
    """Every step after the head of the unit knows, in the order of the law."""
    return (
        *owner_steps(f),
        *investigation_steps(f, start_investigation_rules),
        *plan_steps(f),
        *closing_steps(f),
        *(enforcement_steps(f) if f.enforcement else ()),
    )


def owner_steps(f: Family) -> tuple[TransitionSpec, ...]:
    """The head assesses how serious the case is; a serious case owes the owner a notice."""
    return (
        TransitionSpec(
            trigger="assess_seriousness",
            label=f.steps["assess_seriousness"],
            sources=f.active,
            document="AssessSeriousness",
            roles=("principal",),
            outcomes=(
                Outcome(
                    when={"serious": True},
                    set_case={"serious": "serious"},
                    create=(CreateObligation(kind=f.notify_owner, unless_exists=True),),
                ),
                Outcome(set_case={"serious": "serious"}),
            ),
        ),
        TransitionSpec(
            trigger=f.notify_owner,
            label=f.steps[f.notify_owner],
            sources="open",
            document=f.documents["notify_owner"],
            roles=("principal",),
            occurred_field="notified_at",
            outcomes=(Outcome(satisfy=(f.notify_owner,), notify=(Notify(recipient="school_owner"),)),),
        ),
    )


def investigation_steps(f: Family, start_rules: tuple[str, ...]) -> tuple[TransitionSpec, ...]:
    """The investigation, as soon as possible: it concludes with measures needed, or safe."""
    return (
        TransitionSpec(
            trigger="start_investigation",
            label=f.steps["start_investigation"],
            sources=(f.head_notified,),
            document="StartInvestigation",
            roles=("principal",),
            rules=start_rules,
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
            label=f.steps["conclude_investigation"],
            sources=("investigating",),
            document="ConcludeInvestigation",
            roles=PLAN_ROLES,
            rules=(f.rules["safe_conclusion"], f.rules["owner_told"]),
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
    )


def plan_steps(f: Family) -> tuple[TransitionSpec, ...]:
    """The written plan, its evaluations and its revisions."""
    return (
        TransitionSpec(
            trigger="adopt_plan",
            label=f.steps["adopt_plan"],
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
            label=f.steps["evaluate"],
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
            label=f.steps["revise_plan"],
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
    )


def closing_steps(f: Family) -> tuple[TransitionSpec, ...]:
    """Closing when the child or pupil is safe again, and notes on anything else done."""
    return (
        TransitionSpec(
            trigger="close",
            label=f.steps["close"],
            sources=("measures_active",),
            document="Close",
            roles=("principal",),
            rules=(f.rules["safe_to_close"], f.rules["owner_told"]),
            outcomes=(Outcome(dest="closed", satisfy_all_open_except=(f.notify_owner,)),),
        ),
        TransitionSpec(
            trigger="add_note",
            label=f.steps["add_note"],
            sources="*",
            document="AddNote",
            roles=("staff+",),
            rules=("corrects_existing_event",),
            outcomes=(Outcome(),),
        ),
    )


def enforcement_steps(f: Family) -> tuple[TransitionSpec, ...]:
    """Statsforvaltaren has taken up the case and set a deadline; the head answers (opplæringslova § 12-6)."""
    return (
        TransitionSpec(
            trigger="register_enforcement",
            label=f.steps["register_enforcement"],
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
            label=f.steps["respond_to_statsforvalter"],
            sources="*",
            document="RespondToStatsforvalter",
            roles=("principal",),
            occurred_field="sent_at",
            rules=("enforcement_open",),
            outcomes=(Outcome(satisfy=("respond_to_statsforvalter",)),),
        ),
    )
