"""Checkpoints: every case's head at one instant, under a Merkle root, to be signed and kept outside the
database.

A checkpoint lists each case's head (id, number, unit, school year, opened, last seq, head hash), sorted
by case id, and the Merkle root over them (RFC 6962 style: leaves ``sha256(0x00 || head)``, nodes
``sha256(0x01 || left || right)``, an odd node promoted). Signing is the application's (the key never
enters the database). :func:`compare` checks the database of today against a checkpoint: a case that is
gone, whose log no longer holds the event the checkpoint saw at its head, whose identity changed, or that
appeared with an opening before the checkpoint was taken, is a finding; so is a number reused.
Appending events after the checkpoint is what cases do, and is no finding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from aktivitetsplikt.engine.core.chain import canonical_json

FORMAT = "aktivitetsplikt-checkpoint/1"


@dataclass(frozen=True)
class Head:
    """A case's identity and the last link of its chain."""

    case_id: str
    number: str
    school: str
    school_year: str
    opened_at: str
    last_seq: int
    head_hash: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Head:
        return cls(
            case_id=str(data["case_id"]),
            number=str(data["number"]),
            school=str(data["school"]),
            school_year=str(data["school_year"]),
            opened_at=str(data["opened_at"]),
            last_seq=int(data["last_seq"]),
            head_hash=str(data["head_hash"]),
        )


def _leaf(head: Head) -> bytes:
    return hashlib.sha256(b"\x00" + canonical_json(head.to_json()).encode("utf-8")).digest()


def merkle_root(heads: Sequence[Head]) -> str:
    """The root over the heads in case id order; the root of no case is sha256 of nothing."""
    level = [_leaf(h) for h in sorted(heads, key=lambda h: h.case_id)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        paired = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0].hex()


def body(heads: Iterable[Head], created_at: datetime) -> dict[str, Any]:
    """What is signed: the format, when, how many, the root and every head."""
    ordered = sorted(heads, key=lambda h: h.case_id)
    return {
        "format": FORMAT,
        "created_at": created_at.isoformat(),
        "count": len(ordered),
        "root": merkle_root(ordered),
        "heads": [h.to_json() for h in ordered],
    }


SIGNED = ("format", "created_at", "count", "root")


def signed_bytes(content: Mapping[str, Any]) -> bytes:
    """The bytes the signature covers: format, time, count and root. The root commits to every head
    (:func:`check_file` recomputes it from the heads listed), so 100k heads are not serialised twice."""
    return canonical_json({k: content.get(k) for k in SIGNED}).encode("utf-8")


@dataclass(frozen=True)
class CheckpointFinding:
    """``removed``, ``rewritten``, ``moved`` (identity changed), ``backdated`` (added with an opening before
    the checkpoint), ``number_reused``; or about the file: ``signature``, ``root``, ``format``."""

    code: str
    case_id: str | None = None
    number: str | None = None
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "case_id": self.case_id, "number": self.number, "detail": self.detail}


def check_file(content: Mapping[str, Any]) -> list[CheckpointFinding]:
    """The checkpoint agrees with itself: known format, count and root over the heads it lists."""
    if content.get("format") != FORMAT:
        return [CheckpointFinding("format", detail=f"not a {FORMAT} file")]
    heads = [Head.from_json(h) for h in content.get("heads", [])]
    if content.get("count") != len(heads) or content.get("root") != merkle_root(heads):
        return [CheckpointFinding("root", detail="the heads listed do not give the root that was signed")]
    return []


def compare(
    then: Sequence[Head],
    taken_at: datetime,
    now: Sequence[Head],
    hash_at: Mapping[tuple[str, int], str],
) -> list[CheckpointFinding]:
    """What changed since the checkpoint that the log may not explain. ``hash_at`` holds, for every case
    of ``then`` that still has at least that many events, the hash of its event at the checkpoint's seq."""
    found: list[CheckpointFinding] = []
    current = {h.case_id: h for h in now}
    for old in then:
        head = current.get(old.case_id)
        if head is None:
            found.append(CheckpointFinding("removed", old.case_id, old.number))
            continue
        identity = (head.number, head.school, head.school_year, head.opened_at)
        if identity != (old.number, old.school, old.school_year, old.opened_at):
            found.append(CheckpointFinding("moved", old.case_id, old.number, "number, unit, year or opening"))
        if head.last_seq < old.last_seq or hash_at.get((old.case_id, old.last_seq)) != old.head_hash:
            found.append(CheckpointFinding("rewritten", old.case_id, old.number, f"event {old.last_seq}"))
    known = {h.case_id for h in then}
    numbers = {(h.school, h.number): h.case_id for h in then}
    for head in now:
        if head.case_id in known:
            continue
        if (head.school, head.number) in numbers:
            found.append(CheckpointFinding("number_reused", head.case_id, head.number))
        if datetime.fromisoformat(head.opened_at) <= taken_at:
            found.append(CheckpointFinding("backdated", head.case_id, head.number, head.opened_at))
    return found
