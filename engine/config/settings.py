"""Configuration: ``config.toml`` with ``AKTIVITETSPLIKT_*`` environment overrides (spec section 10).

Entry points call :func:`load_settings` once; nothing is built at import time. Environment variables
(prefix ``AKTIVITETSPLIKT_``, nesting with ``__``) win over the file, and secrets come only from them.
Every problem surfaces as one :class:`ConfigError` naming each bad key the way it is written in TOML.
The tables are modelled in ``sections.py``; reading the file and explaining its faults in ``loading.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import structlog
from pydantic import BaseModel, Field, PrivateAttr, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from aktivitetsplikt.engine.config.access import AccessSettings
from aktivitetsplikt.engine.config.encryption import EncryptionSettings
from aktivitetsplikt.engine.config.http import AuthSettings, HttpSettings
from aktivitetsplikt.engine.config.loading import (
    CONFIG_ENV,
    ENV_PREFIX,
    config_file,
    describe,
    read_toml,
    refuse_in_file,
)
from aktivitetsplikt.engine.config.retention import ArchiveSettings, RetentionSettings
from aktivitetsplikt.engine.config.sections import (
    CalendarSettings,
    Channel,
    CheckpointSettings,
    ClosedDays,
    DaemonSettings,
    DatabaseSettings,
    EscalationSettings,
    KindergartenSettings,
    LinkSettings,
    NotifierSettings,
    SchoolHoliday,
    SchoolSettings,
    SmtpSettings,
    WebhookSettings,
)
from aktivitetsplikt.engine.core.calendar import Duration, SchoolCalendar
from aktivitetsplikt.engine.core.i18n import DEFAULT as DEFAULT_LANGUAGE
from aktivitetsplikt.engine.core.i18n import Language
from aktivitetsplikt.engine.core.pack import WorkflowPack
from aktivitetsplikt.engine.core.policy import Policy
from aktivitetsplikt.engine.errors import ConfigError

log = structlog.get_logger(__name__)

__all__ = [
    "CONFIG_ENV",
    "ENV_PREFIX",
    "AccessSettings",
    "AuthSettings",
    "CalendarSettings",
    "Channel",
    "ClosedDays",
    "DaemonSettings",
    "DatabaseSettings",
    "EscalationSettings",
    "HttpSettings",
    "KindergartenSettings",
    "LinkSettings",
    "NotifierSettings",
    "SchoolHoliday",
    "SchoolSettings",
    "Settings",
    "SmtpSettings",
    "UnitSettings",
    "WebhookSettings",
    "load_settings",
]

UnitSettings: TypeAlias = SchoolSettings | KindergartenSettings
"""A unit's table: ``[schools.<id>]`` or ``[kindergartens.<id>]``."""


