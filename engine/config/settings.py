"""Configuration: ``config.toml`` with ``AKTIVITETSPLIKT_*`` environment overrides (spec section 10).

Entry points call :func:`load_settings` once; nothing is built at import time. Environment variables
(prefix ``AKTIVITETSPLIKT_``, nesting with ``__``) win over the file, and secrets come only from them.
Every problem surfaces as one :class:`ConfigError` naming each bad key the way it is written in TOML.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from aktivitetsplikt.engine.core.calendar import Duration, SchoolCalendar
from aktivitetsplikt.engine.core.pack import WorkflowPack
from aktivitetsplikt.engine.core.policy import Policy, Unit
from aktivitetsplikt.engine.errors import ConfigError

__all__ = [
    "CONFIG_ENV",
    "CalendarSettings",
    "DaemonSettings",
    "DatabaseSettings",
    "EscalationSettings",
    "LinkSettings",
    "NotifierSettings",
    "SchoolHoliday",
    "SchoolSettings",
    "Settings",
    "SmtpSettings",
    "WebhookSettings",
    "load_settings",
]

ENV_PREFIX = "AKTIVITETSPLIKT_"
CONFIG_ENV = "AKTIVITETSPLIKT_CONFIG"
"""Environment variable naming the config file when :func:`load_settings` is given no path."""

Channel = Literal["console", "smtp", "webhook"]

_SCHOOL_CODE = re.compile(r"[A-Z0-9]{2,6}")
# Secrets allowed only from the environment: (table path in TOML, key).
_ENV_ONLY_SECRETS = ((("notifiers", "smtp"), "password"), (("notifiers", "webhook"), "secret"))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Section):
    url: str = "sqlite:///aktivitetsplikt.db"
    """A SQLAlchemy URL; ``postgresql+psycopg://...`` in production."""


class DaemonSettings(_Section):
    sweep_every: Duration = Duration(60, "s")
    dispatch_every: Duration = Duration(15, "s")
    max_attempts: int = Field(default=8, ge=1)
    """Delivery attempts per message before it is parked as failed."""
    claim_lease: Duration = Duration(5, "m")
    """How long a dispatcher holds the messages it claimed before another may retry them (a crashed or
    stopped daemon's unsent claims wait this long). A dispatcher claims only what its recent pace sends
    in a quarter of the lease, and stops using a claim when half of it has gone."""
    batch_size: int = Field(default=200, ge=1, le=10_000)
    """Duties or messages claimed per database transaction."""

    @field_validator("sweep_every", "dispatch_every", "claim_lease")
    @classmethod
    def _clock_interval(cls, value: Duration) -> Duration:
        if value.unit not in ("s", "m", "h") or value.amount == 0:
            msg = "expected a positive interval in s, m or h, like '60s'"
            raise ValueError(msg)
        return value


class SmtpSettings(_Section):
    host: str = "localhost"
    port: int = Field(default=25, ge=1, le=65535)
    sender: str = "aktivitetsplikt@skole.example"
    starttls: bool = False
    username: str | None = None
    password: SecretStr | None = None
    """Only from ``AKTIVITETSPLIKT_NOTIFIERS__SMTP__PASSWORD``; refused in the file."""


class WebhookSettings(_Section):
    url: str | None = None
    secret: SecretStr | None = None
    """The HMAC key; only from ``AKTIVITETSPLIKT_NOTIFIERS__WEBHOOK__SECRET``; refused in the file."""


class NotifierSettings(_Section):
    channels: list[Channel] = Field(default_factory=lambda: list[Channel](["console"]))
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    templates_dir: str | None = None
    """A folder of jinja2 templates that override the built-in ones of the same name."""

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> NotifierSettings:
        if "webhook" in self.channels and self.webhook.url is None:
            msg = "the channel 'webhook' needs a url; set url in [notifiers.webhook]"
            raise ValueError(msg)
        return self


class LinkSettings(_Section):
    case_url: str = "https://skole.example/saker/{id}"
    """Where a message links to; ``{id}`` is replaced by the case id."""

    @field_validator("case_url")
    @classmethod
    def _has_id(cls, value: str) -> str:
        if "{id}" not in value:
            msg = "expected a URL containing {id}, like 'https://skole.example/saker/{id}'"
            raise ValueError(msg)
        return value


