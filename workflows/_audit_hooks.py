"""The school packs' own audit checks (``AuditProfile.hooks``) for version 2026-12: what no declaration of
the generic audit says (see ``_audit_2026.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from aktivitetsplikt.engine.core.audit_profile import AuditedCase, HookFinding
from aktivitetsplikt.engine.core.documents import each_value
from aktivitetsplikt.engine.core.rules import Event
from aktivitetsplikt.workflows._rules_2026 import instant, voice_bounds
from aktivitetsplikt.workflows._school_2026 import ACCUSED, PERSON_FIELDS


def _heard_at(document: dict[str, object]) -> datetime | None:
    heard = document.get("pupil_heard")
    value = heard.get("at") if isinstance(heard, dict) else None
    return instant(value) if isinstance(value, str) else None


def pupil_heard_in_time(audited: AuditedCase) -> Iterator[HookFinding]:
    """Rule 1: each step's voice of the pupil lies at or after what it must follow in its cycle."""
    cycle: list[Event] = []
    zone = audited.calendar.tz
    for event in audited.events:
        if event.trigger in ("report", "reopen"):
            cycle = []
        heard = _heard_at(event.document)
        bound = next(((t, why) for t, why in voice_bounds(event.trigger, cycle) if heard and heard < t), None)
        if heard is not None and bound is not None:
            label = (
                f"Eleven ble hørt {heard.astimezone(zone):%d.%m.%Y kl. %H:%M}, før det steget må følge "
                f"({bound[0].astimezone(zone):%d.%m.%Y kl. %H:%M}) (hendelse {event.seq})."
            )
            detail = {"step": event.trigger, "seq": event.seq, "earliest": bound[0].isoformat()}
            yield HookFinding("pupil_heard", "pupil_heard_outdated", label, detail)
        cycle.append(event)


def measures_carried_out(audited: AuditedCase) -> Iterator[HookFinding]:
    """Rule 10: a measure that every evaluation of it found not carried out."""
    described: dict[str, str] = {}
    statuses: dict[str, list[str]] = {}
    for event in audited.events:
        for item in event.document.get("measures") or []:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            if event.trigger in ("adopt_plan", "revise_plan"):
                described[item["id"]] = str(item.get("description", ""))
            elif event.trigger == "evaluate":
                statuses.setdefault(item["id"], []).append(str(item.get("status")))
    for measure, found in statuses.items():
        if found and all(status == "not_carried_out" for status in found):
            what = described.get(measure, measure)
            label = f"Tiltaket «{what}» ({measure}) er ikke gjennomført ved noen av {len(found)} evalueringer."
            yield HookFinding(
                "steps", "measure_not_carried_out", label, {"measure": measure, "evaluations": len(found)}
            )


def accused_kept_out(audited: AuditedCase) -> Iterator[HookFinding]:
    """Rule 6: the accused took no step, and was neither the case's responsible nor a measure's, under any
    ref of theirs (§ 12-5: an employee never handles their own case)."""
    accused = audited.case.attributes.get(ACCUSED)
    if not isinstance(accused, str):
        return
    key = audited.person(accused) or accused
    for event in audited.events:
        named = [("actor_id", event.actor_id), *each_value(event.document, PERSON_FIELDS)]
        for field, ref in named:
            if not isinstance(ref, str) or (audited.person(ref) or ref) != key:
                continue
            where = "tok steget" if field == "actor_id" else f"står som {field} i"
            label = f"Den meldte ansatte ({ref}) {where} «{event.trigger}» (hendelse {event.seq})."
            yield HookFinding("steps", "accused_took_part", label, {"seq": event.seq, "field": field})


AUDIT_HOOKS = {hook.__name__: hook for hook in (pupil_heard_in_time, measures_carried_out, accused_kept_out)}
