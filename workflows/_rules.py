"""The named rules of the duty to act, checked on top of the documentation's own fields.

The law is the same for schools (opplæringslova §§ 12-4 to 12-6) and kindergartens (barnehageloven
§§ 42 and 43) where the fields are the same; where they differ (whose voice, which owner) a rule is made
for the fields of each (:func:`safe_conclusion`, :func:`safe_to_close`, :func:`owner_told_before_close`).
The transitions of ``_steps.py`` name them; ``RULES`` goes into each school pack.
"""

from __future__ import annotations

from datetime import datetime

from aktivitetsplikt.engine.core.documents import lookup
from aktivitetsplikt.engine.core.rules import Rule, RuleContext, case_refusal, field_problem


def safe_conclusion(voice: str) -> Rule:
    """The child's or pupil's own experience decides: a case is not 'safe' while ``voice`` (the object
    holding what the child or pupil conveyed) says otherwise (§ 12-4, barnehageloven § 42)."""

    def conclusion_safe_requires_feels_safe(ctx: RuleContext) -> None:
        if lookup(ctx.document, "conclusion") == "safe" and lookup(ctx.document, f"{voice}.feels_safe") is not True:
            raise field_problem(
                ctx,
                "conclusion",
                f"can be 'safe' only when {voice}.feels_safe is true; conclude 'measures_needed' instead",
            )

    return conclusion_safe_requires_feels_safe


def safe_to_close(voice: str) -> Rule:
    """The duty lasts until the child or pupil has a safe and good environment again."""

    def feels_safe_to_close(ctx: RuleContext) -> None:
        if lookup(ctx.document, f"{voice}.feels_safe") is not True:
            raise field_problem(
                ctx,
                f"{voice}.feels_safe",
                "must be true to close the case; keep the measures going and evaluate again",
            )

    return feels_safe_to_close


def owner_told_before_close(duty: str, owner: str) -> Rule:
    """A serious case (or any case of the stricter duty) cannot be closed before ``owner`` has been told
    (the open duty ``duty``, met by the step of the same name)."""

    def owner_notified_before_close(ctx: RuleContext) -> None:
        if not ctx.spec.state(ctx.dest).final:
            return
        if ctx.case.open_obligations(duty):
            reason = (
                f"case {ctx.case.number} cannot be closed while {owner} has not been notified; fire '{duty}' first."
            )
            raise case_refusal(ctx, reason)

    return owner_notified_before_close


def _evaluation_window(ctx: RuleContext, field: str, base: datetime, base_name: str) -> None:
    value = lookup(ctx.document, field)
    if not isinstance(value, datetime):
        return
    interval = ctx.deadline("max_evaluation_interval")
    latest = ctx.calendar.add(base, interval)
    if value <= ctx.now:
        raise field_problem(ctx, field, "must lie in the future; set the date of the coming evaluation")
    if value > latest:
        shown = ctx.calendar.local(latest).isoformat(timespec="minutes")
        raise field_problem(
            ctx,
            field,
            f"is later than {interval} after {base_name} (at the latest {shown}); evaluate sooner",
        )


def plan_evaluation_date(ctx: RuleContext) -> None:
    """The plan's evaluation lies after its adoption and within ``max_evaluation_interval``."""
    _evaluation_window(ctx, "evaluation_at", ctx.now, "the plan")


def next_evaluation_date(ctx: RuleContext) -> None:
    """The next evaluation lies ahead and within ``max_evaluation_interval`` of this one."""
    held = lookup(ctx.document, "held_at")
    base = held if isinstance(held, datetime) else ctx.now
    _evaluation_window(ctx, "next_evaluation_at", base, "this evaluation")


def accused_not_responsible(ctx: RuleContext) -> None:
    """§ 12-5 and barnehageloven § 43: the accused employee never investigates their own case."""
    accused = ctx.case.attributes.get("accused_staff")
    if accused is not None and lookup(ctx.document, "responsible") == accused:
        raise field_problem(ctx, "responsible", "is the accused employee; appoint someone else")


def corrects_existing_event(ctx: RuleContext) -> None:
    """A correction points at an event that exists in this case's log."""
    target = lookup(ctx.document, "corrects")
    if target is not None and not 1 <= target <= ctx.case.last_seq:
        raise field_problem(ctx, "corrects", f"must be the seq of an event of this case (1 to {ctx.case.last_seq})")


def enforcement_open(ctx: RuleContext) -> None:
    """A response to Statsforvalteren answers a registered enforcement case."""
    if not ctx.case.open_obligations("respond_to_statsforvalter"):
        reason = (
            f"case {ctx.case.number} has no open enforcement case; "
            "fire 'register_enforcement' first with Statsforvalteren's deadline."
        )
        raise case_refusal(ctx, reason)


SHARED_RULES: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (plan_evaluation_date, next_evaluation_date, accused_not_responsible, corrects_existing_event)
}
"""The rules whose law is the same for schools and kindergartens."""

RULES: dict[str, Rule] = {
    "conclusion_safe_requires_feels_safe": safe_conclusion("pupil_heard"),
    "pupil_feels_safe_to_close": safe_to_close("pupil_heard"),
    "school_owner_notified_before_close": owner_told_before_close("notify_school_owner", "the school owner"),
    **SHARED_RULES,
    "enforcement_open": enforcement_open,
}
"""The rules of the school workflows, by the names their transitions use."""
