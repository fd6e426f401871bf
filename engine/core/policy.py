"""What the core needs to know of the world outside a case: the units, their calendars and deadlines.

The decider and the escalator get a :class:`Policy`, never the whole configuration. ``config`` builds one
from ``config.toml``; embedders and tests may build their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aktivitetsplikt.engine.core.calendar import Duration, SchoolCalendar
from aktivitetsplikt.engine.core.pack import Institution
from aktivitetsplikt.engine.errors import ConfigError

CONFIG_TABLES: Mapping[Institution, str] = {"school": "schools", "kindergarten": "kindergartens"}
"""The config.toml table each kind of unit is configured under."""


@dataclass(frozen=True)
class Unit:
    """A school or a kindergarten: who leads it, who owns it, how its case numbers begin."""

    id: str
    name: str
    code: str
    principal: str
    """The head of the unit (role ``principal``): a school's principal, a kindergarten's director."""
    school_owner: str
    """The owner (role ``school_owner``): the school owner or the kindergarten owner."""
    deputies: tuple[str, ...] = ()
    kind: Institution = "school"
    """A workflow pack says which kind of unit it serves (``WorkflowPack.institution``)."""


@dataclass(frozen=True)
class Policy:
    """Units, calendars, deadlines and the escalation ladder's timing, as plain values."""

    units: Mapping[str, Unit]
    calendar: SchoolCalendar
    """The default calendar: school days (weekends, public holidays and the configured school holidays off)."""
    deadlines: Mapping[str, Mapping[str, Duration]]
    """Per workflow id: duty kind (or another deadline name) -> duration."""
    remind_before: Duration
    school_owner_after: Duration
    calendars: Mapping[str, SchoolCalendar] = field(default_factory=dict)
    """Units with a calendar of their own (a kindergarten's closed days); the others use ``calendar``."""
    versions: Mapping[str, str] = field(default_factory=dict)
    """Per workflow id: the version new cases start on, when not the newest (cases keep theirs)."""
    it_admins: frozenset[str] = frozenset()
    """The ids honoured in the role ``it_admin`` (``[access] it_admins``)."""

    def unit(self, unit_id: str) -> Unit:
        try:
            return self.units[unit_id]
        except KeyError:
            known = ", ".join(sorted(self.units)) or "none"
            if any(unit.kind != "school" for unit in self.units.values()):
                where = " or ".join(f"[{table}.{unit_id}]" for table in CONFIG_TABLES.values())
                msg = f"Unknown unit '{unit_id}'; add {where} to config.toml (known: {known})."
            else:
                msg = f"Unknown school '{unit_id}'; add [schools.{unit_id}] to config.toml (known: {known})."
            raise ConfigError(msg) from None

    def calendar_of(self, unit_id: str) -> SchoolCalendar:
        """The calendar every deadline, reminder and escalation of a case at this unit is counted on."""
        return self.calendars.get(unit_id, self.calendar)

    def deadline(self, workflow: str, name: str) -> Duration:
        """The configured duration ``name`` (a duty kind, or e.g. ``max_evaluation_interval``) of ``workflow``."""
        section = self.deadlines.get(workflow)
        if section is None:
            msg = f"Workflow '{workflow}' has no deadlines; add [deadlines.{workflow}] to config.toml."
            raise ConfigError(msg)
        try:
            return section[name]
        except KeyError:
            keys = ", ".join(section)
            msg = f"'{name}' is not a configured deadline; [deadlines.{workflow}] has only {keys}."
            raise ConfigError(msg) from None
