"""The named rules of the school workflows (opplæringslova §§ 12-4 to 12-6), checked on top of the
documentation's own fields. The transitions of ``_common.py`` name them; ``RULES`` goes into each pack.
"""

from __future__ import annotations

from datetime import datetime

from aktivitetsplikt.engine.core.documents import lookup
from aktivitetsplikt.engine.core.rules import Rule, RuleContext, case_refusal, field_problem


def conclusion_safe_requires_feels_safe(ctx: RuleContext) -> None:
    """§ 12-4: the pupil's own experience decides; a case is not 'safe' while the pupil says otherwise."""
    if lookup(ctx.document, "conclusion") == "safe" and lookup(ctx.document, "pupil_heard.feels_safe") is not True:
        raise field_problem(
            ctx,
            "conclusion",
            "can be 'safe' only when pupil_heard.feels_safe is true; conclude 'measures_needed' instead",
        )


def pupil_feels_safe_to_close(ctx: RuleContext) -> None:
    """§ 12-4: the duty lasts until the pupil has a safe and good school environment again."""
    if lookup(ctx.document, "pupil_heard.feels_safe") is not True:
        raise field_problem(
            ctx,
            "pupil_heard.feels_safe",
            "must be true to close the case; keep the measures going and evaluate again",
        )


def school_owner_notified_before_close(ctx: RuleContext) -> None:
    """A serious case (or any § 12-5 case) cannot be closed before the school owner has been told."""
    if not ctx.spec.state(ctx.dest).final:
        return
    if ctx.case.open_obligations("notify_school_owner"):
        reason = (
            f"case {ctx.case.number} cannot be closed while the school owner has not been notified; "
            "fire 'notify_school_owner' first."
        )
        raise case_refusal(ctx, reason)


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
    """§ 12-5: the accused employee never investigates their own case."""
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


RULES: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (
        conclusion_safe_requires_feels_safe,
        pupil_feels_safe_to_close,
        school_owner_notified_before_close,
        plan_evaluation_date,
        next_evaluation_date,
        accused_not_responsible,
        corrects_existing_event,
        enforcement_open,
    )
}
