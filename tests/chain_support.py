"""Hashing an event again in a test, exactly as the engine's chain does (``chain.event_hash``), so a test
that rewrites or fakes a log follows every field the chain covers (document or seal, effects)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aktivitetsplikt.engine.core.chain import event_hash
from aktivitetsplikt.engine.core.model import Event


def rehash(event: Event, prev_hash: str, **changes: Any) -> str:
    """The hash of ``event`` with ``changes`` (any of its fields) chained after ``prev_hash``."""
    e = replace(event, **changes)
    return event_hash(
        prev_hash,
        case_id=e.case_id,
        seq=e.seq,
        at=e.at,
        occurred_at=e.occurred_at,
        actor_id=e.actor_id,
        actor_role=e.actor_role,
        trigger=e.trigger,
        from_state=e.from_state,
        to_state=e.to_state,
        document=e.document,
        seal=e.seal,
        effects=e.effects,
    )
