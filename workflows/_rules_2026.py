"""The named rules version 2026-12 of the school workflows adds (issue "The law, whole", rules 1-4, 7-10).

Rules marked ``@needs_log`` read the case log (``ctx.cycle()``: the events since the report or the latest
reopening); the engine loads it only for their steps. The 2024-08 rules (``_rules.py``) stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from aktivitetsplikt.engine.core.documents import lookup
from aktivitetsplikt.engine.core.rules import Event, Rule, RuleContext, case_refusal, field_problem, needs_log
from aktivitetsplikt.engine.errors import DocumentationMissing, FieldProblem

PLANS = ("adopt_plan", "revise_plan")
PUPIL_SAFE, LEFT_SCHOOL = "pupil_safe", "pupil_left_school"
STEP_NAMES = {"adopt_plan": "plan", "revise_plan": "revision of the plan", "evaluate": "evaluation"}


def instant(value: Any) -> datetime | None:
    """An instant as stored in an event's documentation (ISO 8601 text), or None."""
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _latest(events: Iterable[Event], triggers: Sequence[str]) -> Event | None:
    return next((e for e in reversed(list(events)) if e.trigger in triggers), None)


def voice_bounds(trigger: str, before: Sequence[Event]) -> list[tuple[datetime, str]]:
    """Rule 1: the instants the pupil's voice in a ``trigger`` step may not lie before, each with what it
    follows, given the cycle's events before the step (the report or reopening first)."""
    if trigger == "conclude_investigation" and before:
        return [(before[0].occurred_at, f"the {before[0].trigger} this investigation answers")]
    if trigger == "evaluate":
        latest = _latest(before, (*PLANS, "evaluate"))
        return [] if latest is None else [(latest.occurred_at, f"the latest {STEP_NAMES[latest.trigger]}")]
    if trigger != "close":
        return []
    bounds: list[tuple[datetime, str]] = []
    evaluation = _latest(before, ("evaluate",))
    if evaluation is not None:
        bounds.append((evaluation.occurred_at, "the latest evaluation"))
    unsafe = [
        at
        for e in before
        if isinstance(heard := e.document.get("pupil_heard"), dict) and heard.get("feels_safe") is False
        if (at := instant(heard.get("at"))) is not None
    ]
    if unsafe:
        bounds.append((max(unsafe), "the latest time the pupil said they did not feel safe"))
    return bounds


@needs_log
def voice_of_this_moment(ctx: RuleContext) -> None:
    """Rule 1 (§§ 10-1 and 12-4): the pupil's voice is of this cycle and this moment. The investigation
    hears the pupil at or after the report (or reopening) it answers; an evaluation at or after the latest
    plan, revision or evaluation; closing at or after the latest evaluation, and never before the latest
    time the pupil said they did not feel safe. The refusal names the earliest time allowed."""
    heard = lookup(ctx.document, "pupil_heard.at")
    if not isinstance(heard, datetime):
        return
    for earliest, since in voice_bounds(ctx.trigger, ctx.cycle()):
        if heard < earliest:
            shown = ctx.calendar.local(earliest).isoformat(timespec="minutes")
            problem = f"lies before {since}; hear the pupil again: the earliest time allowed is {shown}"
            raise field_problem(ctx, "pupil_heard.at", problem)


def seriousness_assessed_in_cycle(ctx: RuleContext) -> None:
    """Rule 4: the investigation concludes only when seriousness was assessed in this cycle."""
    since = ctx.cycle_seq
    assessed = [o for o in ctx.case.obligations if o.kind == "assess_seriousness" and o.created_seq >= since]
    if not any(not o.open for o in assessed):
        reason = (
            f"seriousness has not been assessed in this investigation of case {ctx.case.number}; "
            "fire 'assess_seriousness' first."
        )
        raise case_refusal(ctx, reason)


@needs_log
def evaluated_since_plan(ctx: RuleContext) -> None:
    """Rule 2: a case whose pupil feels safe closes only after an evaluation held after the latest plan."""
    if lookup(ctx.document, "closing_reason") != PUPIL_SAFE:
        return
    cycle = ctx.cycle()
    plan = _latest(cycle, PLANS)
    if plan is not None and not any(e.trigger == "evaluate" and e.seq > plan.seq for e in cycle):
        shown = ctx.calendar.local(plan.occurred_at).isoformat(timespec="minutes")
        reason = (
            f"case {ctx.case.number} cannot be closed before the plan of {shown} has been evaluated; "
            "fire 'evaluate' first."
        )
        raise case_refusal(ctx, reason)


