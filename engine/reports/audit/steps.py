"""The ``steps`` check: each step the case's progress proves was taken is documented.

A case's log is read in cycles: a report (the creating step) or a reopening, and the handling that
followed it. In each cycle the steps the pack's profile requires for the states reached must be there
with their essential fields, and a cycle that ended in a final state must have been closed by one of
the profile's closing steps. Every recurring duty (the evaluations) that fell due while it was open
must have been met by its documented step.
"""

from __future__ import annotations

from collections.abc import Sequence

from aktivitetsplikt.engine.core.audit_profile import RecurringDuty
from aktivitetsplikt.engine.core.i18n import _
from aktivitetsplikt.engine.core.model import Event, Obligation, iso
from aktivitetsplikt.engine.core.texts import deadline
from aktivitetsplikt.engine.reports.audit.model import Tally
from aktivitetsplikt.engine.reports.audit.review import Review, document

MISSING = "step_missing"


def check_steps(r: Review) -> Tally:
    split = cycles(r.events, r.plan.reopening)
    ok = of = 0
    for index, cycle in enumerate(split):
        reached = {e.to_state for e in cycle}
        if index == len(split) - 1:
            reached.add(r.case.state)  # the projection too: a removed last event still counts
        taken: dict[str, list[Event]] = {}
        for event in cycle:
            taken.setdefault(event.trigger, []).append(event)
        for step, code in _required_steps(r, cycle, first=index == 0, reached=reached):
            ok += _require_step(r, taken.get(step, []), step, code)
            of += 1
        if reached & r.plan.finals and r.plan.profile.closing_steps:
            ok += _require_closing(r, cycle)
            of += 1
        before = _require_before_closing(r, cycle)
        ok, of = ok + before.ok, of + before.of
    recurring = _require_recurring(r) + _require_own_steps(r)
    return Tally(ok + recurring.ok, of + recurring.of)


def cycles(events: Sequence[Event], reopening: frozenset[str]) -> list[list[Event]]:
    """The log split at each reopening: every cycle is a report and the handling that followed it."""
    cycles: list[list[Event]] = [[]]
    for event in events:
        if event.trigger in reopening and cycles[-1]:
            cycles.append([])
        cycles[-1].append(event)
    return cycles


def _required_steps(r: Review, cycle: Sequence[Event], *, first: bool, reached: set[str]) -> list[tuple[str, str]]:
    """The cycle's opening step, then each step the profile requires for a state the cycle reached, each
    with the code of its absence."""
    steps = [(r.plan.creating if first else cycle[0].trigger, MISSING)]
    for required in r.plan.profile.required_steps:
        if (first or not required.first_cycle_only) and reached.intersection(required.when_reached):
            steps.append((required.trigger, required.code))
    return steps


def _require_step(r: Review, taken: Sequence[Event], step: str, code: str = MISSING) -> bool:
    if not taken:
        r.find("steps", code, _("«%(step)s» is not documented.") % {"step": r.plan.step_label(step)}, step=step)
        return False
    return any(not r.missing(e) for e in taken) or r.documented(taken[0])


def _require_closing(r: Review, cycle: Sequence[Event]) -> bool:
    """The last step into a final state is one of the profile's closing steps, with the values it needs."""
    finals, closings = r.plan.finals, r.plan.profile.closing_steps
    into_final = [e for e in cycle if e.to_state in finals and e.from_state not in finals]
    if not into_final:
        label = _("The case is closed, but the closing is not documented.")
        r.find("steps", "step_missing", label, step=closings[0].trigger)
        return False
    event = into_final[-1]
    doc = document(event)
    for closing in closings:
        if event.trigger == closing.trigger and all(doc.get(k) == v for k, v in closing.when.items()):
            r.apart = closing.listed_apart or r.apart
            return r.documented(event) if closing.documented else True
    step, pupil = r.plan.step_label(event.trigger), r.plan.words.pupil
    said = {"step": step, "seq": event.seq, "pupil": pupil}
    label = _("The case was closed by «%(step)s» (event %(seq)s) without %(pupil)s being found safe.") % said
    r.find("steps", "closed_without_closing_step", label, step=event.trigger, seq=event.seq)
    return False


