"""The ``reads`` check: who read the case without having a part in it (the access log, issue 10).

A read has a role when the reader is one of the case's parties (reported it, is responsible, holds a
measure), documented a step in it, or read as the unit's leadership or owner: roles the engine honours
only for the ids configured in them. Anyone else (an IT admin, typically) is listed, one finding per
reader, so the auditor can ask why. The audit's own reads are the controller's and are not listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aktivitetsplikt.engine.core.access import IT_ADMIN_WORD, AccessRecord
from aktivitetsplikt.engine.core.model import Party, iso
from aktivitetsplikt.engine.reports.audit.review import Review

WITH_ROLE = frozenset({"principal", "deputy", "school_owner"})
"""Roles that have a part in every case they may read: the unit's leadership and its owner."""


def check_reads(r: Review, reads: Sequence[AccessRecord], parties: Iterable[Party]) -> int:
    """Add a finding per reader with no role in the case; returns how many such reads there were."""
    insiders = {p.person for p in parties} | {e.actor_id for e in r.events}
    outside: dict[tuple[str, str], list[AccessRecord]] = {}
    for read in reads:
        if read.kind == "audit" or read.actor_role in WITH_ROLE:
            continue
        if read.actor_id in insiders or (read.person is not None and read.person in insiders):
            continue
        outside.setdefault((read.actor_id, read.actor_role), []).append(read)
    for (actor_id, role), found in outside.items():
        word = IT_ADMIN_WORD if role == "it_admin" else r.plan.words.roles.get(role, role)
        times = "gang" if len(found) == 1 else "ganger"
        label = f"Lest av {actor_id} ({word}) uten rolle i saken, {len(found)} {times}."
        r.find(
            "reads",
            "read_without_role",
            label,
            actor_id=actor_id,
            actor_role=role,
            reads=len(found),
            last_at=iso(found[-1].at),
        )
    return sum(len(found) for found in outside.values())
