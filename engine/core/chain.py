"""The per-case hash chain over the event log: sha256 of the previous hash and the event's canonical JSON.

A changed, removed or reordered event breaks the chain from that point on; ``verify`` names the first
broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


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
    effects: dict[str, Any] | None = None,
) -> str:
    fields: dict[str, Any] = {}
    if effects is not None:  # events recorded before effects were (migration 0005) hash as they did
        fields["effects"] = sealed_effects(case_id, effects)
    body = canonical_json(
        fields
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
            "document": document,
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


def verify_chain(case_id: str, events: Sequence[Any], head_hash: str | None = None) -> ChainVerdict:
    """Recompute every link; ``head_hash`` (kept on the case) also catches a removed last event."""
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return ChainVerdict(case_id, len(events), False, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != prev:
            return ChainVerdict(case_id, len(events), False, event.seq, "the link to the previous event is broken")
        recomputed = event_hash(
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
            effects=getattr(event, "effects", None),
        )
        if recomputed != event.hash:
            return ChainVerdict(case_id, len(events), False, event.seq, "the event was changed after it was recorded")
        prev = event.hash
    if head_hash is not None and head_hash != prev:
        return ChainVerdict(case_id, len(events), False, len(events) + 1, "events after the last one were removed")
    return ChainVerdict(case_id, len(events), True)