def _require_recurring(r: Review) -> Tally:
    """A documented step for every recurring duty that fell due while it was open (the evaluations)."""
    ok = of = 0
    by_seq: dict[int, Event] | None = None
    for recurring in r.plan.profile.recurring:
        for duty in r.case.obligations:
            if duty.kind != recurring.duty:
                continue
            if by_seq is None:
                by_seq = {e.seq: e for e in r.events}
            event = by_seq.get(duty.satisfied_by_seq) if duty.satisfied_by_seq is not None else None
            if event is not None and event.trigger == recurring.trigger:
                ok += r.documented(event)
                of += 1
                continue
            ended = duty.satisfied_at if duty.satisfied_at is not None else r.now
            if duty.due_at > ended:
                continue  # closed or replaced by a revised plan before its date, or not due yet
            _find_missing(r, recurring, duty)
            of += 1
    return Tally(ok, of)


def _find_missing(r: Review, recurring: RecurringDuty, duty: Obligation) -> None:
    said = {"due": deadline(duty.due_at, r.calendar.tz), "what": r.plan.duty_label(duty.kind)}
    if recurring.occurrence is not None:
        label = _("%(what)s, to be held by %(due)s, is not documented.") % (said | {"what": recurring.occurrence})
    else:
        label = _("«%(what)s» with the deadline %(due)s is not documented.") % said
    r.find("steps", "evaluation_missing", label, step=recurring.trigger, due_at=iso(duty.due_at))


def _require_before_closing(r: Review, cycle: Sequence[Event]) -> Tally:
    """A closing of the cycle had the step it needs after the latest of the steps it follows (the plan
    evaluated before the case closed)."""
    ok = of = 0
    for demand in r.plan.profile.before_closing:
        for event in cycle:
            doc = document(event)
            if event.trigger != demand.closing or any(doc.get(k) != v for k, v in demand.when.items()):
                continue
            earlier = [e for e in cycle if e.seq < event.seq]
            latest = max((e.seq for e in earlier if e.trigger in demand.after), default=None)
            if latest is None:
                continue
            of += 1
            if any(e.trigger == demand.trigger and e.seq > latest for e in earlier):
                ok += 1
                continue
            step, need = r.plan.step_label(event.trigger), r.plan.step_label(demand.trigger)
            said = {"step": step, "seq": event.seq, "need": need, "after": latest}
            label = _("«%(step)s» (event %(seq)s) came without «%(need)s» after event %(after)s.") % said
            r.find("steps", demand.code, label, step=event.trigger, seq=event.seq, after_seq=latest)
    return Tally(ok, of)


def _require_own_steps(r: Review) -> Tally:
    """Each duty the profile names was met by one of its own steps, never by another (a closing)."""
    if not r.plan.profile.own_steps:
        return Tally()
    by_seq = {e.seq: e for e in r.events}
    ok = of = 0
    for duty in r.case.obligations:
        steps = r.plan.profile.own_steps.get(duty.kind)
        if steps is None or duty.satisfied_by_seq is None:
            continue
        of += 1
        event = by_seq.get(duty.satisfied_by_seq)
        if event is None or event.trigger in steps:
            ok += 1
            continue
        what, step = r.plan.duty_label(duty.kind), r.plan.step_label(event.trigger)
        said = {"what": what, "step": step, "seq": event.seq}
        label = _("«%(what)s» was counted as done by «%(step)s» (event %(seq)s), not by its own step.") % said
        r.find("steps", "duty_met_without_its_step", label, kind=duty.kind, seq=event.seq, step=event.trigger)
    return Tally(ok, of)