def close_reason_documented(ctx: RuleContext) -> None:
    """Rules 1 and 8: closing because the pupil is safe needs the pupil's own word that they feel safe;
    closing because the pupil left the school needs when, and whether the new school was told, which
    only the guardians' consent allows."""
    reason = lookup(ctx.document, "closing_reason")
    problems: list[FieldProblem] = []
    if reason == PUPIL_SAFE:
        if lookup(ctx.document, "pupil_heard") is None:
            problems.append(FieldProblem("pupil_heard", "is required to close because the pupil is safe"))
        elif lookup(ctx.document, "pupil_heard.feels_safe") is not True:
            problem = "must be true to close the case; keep the measures going and evaluate again"
            problems.append(FieldProblem("pupil_heard.feels_safe", problem))
        if lookup(ctx.document, "left_school") is not None:
            problems.append(FieldProblem("left_school", f"is only for closing_reason '{LEFT_SCHOOL}'; remove it"))
    elif lookup(ctx.document, "left_school") is None:
        problems.append(FieldProblem("left_school", f"is required to close with closing_reason '{LEFT_SCHOOL}'"))
    elif lookup(ctx.document, "left_school.new_school_told") and not lookup(
        ctx.document, "left_school.guardians_consented"
    ):
        problem = "must be true when the new school was told; the case is confidential without the guardians' consent"
        problems.append(FieldProblem("left_school.guardians_consented", problem))
    if problems:
        raise DocumentationMissing(ctx.trigger, problems)


def decision_complied_before_close(ctx: RuleContext) -> None:
    """Rule 7: a case cannot close while a measure Statsforvaltaren imposed is not reported done."""
    if not ctx.spec.state(ctx.dest).final:
        return
    open_keys = [o.key or "?" for o in ctx.case.open_obligations("comply_with_decision")]
    if open_keys:
        reason = (
            f"case {ctx.case.number} cannot be closed while measures Statsforvaltaren imposed are open "
            f"({', '.join(open_keys)}); fire 'report_compliance' for each first."
        )
        raise case_refusal(ctx, reason)


def _plan_in_force(ctx: RuleContext) -> list[str]:
    plan = _latest(ctx.cycle(), PLANS)
    measures = plan.document.get("measures") if plan is not None else None
    return [str(m.get("id")) for m in measures or [] if isinstance(m, dict)]


@needs_log
def every_measure_followed_up(ctx: RuleContext) -> None:
    """Rule 10: an evaluation records what became of every measure of the plan in force, each once."""
    current = _plan_in_force(ctx)
    given = [str(lookup(item, "id")) for item in lookup(ctx.document, "measures") or []]
    problems = [
        FieldProblem(
            f"measures.{place}.id", f"'{given[place]}' is not a measure of the plan in force ({', '.join(current)})"
        )
        for place in range(len(given))
        if given[place] not in current
    ]
    problems += [
        FieldProblem(f"measures.{place}.id", f"repeats '{given[place]}'; give each measure once")
        for place in range(len(given))
        if given[place] in given[:place]
    ]
    missing = [m for m in current if m not in given]
    if missing:
        problems.append(FieldProblem("measures", f"lacks {', '.join(missing)}; give the status of every measure"))
    if problems:
        raise DocumentationMissing(ctx.trigger, problems)


@needs_log
def revision_keeps_known_measures(ctx: RuleContext) -> None:
    """Rule 10: a revision keeps a measure by repeating its id; an id the plan in force lacks is a typo."""
    current = _plan_in_force(ctx)
    given = [lookup(item, "id") for item in lookup(ctx.document, "measures") or []]
    problems = [
        FieldProblem(
            f"measures.{place}.id",
            f"'{measure}' is not a measure of the plan in force ({', '.join(current)}); leave the id out for a new one",
        )
        for place, measure in enumerate(given)
        if measure is not None and measure not in current
    ]
    if problems:
        raise DocumentationMissing(ctx.trigger, problems)


RULES_2026: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (
        voice_of_this_moment,
        seriousness_assessed_in_cycle,
        evaluated_since_plan,
        close_reason_documented,
        decision_complied_before_close,
        every_measure_followed_up,
        revision_keeps_known_measures,
    )
}
