"""Who may read which cases: the people with a part in a case, the reader's scope, the access log's records.

The mechanism is here; the law is data. A workflow pack's :class:`AccessProfile` says which documentation
fields name the staff who hold a measure and which case attribute names an accused employee; a spec's
``principal_replaced_when`` says when the unit's leadership must not see a case. Who holds which role is
``identity.py``. A :class:`ReadScope` is plain values the storage turns into one WHERE clause (so a list
of 100k cases is filtered by the database, never in Python); :meth:`ReadScope.admits` is the same rule
for one case in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from aktivitetsplikt.engine.core.access_profile import AccessProfile
from aktivitetsplikt.engine.core.model import Actor, Case, Party, Relation, iso
from aktivitetsplikt.engine.errors import NotPermitted

ReadKind = Literal["show", "json", "export", "list", "agenda", "audit", "outbox", "verify", "access_log"]
Face = Literal["library", "cli", "daemon", "http"]
"""Through which face a read came: the Python library, the command line, the daemon, the HTTP service."""

READ_WORDS: Mapping[str, str] = {
    "show": "visning",
    "json": "visning (JSON)",
    "export": "eksport",
    "list": "saksliste",
    "agenda": "møteliste",
    "audit": "internrevisjon",
    "outbox": "utboks",
    "verify": "kontroll av loggen",
    "access_log": "tilgangslogg",
}
"""Each kind of read as the access log shows it to people."""
FACE_WORDS: Mapping[str, str] = {
    "library": "bibliotek",
    "cli": "kommandolinje",
    "daemon": "tjeneste",
    "http": "HTTP",
}
IT_ADMIN_WORD = "IT-drift"
"""The deployment role ``it_admin`` as people know it; no pack labels it, since no law names it."""


@dataclass(frozen=True)
class AccessRecord:
    """One read of a case's content, as the append-only access log keeps it."""

    case_id: str
    at: datetime
    actor_id: str
    actor_role: str
    kind: ReadKind
    face: Face
    person: str | None = None
    """The reader's key in the directory at the case's unit, when it knows them."""

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "at": iso(self.at),
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "person": self.person,
            "kind": self.kind,
            "face": self.face,
        }


@dataclass(frozen=True)
class CaseReads:
    """A case's access log: which case, and every read of it, oldest first."""

    case_id: str
    number: str
    workflow: str
    reads: tuple[AccessRecord, ...]


@dataclass(frozen=True)
class ReadScope:
    """The cases one reader may see, as plain values; the storage applies it as a WHERE clause."""

    reader: Actor
    units: frozenset[str] | None
    """The units whose cases the reader may see; None: every unit (an IT admin)."""
    people: frozenset[str] = frozenset()
    """The reader's refs and person keys, to find them among a case's parties."""
    via: frozenset[Relation] | None = None
    """None: every case of ``units``; else only the cases where the reader is a party in one of these."""
    hidden_when: tuple[str, ...] = ()
    """Case attributes that, when true, hide the case from this reader (the leadership is accused)."""
    exclude: frozenset[Relation] = frozenset()
    """Hide the cases where the reader is a party in one of these (the accused)."""

    def admits(self, case: Case, parties: Iterable[Party]) -> bool:
        """Whether the reader may see ``case``, whose parties are ``parties``: the rule the storage's
        WHERE clause implements, for one case in memory."""
        if self.units is not None and case.school not in self.units:
            return False
        if any(case.attributes.get(flag) is True for flag in self.hidden_when):
            return False
        mine = {p.relation for p in parties if p.person in self.people}
        if mine & self.exclude:
            return False
        return self.via is None or bool(mine & self.via)

    def refused(self, ref: str) -> NotPermitted:
        """The refusal for a case outside the scope; it says nothing about the case."""
        reader = self.reader
        msg = (
            f"Case '{ref}' is not among the cases {reader.id} may read as {reader.role}; "
            "ask someone with a part in the case, the unit's leadership or its owner."
        )
        return NotPermitted(msg)


def refs_at(value: Any, path: str) -> list[str]:
    """The texts at a dotted path of a stored document, through lists (``measures.responsible``)."""
    head, _, rest = path.partition(".")
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        inner = item.get(head) if isinstance(item, dict) else None
        if rest:
            found.extend(refs_at(inner, rest))
        else:
            found.extend(r for r in (inner if isinstance(inner, list) else [inner]) if isinstance(r, str) and r)
    return found


@dataclass(frozen=True)
class StepParties:
    """What one step tells about who takes part in the case."""

    actor: Actor
    before: Case
    after: Case
    document: Mapping[str, Any]
    trigger: str
    reports: bool
    """The step reports the case (or reopens it with a new report): its actor is a reporter."""

    def parties(self, profile: AccessProfile, person: Callable[[str], str | None]) -> tuple[Party, ...]:
        """The parties this step adds, each person by their directory key (or the ref as given)."""
        named: list[tuple[Relation, str]] = []
        if self.reports:
            named.append(("reporter", self.actor.id))
        if self.after.responsible and self.after.responsible != self.before.responsible:
            named.append(("responsible", self.after.responsible))
        accused = self.after.attributes.get(profile.accused) if profile.accused else None
        if isinstance(accused, str) and accused and accused != self.before.attributes.get(profile.accused or ""):
            named.append(("accused", accused))
        for path in profile.measure_holders.get(self.trigger, ()):
            named.extend(("measure", ref) for ref in refs_at(dict(self.document), path))
        found = (Party(relation, person(ref) or ref) for relation, ref in named)
        return tuple(dict.fromkeys(found))
