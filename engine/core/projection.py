"""The case derived from its log: what each step records it did, and the replay that checks the rows.

Every event since migration 0006 carries its *effects*, hashed with it: the case's identity (the first
event: workflow, version, school, school year, number, pupil ref, opened), the case fields and
attributes it set, the duties it created (deadline, responsible role, key, first escalation time, as
computed from the calendars and configuration of that moment), met or escalated (level and next time),
the messages it queued (recipient, kind, a hash of the payload) and the parties it added. Nothing of it
is free text, so a case whose documents were erased still replays.

:func:`replay` folds a log through its workflow pack (state continuity, each trigger allowed from the
state it fired in, ``closed_at`` from the pack's final states) into a :class:`Projection`;
:func:`differences` compares that with the stored rows and names every field that differs. Events
recorded before effects existed are replayed as far as the plain log shows (state, version, head,
dates, escalation levels); such a projection is ``partial`` and compares only what it knows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aktivitetsplikt.engine.core.chain import ERASURE_TRIGGER, canonical_json
from aktivitetsplikt.engine.core.model import Case, Obligation, OutboxMessage, Party
from aktivitetsplikt.engine.core.seal import ERASED
from aktivitetsplikt.engine.core.spec import WorkflowSpec

ESCALATED = "escalated"
"""The trigger of the sweep's ladder steps (``core.escalation.TRIGGER``; kept here to avoid a cycle)."""
CASE_FIELDS = ("serious", "responsible")
IDENTITY = ("workflow", "workflow_version", "school", "school_year", "number", "pupil", "opened_at")


def instant(value: datetime | None) -> str | None:
    """An instant as the effects record it: ISO 8601 in UTC, whatever zone it was computed in."""
    return None if value is None else value.astimezone(UTC).isoformat()


def _at(value: str | None) -> datetime | None:
    """An instant of the effects, back as an aware datetime (compared with the rows as instants)."""
    return None if value is None else datetime.fromisoformat(value)


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


# --- recording --------------------------------------------------------------------------------------------


def _set(before: Case | None, after: Case) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for name in CASE_FIELDS:
        value = getattr(after, name)
        if before is None or getattr(before, name) != value:
            changed[name] = value
    old = {} if before is None else before.attributes
    attributes = {k: v for k, v in after.attributes.items() if k not in old or old[k] != v}
    if attributes:
        changed["attributes"] = attributes
    return changed


def effects_of(
    before: Case | None,
    after: Case,
    *,
    created: Sequence[Obligation] = (),
    satisfied: Sequence[Obligation] = (),
    escalated: Sequence[Obligation] = (),
    messages: Sequence[OutboxMessage] = (),
    parties: Iterable[Party] = (),
) -> dict[str, Any]:
    """What a step did, as its event records it; ``before`` is None for the step that opens the case."""
    effects: dict[str, Any] = {}
    if before is None:
        effects["case"] = {
            "workflow": after.workflow,
            "workflow_version": after.workflow_version,
            "school": after.school,
            "school_year": after.school_year,
            "number": after.number,
            "pupil": after.pupil,
            "opened_at": instant(after.opened_at),
        }
    changed = _set(before, after)
    if changed:
        effects["set"] = changed
    if before is not None:
        removed = sorted(set(before.attributes) - set(after.attributes))
        if removed:
            effects["unset"] = removed
    if created:
        effects["created"] = [
            {
                "id": o.id,
                "kind": o.kind,
                "due_at": instant(o.due_at),
                "role": o.responsible_role,
                "key": o.key,
                "next_at": instant(o.next_escalation_at),
            }
            for o in created
        ]
    if satisfied:
        effects["met"] = [{"id": o.id, "at": instant(o.satisfied_at)} for o in satisfied]
    if escalated:
        effects["escalated"] = [
            {"id": o.id, "level": o.escalation_level, "next_at": instant(o.next_escalation_at)} for o in escalated
        ]
    if messages:
        effects["messages"] = [_message(m) for m in messages]
    listed = sorted({(p.relation, p.person) for p in parties})
    if listed:
        effects["parties"] = [list(p) for p in listed]
    return effects


def _message(m: OutboxMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind,
        "role": m.recipient_role,
        "address": m.address,
        "obligation": m.obligation,
        "obligation_id": m.obligation_id,
        "level": m.level,
        "payload": payload_hash(m.payload),
    }


