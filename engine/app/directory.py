"""The default Directory: recipients by role from ``[schools.<id>]`` in config.toml."""

from __future__ import annotations

from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.model import Case


class ConfigDirectory:
    """Principal, deputies and school owner are addresses in the config; staff refs map through
    ``[schools.<id>.staff]``, and a ref that is itself an address is used as it is."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def resolve(self, school: str, ref: str) -> str:
        return self.settings.school(school).staff.get(ref, ref)

    def addresses(self, case: Case, role: str) -> list[str]:
        school = self.settings.school(case.school)
        if role == "principal":
            return [school.principal]
        if role == "deputies":
            return [self.resolve(case.school, ref) for ref in school.deputies]
        if role == "school_owner":
            return [school.school_owner]
        if role == "responsible":
            return [self.resolve(case.school, case.responsible)] if case.responsible else [school.principal]
        if role == "reporter":
            reporter = case.attributes.get("reporter")
            return [self.resolve(case.school, reporter)] if isinstance(reporter, str) else []
        msg = f"Unknown recipient role '{role}'."
        raise ValueError(msg)