class SchoolHoliday(_Section):
    name: str
    start: date
    end: date
    """The last day of the holiday (inclusive)."""

    @model_validator(mode="after")
    def _in_order(self) -> SchoolHoliday:
        if self.end < self.start:
            msg = f"the school holiday '{self.name}' ends ({self.end}) before it starts ({self.start}); fix the dates"
            raise ValueError(msg)
        return self


class CalendarSettings(_Section):
    timezone: str = "Europe/Oslo"
    school_holidays: list[SchoolHoliday] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            msg = "expected a time zone name like 'Europe/Oslo'"
            raise ValueError(msg) from None
        return value


class SchoolSettings(_Section):
    name: str = Field(min_length=1)
    code: str
    """2 to 6 uppercase letters or digits; the prefix of case numbers (``HEL-2025-0007``)."""
    principal: str = Field(min_length=1)
    school_owner: str = Field(min_length=1)
    deputies: list[str] = Field(default_factory=list)
    """Staff refs who may act as the principal."""
    staff: dict[str, str] = Field(default_factory=dict)
    """Staff ref -> address; a ref that is itself an address needs no entry."""

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not _SCHOOL_CODE.fullmatch(value):
            msg = "expected 2 to 6 uppercase letters or digits, like 'HEL'"
            raise ValueError(msg)
        return value


class EscalationSettings(_Section):
    remind_before: Duration = Duration(1, "sd")
    school_owner_after: Duration = Duration(1, "sd")


class Settings(BaseSettings):
    """The whole configuration. Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", frozen=True)

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    daemon: DaemonSettings = Field(default_factory=DaemonSettings)
    notifiers: NotifierSettings = Field(default_factory=NotifierSettings)
    links: LinkSettings = Field(default_factory=LinkSettings)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    schools: dict[str, SchoolSettings] = Field(default_factory=dict)
    deadlines: dict[str, dict[str, Duration]] = Field(default_factory=dict)
    """``[deadlines.<workflow>]``: overrides of the workflow pack's default deadlines, name by name."""
    escalation: EscalationSettings = Field(default_factory=EscalationSettings)

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
        units = {
            school_id: Unit(
                id=school_id,
                name=school.name,
                code=school.code,
                principal=school.principal,
                school_owner=school.school_owner,
                deputies=tuple(school.deputies),
            )
            for school_id, school in self.schools.items()
        }
        deadlines = self._deadlines(packs)
        return Policy(
            units=units,
            calendar=self.school_calendar(),
            deadlines=deadlines,
            remind_before=self.escalation.remind_before,
            school_owner_after=self.escalation.school_owner_after,
        )

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
    file = _config_file(path)
    data = _read_toml(file) if file is not None else {}
    _refuse_in_file(data, file)
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, file)) from exc
    except SettingsError as exc:
        msg = f"An {ENV_PREFIX}* environment variable cannot be read ({exc}); fix or unset it."
        raise ConfigError(msg) from exc
    settings._config_path = file  # set once here, read through Settings.config_path
    return settings


def _config_file(path: str | Path | None) -> Path | None:
    origin = ""
    if path is None:
        from_env = os.environ.get(CONFIG_ENV, "")
        if not from_env:
            default = Path("config.toml")
            return default.resolve() if default.is_file() else None
        path, origin = from_env, f" in {CONFIG_ENV}"
    file = Path(path)
    if not file.exists():
        msg = (
            f"Config file {file} does not exist; check the path{origin}, "
            "or give none to use ./config.toml or the built-in defaults."
        )
        raise ConfigError(msg)
    return file.resolve()


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        found = re.fullmatch(r"(.*) \(at (line \d+, column \d+|end of document)\)", str(exc))
        where = f"{found.group(1)} at {found.group(2)}" if found else str(exc)
        msg = f"Config file {file} is not valid TOML: {where}; fix that line."
        raise ConfigError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"Config file {file} is not UTF-8 text; save it as UTF-8."
        raise ConfigError(msg) from exc
    except OSError as exc:
        msg = f"Config file {file} cannot be read ({exc.strerror}); check that it is a readable file."
        raise ConfigError(msg) from exc