# --- replaying ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One stored field that is not what the log says (or a step the workflow does not allow)."""

    field: str
    """Where: ``cases.school``, ``obligations.<id>.due_at``, ``outbox.<id>``, ``case_parties``, ``log.<seq>``."""
    stored: Any
    derived: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "stored": self.stored, "derived": self.derived}


@dataclass
class Projection:
    """The case as its log says it is. A key missing from a mapping is unknown (a partial replay)."""

    case: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    duties: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    parties: set[tuple[str, str]] = field(default_factory=set)
    unsealed: int = 0
    """Events recorded before effects existed: the projection knows only what the plain log shows."""
    log: list[Difference] = field(default_factory=list)
    """Steps the workflow does not allow where they stand in the log."""

    @property
    def partial(self) -> bool:
        return self.unsealed > 0


SpecOf = Callable[[str, str], WorkflowSpec | None]


def replay(events: Sequence[Any], spec_of: SpecOf, stored: Case) -> Projection:
    """Fold the log through its workflow pack. ``stored`` names the workflow only when the first event
    carries no identity (recorded before effects)."""
    p = Projection()
    if not events:
        return p
    first = events[0].effects
    identity = first.get("case") if first else None
    if identity is not None:
        p.case.update(identity)
        spec = spec_of(identity["workflow"], identity["workflow_version"])
    else:
        spec = spec_of(stored.workflow, stored.workflow_version)
    p.case |= {
        "opened_at": events[0].at if identity is None else _at(identity["opened_at"]),
        "occurred_at": events[0].occurred_at,
        "closed_at": None,
    }
    if identity is not None:
        p.case |= {"serious": False, "responsible": None}
    state: str | None = None
    for event in events:
        _step(p, spec, state, event)
        state = event.to_state
    last = events[-1]
    p.case |= {"state": state, "version": last.seq, "last_seq": last.seq, "head_hash": last.hash}
    return p


def _step(p: Projection, spec: WorkflowSpec | None, state: str | None, event: Any) -> None:
    if spec is not None:
        _check_step(p, spec, state, event)
    if event.trigger == ERASURE_TRIGGER:  # the engine's own step: the case keeps only a tombstone of its pupil
        p.case["pupil"] = ERASED
        return
    effects: dict[str, Any] | None = event.effects
    if effects is None:
        p.unsealed += 1
        if event.trigger == ESCALATED:  # a legacy ladder step still says which duty and level
            duty = p.duties.setdefault(str(event.document.get("obligation_id")), {})
            duty["escalation_level"] = event.document.get("level")
        return
    changed = effects.get("set", {})
    for name in CASE_FIELDS:
        if name in changed:
            p.case[name] = changed[name]
    p.attributes.update(changed.get("attributes", {}))
    for name in effects.get("unset", ()):
        p.attributes.pop(name, None)
    for made in effects.get("created", ()):
        p.duties[made["id"]] = {
            "kind": made["kind"],
            "due_at": _at(made["due_at"]),
            "responsible_role": made["role"],
            "created_seq": event.seq,
            "satisfied_at": None,
            "satisfied_by_seq": None,
            "escalation_level": None,
            "next_escalation_at": _at(made["next_at"]),
            "key": made["key"],
        }
    for done in effects.get("met", ()):
        duty = p.duties.setdefault(done["id"], {})
        duty |= {"satisfied_at": _at(done["at"]), "satisfied_by_seq": event.seq, "next_escalation_at": None}
    for step in effects.get("escalated", ()):
        duty = p.duties.setdefault(step["id"], {})
        duty |= {"escalation_level": step["level"], "next_escalation_at": _at(step["next_at"])}
    for m in effects.get("messages", ()):
        p.messages[m["id"]] = {
            "kind": m["kind"],
            "recipient_role": m["role"],
            "address": m["address"],
            "obligation": m["obligation"],
            "obligation_id": m["obligation_id"],
            "level": m["level"],
            "created_at": event.at,
            "payload": m["payload"],
        }
    p.parties.update((relation, person) for relation, person in effects.get("parties", ()))


@dataclass(frozen=True)
class _Rules:
    """What a replay asks of a workflow, looked up once per spec: where each trigger may fire (None: it
    opens the case) and which states are final."""

    sources: dict[str, frozenset[str] | None]
    final: dict[str, bool]


