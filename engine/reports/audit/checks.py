"""The ``deadlines``, ``pupil_heard``, ``school_owner`` and ``chain`` checks of one case.

- ``deadlines``: every duty met by its deadline, or how many days late on the unit's own calendar
  (school days at a school, working days at a kindergarten);
- ``pupil_heard``: the voice of the person the case is about in every step the profile names;
- ``school_owner``: the owner told when the case was assessed serious, and always when the creating step
  itself makes the notice a duty;
- ``chain``: the event log is as it was recorded (the hash chain).

The check names and the detail keys are the audit files' contract and keep their school names.
"""

from __future__ import annotations

import weakref
from datetime import date, datetime, time

from aktivitetsplikt.engine.core import texts
from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.core.chain import ChainVerdict, verify_chain
from aktivitetsplikt.engine.core.i18n import N_, _
from aktivitetsplikt.engine.core.model import iso
from aktivitetsplikt.engine.core.texts import deadline, moment
from aktivitetsplikt.engine.reports.audit.model import Tally
from aktivitetsplikt.engine.reports.audit.review import Review, capital, document, filled, possessive
from aktivitetsplikt.engine.reports.audit.steps import cycles

ALWAYS_KEY = "section_12_5"
"""The detail key that says the owner is always told: the name audit files have always used for it."""
CHAIN_PROBLEMS = {
    "the link to the previous event is broken": N_("the link to the previous event is broken"),
    "the event was changed after it was recorded": N_("the event was changed after it was recorded"),
    "events after the last one were removed": N_("events after the last one were removed"),
}
_LATE: weakref.WeakKeyDictionary[SchoolCalendar, dict[tuple[date, bool, date, bool], int]] = weakref.WeakKeyDictionary()
_MIDNIGHT = time(0)


def school_days_late(calendar: SchoolCalendar, due: datetime, actual: datetime) -> int:
    """``calendar.school_days_late(due, actual)``, remembered per calendar.

    The count depends only on the two local dates and on whether each instant is exactly midnight (a
    counted day counts when its start lies in ``[due, actual)``), so a school year of overdue duties
    costs a few hundred calendar walks, not one per duty.
    """
    if actual <= due:
        return 0
    d, a = calendar.local(due), calendar.local(actual)
    key = (d.date(), d.time() == _MIDNIGHT, a.date(), a.time() == _MIDNIGHT)
    known = _LATE.setdefault(calendar, {})
    days = known.get(key)
    if days is None:
        days = known[key] = calendar.school_days_late(due, actual)
    return days


def check_deadlines(r: Review) -> tuple[Tally, tuple[int, ...]]:
    met = counted = 0
    late: list[int] = []
    zone, words = r.calendar.tz, r.plan.words
    for duty in r.case.obligations:
        done = duty.satisfied_at
        if done is None and duty.due_at > r.now:
            continue  # open and not yet due: nothing to judge
        counted += 1
        if done is not None and done <= duty.due_at:
            met += 1
            continue
        days = school_days_late(r.calendar, duty.due_at, done or r.now)
        late.append(days)
        lateness = texts.late(duty.due_at, done or r.now, zone, days, words.day)
        said = {"what": r.plan.duty_label(duty.kind), "due": deadline(duty.due_at, zone), "late": lateness}
        detail = {"kind": duty.kind, "due_at": iso(duty.due_at), "satisfied_at": iso(done), "school_days_late": days}
        if done is None:
            label = _("«%(what)s» is not done; the deadline (%(due)s) is %(late)s overdue.") % said
            r.find("deadlines", "deadline_overdue", label, **detail)
        else:
            said["done"] = moment(done, zone)
            label = _("«%(what)s» was done %(done)s, %(late)s after the deadline (%(due)s).") % said
            r.find("deadlines", "deadline_late", label, **detail)
    return Tally(met, counted), tuple(late)


def check_voice(r: Review) -> Tally:
    """Each step the profile names keeps the own views of the pupil (or child) the case is about."""
    heard = occasions = 0
    whose = capital(possessive(r.plan.words.pupil))
    for event in r.events:
        voice = r.plan.voice.get(event.trigger)
        if voice is None or any(document(event).get(k) != v for k, v in voice.when.items()):
            continue
        occasions += 1
        value = document(event).get(voice.field)
        if voice.subfield is not None:
            value = value.get(voice.subfield) if isinstance(value, dict) else None
        if filled(value):
            heard += 1
            continue
        said = {"whose": whose, "pupil": r.plan.words.pupil, "step": r.plan.step_label(event.trigger), "seq": event.seq}
        label = _("%(whose)s own voice is missing in «%(step)s» (event %(seq)s).") % said
        r.find("pupil_heard", "pupil_not_heard", label, step=event.trigger, seq=event.seq)
    return Tally(heard, occasions)