def _refuse_in_file(data: Mapping[str, Any], file: Path | None) -> None:
    # A leading underscore would reach BaseSettings' own keyword arguments (e.g. _env_file).
    for key in data:
        if key.startswith("_"):
            msg = f"Config file {file} has the unknown key '{key}' at the top level; remove it."
            raise ConfigError(msg)
    for table, key in _ENV_ONLY_SECRETS:
        section: Any = data
        for part in table:
            section = section.get(part) if isinstance(section, Mapping) else None
        if isinstance(section, Mapping) and key in section:
            env = ENV_PREFIX + "__".join((*table, key)).upper()
            msg = (
                f"Config file {file} sets {key} in [{'.'.join(table)}], but secrets never go in the file; "
                f"remove it and set the environment variable {env} instead."
            )
            raise ConfigError(msg)


_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected a text in quotes",
    "list_type": 'expected a list like ["a", "b"]',
    "dict_type": "expected a table of keys",
    "model_type": "expected a table of keys",
    "model_attributes_type": "expected a table of keys",
    "date_type": "expected a date like 2026-09-28",
    "date_parsing": "expected a date like 2026-09-28",
    "date_from_datetime_parsing": "expected a date like 2026-09-28",
    "date_from_datetime_inexact": "expected a date like 2026-09-28",
    "string_too_short": "expected a non-empty text",
}
_SCALARS = (str, int, float, bool, date)
_SECRET_KEYS = frozenset(key for _, key in _ENV_ONLY_SECRETS)


def _describe(exc: ValidationError, file: Path | None) -> str:
    origin = f"{file} and the {ENV_PREFIX}* environment" if file else f"the {ENV_PREFIX}* environment"
    problems = "\n".join(f"- {_problem(error)}" for error in exc.errors(include_url=False))
    which = "this key" if problems.count("\n") == 0 else "these keys"
    return f"The configuration from {origin} is invalid; fix {which}:\n{problems}"


def _problem(error: ErrorDetails) -> str:
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        where = f"in {_table(loc[:-1])}" if len(loc) > 1 else "at the top level"
        return f"unknown key '{loc[-1]}' {where}; remove it or check the spelling"
    if error["type"] == "missing":
        return f"{_location(loc)} is missing; add it"
    given = error.get("input")
    # A problem with a whole entry of an array of tables ([[calendar.school_holidays]]) names the entry.
    where = _table(loc) if loc and isinstance(loc[-1], int) and isinstance(given, Mapping) else _location(loc)
    text = f"{where}: {_expected(error)}"
    if isinstance(given, _SCALARS) and not (loc and loc[-1] in _SECRET_KEYS):
        text += f", got {given!r}"
    return text


def _expected(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "greater_than_equal":
        return f"expected a number of at least {ctx['ge']}"
    if kind == "less_than_equal":
        return f"expected a number of at most {ctx['le']}"
    if kind == "literal_error":
        return f"expected one of {ctx['expected']}"
    message = _EXPECTED.get(kind, error["msg"])
    return message[:1].lower() + message[1:]


def _location(loc: tuple[int | str, ...]) -> str:
    """``("daemon", "max_attempts")`` -> ``[daemon] max_attempts``, as the key is written in TOML."""
    names = [i for i, part in enumerate(loc) if isinstance(part, str)]
    if not names:
        return "the top level"
    last = names[-1]
    key = _key(loc[last]) + "".join(f" item {int(part) + 1}" for part in loc[last + 1 :])
    return f"{_table(loc[:last])} {key}" if last else key


def _table(parts: tuple[int | str, ...]) -> str:
    for i, part in enumerate(parts):
        if isinstance(part, int):
            rest = ".".join(_key(p) for p in parts[i + 1 :])
            return f"[[{'.'.join(_key(p) for p in parts[:i])}]] #{part + 1}" + (f" {rest}" if rest else "")
    return f"[{'.'.join(_key(p) for p in parts)}]"


def _key(part: int | str) -> str:
    text = str(part)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else f'"{text}"'
