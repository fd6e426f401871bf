"""The per-case hash chain over the event log: sha256 of the previous hash and the event's canonical JSON.

A changed, removed or reordered event breaks the chain from that point on; ``verify`` names the first
broken link.

Two formats live side by side, per event. Format 1 (events recorded before seals, ``seal`` NULL) hashes
the document itself. Format 2 (every event since) hashes the document's skeleton instead, in which each
free-text value counts by its own salted hash (``core.seal``): erasing free text leaves that hash
behind, so an erased case's chain still verifies. An event whose text was erased must be listed, with
its hash, by a later erasure event of the same case; an event of format 1 that was erased is checked by
its link and that listing alone (its own hash covered the text that is gone).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aktivitetsplikt.engine.core.seal import canonical_json, is_erased, is_legacy, skeleton

__all__ = [
    "ERASURE_LABELS",
    "ERASURE_TRIGGER",
    "GENESIS",
    "ChainVerdict",
    "canonical_json",
    "event_hash",
    "verify_chain",
]

GENESIS = "0" * 64
ERASURE_TRIGGER = "erased"
"""The trigger of the event an erasure appends: ``document.events`` lists each erased event's seq and hash."""
ERASURE_LABELS = {"nb": "Innhold slettet", "nn": "Innhald sletta"}
"""What the erasure step is called where a dossier or a timeline shows it."""


def sealed_effects(case_id: str, effects: dict[str, Any]) -> dict[str, Any]:
    """The effects as the chain hashes them: the pupil ref of the case's identity by its hash (salted with
    the case id), so erasing the ref leaves its hash behind and the chain still verifies."""
    identity = effects.get("case")
    if not isinstance(identity, dict) or "pupil" not in identity:
        return effects
    pupil = identity["pupil"]
    if not isinstance(pupil, dict):  # the ref itself, not yet a tombstone of it
        pupil = {"sha256": hashlib.sha256(f"{case_id}:{pupil}".encode()).hexdigest()}
    return effects | {"case": identity | {"pupil": pupil}}


def event_hash(
    prev_hash: str,
    *,
    case_id: str,
    seq: int,
    at: datetime,
    occurred_at: datetime,
    actor_id: str,
    actor_role: str,
    trigger: str,
    from_state: str | None,
    to_state: str,
    document: dict[str, Any],
    seal: dict[str, str] | None = None,
    effects: dict[str, Any] | None = None,
) -> str:
    """The hash of an event; with a ``seal`` (format 2) it covers the document's skeleton, each free-text
    value by its own salted hash; with ``effects`` also what the step did to the case's projection."""
    content: dict[str, Any] = (
        {"document": document} if seal is None else {"chain": 2, "skeleton": skeleton(document, seal)}
    )
    if effects is not None:  # events recorded before effects were (migration 0006) hash as they did
        content["effects"] = sealed_effects(case_id, effects)
    body = canonical_json(
        content
        | {
            "case_id": case_id,
            "seq": seq,
            "at": at.isoformat(),
            "occurred_at": occurred_at.isoformat(),
            "actor_id": actor_id,
            "actor_role": actor_role,
            "trigger": trigger,
            "from_state": from_state,
            "to_state": to_state,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainVerdict:
    """The result of checking a case's log: intact, or the first seq where it breaks and why."""

    case_id: str
    events: int
    intact: bool
    broken_at: int | None = None
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "events": self.events,
            "intact": self.intact,
            "broken_at": self.broken_at,
            "problem": self.problem,
        }


def erased_events(events: Sequence[Any]) -> dict[int, str]:
    """Seq -> hash of every event that an erasure event of the log lists as erased."""
    listed: dict[int, str] = {}
    for event in events:
        if event.trigger == ERASURE_TRIGGER:
            for item in event.document.get("events", []):
                seq = item.get("seq") if isinstance(item, dict) else None
                if isinstance(seq, int) and seq < event.seq:
                    listed[seq] = str(item.get("hash"))
    return listed


def _recomputed(prev: str, event: Any) -> str | None:
    seal = getattr(event, "seal", None)
    if is_legacy(seal):
        return str(event.hash)  # format 1, erased: its own hash covered the text; the link and listing remain
    try:
        return event_hash(
            prev,
            case_id=event.case_id,
            seq=event.seq,
            at=event.at,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_role=event.actor_role,
            trigger=event.trigger,
            from_state=event.from_state,
            to_state=event.to_state,
            document=event.document,
            seal=seal,
            effects=getattr(event, "effects", None),
        )
    except (KeyError, IndexError, TypeError, ValueError):  # a seal naming a value the document lacks
        return None


def verify_chain(case_id: str, events: Sequence[Any], head_hash: str | None = None) -> ChainVerdict:
    """Recompute every link; ``head_hash`` (kept on the case) also catches a removed last event."""
    prev = GENESIS
    listed = erased_events(events)
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return ChainVerdict(case_id, len(events), False, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != prev:
            return ChainVerdict(case_id, len(events), False, event.seq, "the link to the previous event is broken")
        if is_erased(getattr(event, "seal", None)) and listed.get(event.seq) != event.hash:
            return ChainVerdict(case_id, len(events), False, event.seq, "text was erased without an erasure event")
        if _recomputed(prev, event) != event.hash:
            return ChainVerdict(case_id, len(events), False, event.seq, "the event was changed after it was recorded")
        prev = event.hash
    if head_hash is not None and head_hash != prev:
        return ChainVerdict(case_id, len(events), False, len(events) + 1, "events after the last one were removed")
    return ChainVerdict(case_id, len(events), True)