def _head_replaced(r: Review) -> bool:
    """The head of the unit is taken out of the case (the leadership accused): their notice went to the owner."""
    flag = r.plan.spec.principal_replaced_when
    if flag is None:
        return False
    reports = (e for e in r.events if e.trigger in r.plan.opening)
    return r.case.attributes.get(flag) is True or any(document(e).get(flag) is True for e in reports)


def check_owner(r: Review) -> Tally:
    """The owner was told when the case is serious, or always when the workflow says so from the start."""
    notice = r.plan.profile.owner_notice
    if notice is None:
        return Tally()
    always = r.plan.always_notify
    assessed = notice.serious_trigger is not None and any(
        e.trigger == notice.serious_trigger and document(e).get(notice.serious_field or "") is True for e in r.events
    )
    serious = r.case.serious or assessed
    if not (always or serious):
        return Tally()
    notices = set(notice.notice_triggers)
    if _head_replaced(r):
        notices.update(notice.replaced_notice_triggers)
    if notice.per_cycle:
        return _owner_per_cycle(r, notices, always=always)
    if any(e.trigger in notices and filled(document(e).get(notice.notified_field)) for e in r.events):
        return Tally(1, 1)
    if any(o.kind == notice.duty and o.open and o.due_at > r.now for o in r.case.obligations):
        return Tally()  # the notice is not due yet
    label = _not_notified(r, always=always)
    r.find("school_owner", "school_owner_not_notified", label, serious=serious, **{ALWAYS_KEY: always})
    return Tally(0, 1)


def _owner_per_cycle(r: Review, notices: set[str], *, always: bool) -> Tally:
    """Every cycle that needs the owner told (any under ``always``, else one assessed serious) has its own
    notice; with the head replaced, a reopening's own notice to the head went to the owner."""
    notice = r.plan.profile.owner_notice
    assert notice is not None
    replaced = _head_replaced(r)
    needed = missing = 0
    for index, cycle in enumerate(cycles(r.events, r.plan.reopening)):
        serious = any(
            e.trigger == notice.serious_trigger and document(e).get(notice.serious_field or "") is True for e in cycle
        )
        if not (always or serious):
            continue
        told = any(e.trigger in notices and filled(document(e).get(notice.notified_field)) for e in cycle)
        if told or (replaced and index > 0 and cycle[0].trigger in r.plan.head_noticed):
            needed += 1
            continue
        first = cycle[0].seq
        pending = any(
            o.kind == notice.duty and o.open and o.due_at > r.now and o.created_seq >= first for o in r.case.obligations
        )
        if pending:
            continue  # this cycle's notice is not due yet
        needed, missing = needed + 1, missing + 1
        owner = capital(r.plan.words.roles["school_owner"])
        if index == 0:
            label = _not_notified(r, always=always)
            r.find("school_owner", "school_owner_not_notified", label, serious=serious, **{ALWAYS_KEY: always})
        else:
            said = {"owner": owner, "seq": first}
            label = _("%(owner)s is not notified of what was reported anew in event %(seq)s.") % said
            r.find("school_owner", "school_owner_not_notified_in_cycle", label, cycle_seq=first, serious=serious)
    return Tally(int(missing == 0), 1) if needed else Tally()


def _not_notified(r: Review, *, always: bool) -> str:
    """The owner was not told of a case the workflow always reports, or of one assessed serious."""
    said = {"owner": capital(r.plan.words.roles["school_owner"]), "section": r.plan.words.section}
    if always:
        return _("%(owner)s is not notified, but the case falls under %(section)s.") % said
    return _("%(owner)s is not notified, but the case is assessed as serious.") % said


def check_chain(r: Review) -> ChainVerdict:
    verdict = verify_chain(r.case.id, r.events, r.case.head_hash)
    if not verdict.intact:
        problem = verdict.problem or ""
        said = {
            "seq": verdict.broken_at,
            "problem": _(CHAIN_PROBLEMS[problem]) if problem in CHAIN_PROBLEMS else problem,
        }
        label = _("The event log is not as it was recorded: at event %(seq)s %(problem)s.") % said
        r.find("chain", "chain_broken", label, broken_at=verdict.broken_at, problem=verdict.problem)
    return verdict
