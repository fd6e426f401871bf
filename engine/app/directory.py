"""The default Directory: recipients by role from ``[schools.<id>]`` and ``[kindergartens.<id>]``."""

from __future__ import annotations

from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.model import Case


class ConfigDirectory:
    """The head of the unit (a school's principal, a kindergarten's director), the deputies and the owner
    are addresses in the config; staff refs map through the unit's ``staff`` table, and a ref that is
    itself an address is used as it is."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def resolve(self, school: str, ref: str) -> str:
        return self.settings.unit(school).staff.get(ref, ref)

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