_RULES: dict[int, tuple[WorkflowSpec, _Rules]] = {}


def _rules(spec: WorkflowSpec) -> _Rules:
    cached = _RULES.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    sources = {t.trigger: None if t.creates_case else frozenset(spec.source_states(t)) for t in spec.transitions}
    rules = _Rules(sources, {state.id: state.final for state in spec.states})
    _RULES[id(spec)] = (spec, rules)
    return rules


def _check_step(p: Projection, spec: WorkflowSpec, state: str | None, event: Any) -> None:
    rules = _rules(spec)
    if event.from_state != state:
        p.log.append(Difference(f"log.{event.seq}.from_state", event.from_state, state))
    if event.trigger in (ESCALATED, ERASURE_TRIGGER):  # steps of the engine's own, in place
        if event.to_state != event.from_state:
            p.log.append(Difference(f"log.{event.seq}.to_state", event.to_state, event.from_state))
    elif event.trigger not in rules.sources or (
        (sources := rules.sources[event.trigger]) is not None and (event.from_state or "") not in sources
    ):
        p.log.append(Difference(f"log.{event.seq}.trigger", event.trigger, None))
    final = rules.final.get(event.to_state)
    if final is None:
        p.log.append(Difference(f"log.{event.seq}.to_state", event.to_state, None))
        return
    p.case["closed_at"] = (p.case.get("closed_at") or event.at) if final else None


# --- comparing ----------------------------------------------------------------------------------------------


def _shown(value: Any) -> Any:
    return instant(value) if isinstance(value, datetime) else value


def differences(
    p: Projection,
    case: Case,
    messages: Sequence[OutboxMessage] | None,
    parties: Sequence[Party] | None,
) -> list[Difference]:
    """Every stored field of the case, its duties, messages (``None``: not loaded) and parties that is not
    what the log says. A partial projection compares only what it knows and reports no extra rows."""
    found = list(p.log)
    for name, derived in p.case.items():
        if name == "pupil" and isinstance(derived, dict):
            continue  # erased: the log keeps only its hash, the row a tombstone
        stored = getattr(case, name)
        if stored != derived:
            found.append(Difference(f"cases.{name}", _shown(stored), _shown(derived)))
    found += _attributes(p, case)
    found += _duties(p, case.obligations)
    if messages is not None:
        found += _messages(p, messages)
    if parties is not None and not p.partial:
        stored_parties = {(party.relation, party.person) for party in parties}
        for extra in sorted(stored_parties - p.parties):
            found.append(Difference("case_parties", list(extra), None))
        for lost in sorted(p.parties - stored_parties):
            found.append(Difference("case_parties", None, list(lost)))
    return found


def _attributes(p: Projection, case: Case) -> list[Difference]:
    found = []
    names = p.attributes.keys() if p.partial else p.attributes.keys() | case.attributes.keys()
    for name in sorted(names):
        stored, derived = case.attributes.get(name), p.attributes.get(name)
        if stored != derived:
            found.append(Difference(f"cases.attributes.{name}", stored, derived))
    return found


def _duties(p: Projection, stored: Sequence[Obligation]) -> list[Difference]:
    return _rows("obligations", p.duties, {o.id: o for o in stored}, partial=p.partial)


def _messages(p: Projection, stored: Sequence[OutboxMessage]) -> list[Difference]:
    return _rows("outbox", p.messages, {m.id: m for m in stored}, partial=p.partial)


def _rows(table: str, derived: dict[str, dict[str, Any]], by_id: dict[str, Any], *, partial: bool) -> list[Difference]:
    """Rows the log made, field by field (a message's payload by its hash); rows it did not make (unless
    the projection is partial). The audit runs this for every case: no call per field."""
    found = []
    for row_id, fields in derived.items():
        row = by_id.get(row_id)
        if row is None:
            found.append(Difference(f"{table}.{row_id}", None, fields.get("kind", "?")))
            continue
        for name, expected in fields.items():
            stored = payload_hash(row.payload) if name == "payload" else getattr(row, name)
            if stored != expected:
                found.append(Difference(f"{table}.{row_id}.{name}", _shown(stored), _shown(expected)))
    if not partial:
        for row_id in sorted(by_id.keys() - derived.keys()):
            found.append(Difference(f"{table}.{row_id}", by_id[row_id].kind, None))
    return found