class Settings(BaseSettings):
    """The whole configuration. Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", frozen=True)

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    daemon: DaemonSettings = Field(default_factory=DaemonSettings)
    notifiers: NotifierSettings = Field(default_factory=NotifierSettings)
    links: LinkSettings = Field(default_factory=LinkSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    schools: dict[str, SchoolSettings] = Field(default_factory=dict)
    kindergartens: dict[str, KindergartenSettings] = Field(default_factory=dict)
    """``[kindergartens.<id>]``: units with a director, an owner and closed days of their own."""
    deadlines: dict[str, dict[str, Duration]] = Field(default_factory=dict)
    """``[deadlines.<workflow>]``: overrides of the workflow pack's default deadlines, name by name."""
    escalation: EscalationSettings = Field(default_factory=EscalationSettings)
    versions: dict[str, str] = Field(default_factory=dict)
    """``[versions]``: workflow -> the version its new cases start on (default: the newest its pack brings)."""
    http: HttpSettings = Field(default_factory=HttpSettings)
    """``[http]``: the HTTP service (``aktivitetsplikt serve``) and its token verification."""
    access: AccessSettings = Field(default_factory=AccessSettings)
    """``[access]``: the ids honoured as ``it_admin``."""
    retention: dict[str, RetentionSettings] = Field(default_factory=dict)
    """``[retention.<workflow>]``: years after closing, and whether the archive gets the case first."""
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)
    """``[archive]``: the folder ``retention run`` writes each case's dossier to before erasing it."""
    encryption: EncryptionSettings = Field(default_factory=EncryptionSettings)
    """``[encryption]``: AES-GCM keys for free text at rest, only from the environment."""
    checkpoint: CheckpointSettings = Field(default_factory=CheckpointSettings)
    """``[checkpoint]``: signed checkpoints of every case's head (interval, key, folder, webhook)."""

    _config_path: Path | None = PrivateAttr(default=None)
    _calendar: tuple[CalendarSettings, SchoolCalendar] | None = PrivateAttr(default=None)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file arrives as init kwargs; the environment comes first so that it wins. No .env files.
        return _EnvSource(settings_cls), init_settings

    @model_validator(mode="after")
    def _units_unique(self) -> Settings:
        """A unit id or a case-number code names one unit, whichever table it is in."""
        ids: dict[str, str] = {}
        codes: dict[str, str] = {}
        for table, units in (("schools", self.schools), ("kindergartens", self.kindergartens)):
            for unit_id, unit in units.items():
                key = f"[{table}.{unit_id}]"
                if unit_id in ids:
                    msg = f"{key} has the id of {ids[unit_id]}; give each school and kindergarten its own id"
                    raise ValueError(msg)
                if unit.code in codes:
                    msg = f"{key} code: '{unit.code}' is already the code of {codes[unit.code]}; choose another"
                    raise ValueError(msg)
                ids[unit_id], codes[unit.code] = key, key
        return self

    @property
    def config_path(self) -> Path | None:
        """The file these settings were loaded from; None for built-in defaults only."""
        return self._config_path

    def school(self, school_id: str) -> SchoolSettings:
        """The school configured under ``[schools.<school_id>]``."""
        try:
            return self.schools[school_id]
        except KeyError:
            known = ", ".join(sorted(self.schools)) or "none"
            msg = f"Unknown school '{school_id}'; add [schools.{school_id}] to config.toml (known: {known})."
            raise ConfigError(msg) from None

    def unit(self, unit_id: str) -> UnitSettings:
        """The school or kindergarten configured under ``[schools.<id>]`` or ``[kindergartens.<id>]``."""
        found = self.units().get(unit_id)
        if found is None:
            known = ", ".join(sorted(self.units())) or "none"
            msg = (
                f"Unknown school or kindergarten '{unit_id}'; add [schools.{unit_id}] or "
                f"[kindergartens.{unit_id}] to config.toml (known: {known})."
            )
            raise ConfigError(msg)
        return found

    def units(self) -> dict[str, UnitSettings]:
        """Every configured unit by id: the schools, then the kindergartens."""
        return {**self.schools, **self.kindergartens}

    def language(self, unit: str | None = None) -> Language:
        """The written language of ``unit``; without one, the language all units share, else bokmål."""
        units = self.units()
        if unit is not None and unit in units:
            return units[unit].language
        shared = {u.language for u in units.values()}
        return shared.pop() if len(shared) == 1 else DEFAULT_LANGUAGE

    def school_calendar(self) -> SchoolCalendar:
        """The school calendar of ``[calendar]``, built on first use and then reused."""
        # Keyed by the section itself: model_copy(update={"calendar": ...}) copies private attributes.
        if self._calendar is None or self._calendar[0] is not self.calendar:
            ranges = [(holiday.start, holiday.end) for holiday in self.calendar.school_holidays]
            self._calendar = (self.calendar, SchoolCalendar(self.calendar.timezone, ranges))
        return self._calendar[1]

    def policy(self, packs: Iterable[WorkflowPack]) -> Policy:
        """What the core needs of this configuration: units, calendars, deadlines, ladder timing.

        Each workflow's deadlines are its pack's defaults with ``[deadlines.<workflow>]`` over them; a
        section for a workflow no pack brings, or a name the pack does not know, is a :class:`ConfigError`.
        """
        units = {unit_id: unit.unit(unit_id) for unit_id, unit in self.units().items()}
        packs = list(packs)
        deadlines = self._deadlines(packs)
        return Policy(
            units=units,
            calendar=self.school_calendar(),
            deadlines=deadlines,
            remind_before=self.escalation.remind_before,
            school_owner_after=self.escalation.school_owner_after,
            calendars=self._kindergarten_calendars(),
            versions=self._versions(packs),
            it_admins=frozenset(self.access.it_admins),
        )

    def _kindergarten_calendars(self) -> dict[str, SchoolCalendar]:
        """A kindergarten counts its working days on its own calendar: its closed days, not the school
        holidays."""
        return {
            unit_id: SchoolCalendar(
                self.calendar.timezone,
                [closed.dates for closed in kindergarten.closed_days],
                configured_in=f"the closed days in [kindergartens.{unit_id}] of config.toml",
            )
            for unit_id, kindergarten in self.kindergartens.items()
        }

    def _versions(self, packs: Iterable[WorkflowPack]) -> dict[str, str]:
        known = {pack.id: [spec.version for spec in pack.versions] for pack in packs}
        for workflow, version in self.versions.items():
            versions = known.get(workflow)
            if versions is None:
                names = ", ".join(sorted(known)) or "none"
                msg = f"[versions] {workflow} names no known workflow; use one of: {names}."
                raise ConfigError(msg)
            if version not in versions:
                msg = (
                    f"[versions] {workflow} = '{version}' is not a version of {workflow}; "
                    f"use one of {', '.join(versions)}."
                )
                raise ConfigError(msg)
        return dict(self.versions)

    def _deadlines(self, packs: Iterable[WorkflowPack]) -> dict[str, dict[str, Duration]]:
        defaults = {pack.id: dict(pack.deadlines) for pack in packs}
        for workflow, section in self.deadlines.items():
            known = defaults.get(workflow)
            if known is None:
                names = ", ".join(sorted(defaults)) or "none"
                msg = f"[deadlines.{workflow}] names no known workflow; use one of: {names}."
                raise ConfigError(msg)
            unknown = sorted(set(section) - set(known))
            if unknown:
                msg = (
                    f"[deadlines.{workflow}] {unknown[0]} is not a deadline of {workflow}; "
                    f"use one of {', '.join(known)}."
                )
                raise ConfigError(msg)
            known.update(section)
        return defaults


