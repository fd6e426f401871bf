"""The tables of ``config.toml`` as frozen pydantic models (spec section 10), one class per table.

:class:`~aktivitetsplikt.engine.config.settings.Settings` puts them together; the messages of their
validators are phrased to follow "[table] key: " in a :class:`ConfigError`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.i18n import Language
from aktivitetsplikt.engine.core.pack import Institution
from aktivitetsplikt.engine.core.policy import Unit

Channel = Literal["console", "smtp", "webhook"]

_UNIT_CODE = re.compile(r"[A-Z0-9]{2,6}")


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
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    """Serve the sweep's and the dispatcher's durations to Prometheus on this port (needs the http extra)."""
    metrics_host: str = "127.0.0.1"

    @field_validator("sweep_every", "dispatch_every", "claim_lease")
    @classmethod
    def _clock_interval(cls, value: Duration) -> Duration:
        if value.unit not in ("s", "m", "h") or value.amount == 0:
            msg = "expected a positive interval in s, m or h, like '60s'"
            raise ValueError(msg)
        return value


class CheckpointSettings(_Section):
    """``[checkpoint]``: signed checkpoints of every case's head, kept outside the database."""

    every: Duration | None = None
    """How often the daemon writes one (e.g. '1h'); unset: the daemon writes none."""
    key_file: str | None = None
    """The Ed25519 private key (PEM, ``openssl genpkey -algorithm ed25519``); or the environment's key."""
    key: SecretStr | None = None
    """The private key's PEM text; only from ``AKTIVITETSPLIKT_CHECKPOINT__KEY``; refused in the file."""
    public_key_file: str | None = None
    """The public key (PEM) ``verify --checkpoint`` checks signatures with where the private key is not."""
    folder: str | None = None
    """Where checkpoint files are written (created 0700; each file 0600)."""
    webhook: bool = False
    """Also POST each checkpoint to ``[notifiers.webhook] url`` (signed with its HMAC secret)."""

    @field_validator("every")
    @classmethod
    def _interval(cls, value: Duration | None) -> Duration | None:
        if value is not None and (value.unit not in ("s", "m", "h") or value.amount == 0):
            msg = "expected a positive interval in s, m or h, like '1h'"
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
        expected = "expected a URL containing {id} (https://, no other braces), like 'https://skole.example/saker/{id}'"
        if "{id}" not in value or urlsplit(value).scheme.lower() not in ("https", "http"):
            raise ValueError(expected)
        try:
            value.format(id="x")  # '{0}' or '{name}' would fail at every message instead of here
        except (IndexError, KeyError, ValueError):
            raise ValueError(expected) from None
        return value


class _DateRange(_Section):
    """Days a unit is closed, both ends included; deadlines in open days skip them."""

    what: ClassVar[str]
    name: str
    start: date
    end: date
    """The last day (inclusive)."""

    @model_validator(mode="after")
    def _in_order(self) -> _DateRange:
        if self.end < self.start:
            msg = f"the {self.what} '{self.name}' ends ({self.end}) before it starts ({self.start}); fix the dates"
            raise ValueError(msg)
        return self

    @property
    def dates(self) -> tuple[date, date]:
        return (self.start, self.end)


class SchoolHoliday(_DateRange):
    what = "school holiday"


class ClosedDays(_DateRange):
    """A kindergarten's closed days: planning days, the summer weeks it is closed."""

    what = "closed period"


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


class _UnitSettings(_Section):
    """What schools and kindergartens are both configured with."""

    kind: ClassVar[Institution]
    name: str = Field(min_length=1)
    code: str
    """2 to 6 uppercase letters or digits; the prefix of case numbers (``HEL-2025-0007``)."""
    deputies: list[str] = Field(default_factory=list)
    """Staff refs who may act as the head of the unit."""
    staff: dict[str, str] = Field(default_factory=dict)
    """Staff ref -> address; a ref that is itself an address needs no entry."""
    language: Language = "nb"
    """The unit's written language: ``nb`` (bokmål) or ``nn`` (nynorsk); its mails and, when a command
    is about this unit alone, the command line's tables."""

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not _UNIT_CODE.fullmatch(value):
            msg = "expected 2 to 6 uppercase letters or digits, like 'HEL'"
            raise ValueError(msg)
        return value

    @property
    def head(self) -> str:
        """The address of the head of the unit (role ``principal``)."""
        raise NotImplementedError

    @property
    def owned_by(self) -> str:
        """The address of the unit's owner (role ``school_owner``)."""
        raise NotImplementedError

    def unit(self, unit_id: str) -> Unit:
        """The unit as the core sees it."""
        return Unit(
            id=unit_id,
            name=self.name,
            code=self.code,
            principal=self.head,
            school_owner=self.owned_by,
            deputies=tuple(self.deputies),
            kind=self.kind,
        )


class SchoolSettings(_UnitSettings):
    """``[schools.<id>]``."""

    kind = "school"
    principal: str = Field(min_length=1)
    school_owner: str = Field(min_length=1)

    @property
    def head(self) -> str:
        return self.principal

    @property
    def owned_by(self) -> str:
        return self.school_owner


class KindergartenSettings(_UnitSettings):
    """``[kindergartens.<id>]``: a kindergarten, led by its director and owned by its owner."""

    kind = "kindergarten"
    director: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    closed_days: list[ClosedDays] = Field(default_factory=list)
    """``[[kindergartens.<id>.closed_days]]``: deadlines in working days skip them."""

    @property
    def head(self) -> str:
        return self.director

    @property
    def owned_by(self) -> str:
        return self.owner


class EscalationSettings(_Section):
    remind_before: Duration = Duration(1, "sd")
    school_owner_after: Duration = Duration(1, "sd")
