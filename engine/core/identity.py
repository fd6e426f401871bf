"""Identities: which configured role an id holds at a unit, and the read scope each role gets.

A role is honoured only for an id the directory knows in that role at that unit: ``principal`` for the
person configured as the unit's principal, ``deputy`` for a configured deputy, ``school_owner`` for the
configured owner, ``it_admin`` for an id under ``[access] it_admins``; ``system`` is the engine's own
sweep and is never honoured for a caller. Ids are compared as people (``Directory.person``), so the
principal may act by their staff ref or by their address.

The defaults of who reads what: the owner every case of its units; the principal and deputies their
unit's cases, except where the leadership is accused or they are; a case handler the cases they are
responsible for, hold a measure in or reported; staff the cases they reported or hold a measure in; an
IT admin every case. The accused never reads their own case.
"""

from __future__ import annotations

from collections.abc import Callable

from aktivitetsplikt.engine.core.access import ReadScope
from aktivitetsplikt.engine.core.directory import Directory
from aktivitetsplikt.engine.core.model import Actor, Relation
from aktivitetsplikt.engine.core.policy import CONFIG_TABLES, Policy
from aktivitetsplikt.engine.errors import NotPermitted

LEADERSHIP = frozenset({"principal", "deputy"})
SEES_VIA: dict[str, frozenset[Relation]] = {
    "case_handler": frozenset({"responsible", "measure", "reporter"}),
    "staff": frozenset({"reporter", "measure"}),
}
"""The parties through which staff and case handlers see a case; other roles see by unit."""
NEVER_SEES: frozenset[Relation] = frozenset({"accused"})
CONFIG_WORDS: dict[str, tuple[str, str, str, str]] = {
    "school": ("school", "principal", "school owner", "school_owner"),
    "kindergarten": ("kindergarten", "director", "owner", "owner"),
}
"""Per kind of unit: what it is called, its head and owner, and the owner's key in its config table."""
SYSTEM_REFUSED = "The system role belongs to the engine's own sweep; act and read as a person with a role."


class Identities:
    """Answers who an id is at a unit, from the policy's units and the directory's people."""

    def __init__(
        self, policy: Policy, directory: Directory, hidden_when: Callable[[], tuple[str, ...]] = tuple
    ) -> None:
        self.policy = policy
        self.directory = directory
        self.hidden_when = hidden_when
        """Every registered workflow's case attributes that take the leadership out of a case (asked on
        each use: a pack may be registered after the engine is built)."""

    def person_at(self, unit: str, ref: str) -> str | None:
        """The key of ``ref``'s person at ``unit``; None when the unit or the ref is unknown there."""
        if unit not in self.policy.units:
            return None
        return self.directory.person(unit, ref)

    def keys(self, unit: str, ref: str) -> frozenset[str]:
        """The ref and the key of its person, to find the person among a case's parties."""
        person = self.directory.person(unit, ref)
        return frozenset({ref} if person is None else {ref, person})

    def same(self, unit: str, ref: str, configured: str) -> bool:
        """Whether ``ref`` and the configured id ``configured`` are one person at ``unit``."""
        if ref == configured:
            return True
        mine = self.directory.person(unit, ref)
        return mine is not None and mine == self.directory.person(unit, configured)

    def configured(self, unit_id: str, ref: str) -> frozenset[str]:
        """The roles ``ref`` is configured in at the unit: any of principal, deputy, school_owner."""
        unit = self.policy.unit(unit_id)
        roles: set[str] = set()
        if self.same(unit_id, ref, unit.principal):
            roles.add("principal")
        if any(self.same(unit_id, ref, deputy) for deputy in unit.deputies):
            roles.add("deputy")
        if self.same(unit_id, ref, unit.school_owner):
            roles.add("school_owner")
        return frozenset(roles)

    def not_configured(self, actor: Actor, unit_id: str) -> str:
        """Which role the id is not configured in at the unit, and how to configure it (in the words of
        the unit's table: ``[schools.<id>] principal`` or ``[kindergartens.<id>] director``)."""
        unit = self.policy.unit(unit_id)
        noun, head, owner, owner_key = CONFIG_WORDS[unit.kind]
        table = f"{CONFIG_TABLES[unit.kind]}.{unit_id}"
        if actor.role == "principal":
            return (
                f"{actor.id} is not the {head} configured for {noun} '{unit_id}'; act as {unit.principal}, "
                f"or map {actor.id} to that address under [{table}.staff]"
            )
        if actor.role == "deputy":
            return f"{actor.id} is not listed under [{table}] deputies"
        return (
            f"{actor.id} is not the {owner} configured for {noun} '{unit_id}'; "
            f"set [{table}] {owner_key} or act as {unit.school_owner}"
        )

    # --- reading ---------------------------------------------------------------------------------------

    def scope(self, actor: Actor) -> ReadScope:
        """The cases ``actor`` may read; raises NotPermitted, saying how to configure it, for a role the
        id does not hold."""
        if actor.role == "system":
            raise NotPermitted(SYSTEM_REFUSED)
        if actor.role == "it_admin":
            if actor.id not in self.policy.it_admins:
                msg = f"{actor.id} is not an IT admin; add it to [access] it_admins to read cases for operations."
                raise NotPermitted(msg)
            return ReadScope(actor, units=None)
        if actor.role == "school_owner":
            return ReadScope(actor, units=self._owned(actor))
        unit = self._unit_of(actor)
        configured = self.configured(unit, actor.id)
        if actor.role in LEADERSHIP and actor.role not in configured:
            raise NotPermitted(self.not_configured(actor, unit) + ".")
        hidden = self.hidden_when() if configured & LEADERSHIP else ()
        via = None if actor.role in LEADERSHIP else SEES_VIA[actor.role]
        return ReadScope(actor, frozenset({unit}), self.keys(unit, actor.id), via, hidden, NEVER_SEES)

    def _owned(self, actor: Actor) -> frozenset[str]:
        units = [actor.school] if actor.school is not None else sorted(self.policy.units)
        owned = frozenset(u for u in units if "school_owner" in self.configured(u, actor.id))
        if owned:
            return owned
        if actor.school is not None:
            raise NotPermitted(self.not_configured(actor, actor.school) + ".")
        msg = (
            f"{actor.id} is not the owner configured for any school or kindergarten; set school_owner under "
            "[schools.<id>] or owner under [kindergartens.<id>], or act as the configured owner."
        )
        raise NotPermitted(msg)

    def _unit_of(self, actor: Actor) -> str:
        if actor.school is None:
            msg = f"{actor.id} has no school; say which school the actor belongs to."
            raise NotPermitted(msg)
        self.policy.unit(actor.school)  # an unknown unit is a ConfigError naming the table to add
        return actor.school