class _EnvSource(EnvSettingsSource):
    """The environment source, except that a value which is not JSON is passed on as text.

    pydantic-settings JSON-decodes values of "complex" fields, and a :class:`Duration` (a dataclass)
    counts as one; ``AKTIVITETSPLIKT_DAEMON__SWEEP_EVERY=30s`` must reach Duration's validator as "30s".
    """

    def decode_complex_value(self, field_name: str, field: FieldInfo, value: Any) -> Any:
        try:
            return super().decode_complex_value(field_name, field, value)
        except ValueError:
            return value


def load_settings(path: str | Path | None = None) -> Settings:
    """Load ``path`` (else ``$AKTIVITETSPLIKT_CONFIG``, else ``./config.toml`` if present, else defaults).

    ``AKTIVITETSPLIKT_*`` environment variables override the file. Raises :class:`ConfigError`.
    """
    file = config_file(path)
    data = read_toml(file) if file is not None else {}
    refuse_in_file(data, file)
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(describe(exc, file)) from exc
    except SettingsError as exc:
        msg = f"An {ENV_PREFIX}* environment variable cannot be read ({exc}); fix or unset it."
        raise ConfigError(msg) from exc
    settings._config_path = file  # set once here, read through Settings.config_path
    for name in unknown_environment(os.environ):
        # A misspelt override is silently ignored by pydantic-settings; say so instead.
        log.warning("unknown_environment_variable", name=name, hint="check the spelling of the section and key")
    return settings


KNOWN_ELSEWHERE = frozenset({"CONFIG", "TEST_PG_URL", "BENCH_PG_URL"})
"""AKTIVITETSPLIKT_* variables read outside the settings: the config path, the tests' and bench's database."""


def unknown_environment(environ: Mapping[str, str]) -> list[str]:
    """The ``AKTIVITETSPLIKT_*`` variables that name no section or key of the settings."""
    unknown = []
    for name in sorted(environ):
        if not name.upper().startswith(ENV_PREFIX):
            continue
        parts = name.upper().removeprefix(ENV_PREFIX).lower().split("__")
        if parts[0].upper() in KNOWN_ELSEWHERE:
            continue
        if not _known_path(Settings, parts):
            unknown.append(name)
    return unknown


def _known_path(model: type[BaseModel], parts: list[str]) -> bool:
    field = model.model_fields.get(parts[0])
    if field is None:
        return False
    rest = parts[1:]
    annotation = field.annotation
    if not rest or not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return True  # a leaf, or a table of free keys (schools, deadlines, ...)
    return _known_path(annotation, rest)
