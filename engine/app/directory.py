"""The default Directory: recipients by role, and people by any of their refs, from ``[schools.<id>]`` and
``[kindergartens.<id>]``."""

from __future__ import annotations

from collections.abc import Iterable

from aktivitetsplikt.engine.config.settings import Settings, UnitSettings
from aktivitetsplikt.engine.core.model import Case


def _people(unit: UnitSettings) -> dict[str, str]:
    """Every ref known at a unit -> the key of its person.

    A person's key is their staff ref (stable in the embedding system) or, for someone with no staff
    entry (an owner, a head of the unit configured by address only), their address. A staff ref and its
    address are one person; the head, the deputies and the owner are found by either.
    """
    people: dict[str, str] = {}
    for ref, address in unit.staff.items():
        key = people.get(address, ref)  # two refs with one address are one person: the first ref is the key
        people.setdefault(ref, key)
        people.setdefault(address, key)
    configured: Iterable[str] = (unit.head, *unit.deputies, unit.owned_by)
    for ref in configured:
        people.setdefault(ref, ref)
    return people


class ConfigDirectory:
    """The head of the unit (a school's principal, a kindergarten's director), the deputies and the owner
    are addresses in the config; staff refs map through the unit's ``staff`` table, and a ref that is
    itself an address is used as it is."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._people: dict[str, dict[str, str]] = {}

    def resolve(self, school: str, ref: str) -> str:
        return self.settings.unit(school).staff.get(ref, ref)

    def person(self, school: str, ref: str) -> str | None:
        people = self._people.get(school)
        if people is None:  # built once per unit: the settings are frozen
            people = self._people[school] = _people(self.settings.unit(school))
        return people.get(ref)

    def addresses(self, case: Case, role: str) -> list[str]:
        unit = self.settings.unit(case.school)
        if role == "principal":
            return [unit.head]
        if role == "deputies":
            return [self.resolve(case.school, ref) for ref in unit.deputies]
        if role == "school_owner":
            return [unit.owned_by]
        if role == "responsible":
            return [self.resolve(case.school, case.responsible)] if case.responsible else [unit.head]
        if role == "reporter":
            reporter = case.attributes.get("reporter")
            return [self.resolve(case.school, reporter)] if isinstance(reporter, str) else []
        msg = f"Unknown recipient role '{role}'."
        raise ValueError(msg)
