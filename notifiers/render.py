"""Subject and body of a message, from jinja2 templates in bokmål and nynorsk (spec section 6).

Each kind of message (``notice``, ``reminder``, ``escalation``) has two templates: ``<kind>.subject.j2``
(one line; whitespace is collapsed, so it cannot break a mail header) and ``<kind>.txt.j2`` (the plain-text
body). ``_case.txt.j2`` and ``_footer.txt.j2`` are included by all three bodies. A folder named by
``[notifiers] templates_dir`` is searched first, so a file there replaces the built-in one of the same
name; a relative folder counts from the config file's folder.

A message is written in the language of the school (or kindergarten) it comes from (``language`` under
``[schools.<id>]``): the bokmål templates are in ``templates/``, the nynorsk ones in ``templates/nn/``.
For a nynorsk message ``<templates_dir>/nn/`` and the built-in ``nn/`` are searched before the bokmål
folders. A mail is prose, so each language has whole templates rather than sentences from the gettext
catalogs; the labels (workflow, stage, step, duties, roles) come from the workflow pack in that language,
and the dates from :mod:`aktivitetsplikt.engine.core.texts`.

The templates see only these fields, picked one by one from the message (the payload the engine writes
is already limited to identifiers, stages and deadlines, and a field added to it later stays invisible
here until it is listed):

``kind``, ``level`` (None for a notice), ``overdue``, ``case_number``, ``school_name``, ``workflow_label``,
``state_label``, ``trigger_label`` (None but for a notice), ``duties`` (each with ``kind``, ``label`` and
``due_at``, an aware datetime in the configured time zone), ``duty`` (the first of them, or None),
``recipient`` (the reader's role in Norwegian), ``told`` (the others told of this escalation step, in
Norwegian, when the engine names them in the payload's optional ``recipients``) and ``link``.

Filters: ``deadline`` ("utgangen av torsdag 3. september 2026" for a deadline at 00:00, else "fredag
4. september 2026 kl. 14:30"), ``moment`` (always with the time), ``day`` (the date alone) and
``listing`` ("a, b og c"). Templates are ``StrictUndefined``: asking for anything else fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core import texts
from aktivitetsplikt.engine.core.i18n import DEFAULT as DEFAULT_LANGUAGE
from aktivitetsplikt.engine.core.i18n import LANGUAGES, Language
from aktivitetsplikt.engine.core.model import OutboxMessage
from aktivitetsplikt.engine.core.pack import Labels
from aktivitetsplikt.engine.core.redact import redact_url
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.notifiers.errors import DeliveryError

__all__ = ["BUILTIN_TEMPLATES", "TEMPLATE_NAMES", "Duty", "Rendered", "Renderer", "Words"]

Words = Callable[[str, Language], Labels | None]
"""A workflow id and a language -> its pack's labels (``WorkflowRegistry.words``)."""

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
KINDS = ("notice", "reminder", "escalation")
TEMPLATE_NAMES = tuple(f"{kind}.{part}.j2" for kind in KINDS for part in ("subject", "txt"))
"""The templates a renderer needs; each may be replaced from ``templates_dir``."""


class Rendered(NamedTuple):
    subject: str
    body: str


@dataclass(frozen=True)
class Duty:
    """A duty as the templates see it."""

    kind: str
    label: str
    due_at: datetime


class Renderer:
    """Renders messages; build one per process and share it between channels."""

    def __init__(self, settings: Settings, words: Words | None = None) -> None:
        """``words`` gives a workflow's labels in a language (its pack's): the roles and the unit as people
        call them. Without it, roles are shown by their ids."""
        self._words: Words = words or (lambda _workflow, _language: None)
        self._settings = settings
        self._zone: tzinfo = ZoneInfo(settings.calendar.timezone)
        self._case_url = _checked_case_url(settings.links.case_url)
        self._override = _override_dir(settings)
        # Load every template now, so a broken override stops the daemon at start, not at each send.
        self._templates = {
            (lang, name): self._load(self._environment(lang), name) for lang in LANGUAGES for name in TEMPLATE_NAMES
        }

    def _environment(self, lang: Language) -> ImmutableSandboxedEnvironment:
        folders = [BUILTIN_TEMPLATES]
        if self._override is not None:
            folders.insert(0, self._override)
        if lang != DEFAULT_LANGUAGE:
            folders = [folder / lang for folder in folders] + folders
        # Sandboxed: a templates_dir override is configuration, not code; it may format what the message
        # carries but never reach Python objects' internals (no attribute walking to os or subprocess).
        env = ImmutableSandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
            autoescape=False,  # plain text, never HTML
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(
            deadline=partial(texts.deadline, zone=self._zone, lang=lang),
            moment=partial(texts.moment, zone=self._zone, lang=lang),
            day=_day_filter(self._zone, lang),
            listing=partial(texts.listing, lang=lang),
        )
        return env

    def language(self, message: OutboxMessage) -> Language:
        """The language of the school (or kindergarten) the message comes from."""
        return (
            self._settings.language(str(message.payload.get("school", "")))
            if message.payload.get("school")
            else DEFAULT_LANGUAGE
        )

    def render(self, message: OutboxMessage) -> Rendered:
        """The one-line subject and the plain-text body of ``message``."""
        if message.kind not in KINDS:
            kinds = ", ".join(KINDS)
            msg = f"Message {message.id} has the unknown kind '{message.kind}'; expected one of {kinds}."
            raise DeliveryError(msg)
        lang = self.language(message)
        context = self.context(message, lang)
        subject = " ".join(self._render(lang, f"{message.kind}.subject.j2", context).split())
        return Rendered(subject, self._render(lang, f"{message.kind}.txt.j2", context))

    def link(self, case_id: str) -> str:
        """The address of a case, from ``[links] case_url``."""
        return self._case_url.format(id=case_id)

    def context(self, message: OutboxMessage, lang: Language = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """What the templates may show of ``message`` (see the module docstring), in ``lang``: the labels
        the engine wrote into the payload are replaced by the pack's words in that language."""
        payload = message.payload
        words = self._words(str(payload.get("workflow", "")), lang)
        duty_words = words.duties if words is not None else {}
        duties = [
            Duty(
                str(d["kind"]),
                duty_words.get(str(d["kind"]), str(d["label"])),
                texts.instant(d["due_at"]).astimezone(self._zone),
            )
            for d in _field(message, "duties")
        ]
        if message.kind != "notice" and not duties:
            msg = f"The {message.kind} {message.id} names no duty in its payload; it cannot be rendered."
            raise DeliveryError(msg)
        others = [r for r in dict.fromkeys(payload.get("recipients") or ()) if r != message.recipient_role]
        roles = _RoleWords(words.roles if words is not None else {})
        trigger_label = payload.get("trigger_label") if message.kind == "notice" else None
        workflow_label, state_label = str(_field(message, "workflow_label")), str(_field(message, "state_label"))
        if words is not None:
            workflow_label = words.workflow
            state_label = words.states.get(str(payload.get("state", "")), state_label)
            if trigger_label is not None:
                trigger_label = words.steps.get(str(payload.get("trigger", "")), trigger_label)
        return {
            "kind": message.kind,
            "level": message.level if message.level is not None else payload.get("level"),
            "overdue": bool(payload.get("overdue", False)),
            "case_number": str(_field(message, "case_number")),
            "school_name": str(_field(message, "school_name")),
            "workflow_label": workflow_label,
            "state_label": state_label,
            "trigger_label": trigger_label,
            "duties": duties,
            "duty": duties[0] if duties else None,
            "recipient": roles[message.recipient_role],
            "told": [roles[r] for r in others],
            "roles": roles,
            "unit": words.unit if words is not None else "enhet",
            "about_whom": words.pupil if words is not None else "den saken gjelder",  # a word, never the ref
            "link": self.link(str(_field(message, "case_id"))),
        }

    def _load(self, env: ImmutableSandboxedEnvironment, name: str) -> Template:
        try:
            return env.get_template(name)
        except TemplateError as exc:
            msg = f"The notification template {name} cannot be loaded ({exc}); {self._where(name)}."
            raise ConfigError(msg) from exc

    def _render(self, lang: Language, name: str, context: dict[str, Any]) -> str:
        try:
            return self._templates[lang, name].render(context)
        except TemplateError as exc:
            msg = f"The notification template {name} cannot be rendered ({exc}); {self._where(name)}."
            raise ConfigError(msg) from exc

    def _where(self, name: str) -> str:
        if self._override is not None and (self._override / name).is_file():
            return f"fix {self._override / name} (from [notifiers] templates_dir)"
        if self._override is not None:
            return f"add it to {self._override} ([notifiers] templates_dir) or fix the templates it includes"
        return "the built-in templates are damaged; reinstall aktivitetsplikt"


class _RoleWords(dict[str, str]):
    """Role -> the reader's word for it; a role the payload does not name is shown as it is."""

    def __missing__(self, key: str) -> str:
        return key


def _field(message: OutboxMessage, key: str) -> Any:
    try:
        return message.payload[key]
    except KeyError:
        msg = f"Message {message.id} has no '{key}' in its payload; this engine version did not write it."
        raise DeliveryError(msg) from None


def _day_filter(zone: tzinfo, lang: Language) -> Any:
    def day(value: datetime | str) -> str:
        return texts.day(texts.instant(value).astimezone(zone).date(), lang)

    return day


def _checked_case_url(template: str) -> str:
    try:
        template.format(id="x")
    except (KeyError, IndexError, ValueError):
        msg = (
            f"[links] case_url '{redact_url(template)}' has braces other than {{id}}; "
            "write it like 'https://skole.example/saker/{id}'."
        )
        raise ConfigError(msg) from None
    if urlsplit(template).scheme.lower() not in ("https", "http"):
        msg = "[links] case_url must be an https:// (or http://) address, like 'https://skole.example/saker/{id}'."
        raise ConfigError(msg)
    return template


def _override_dir(settings: Settings) -> Path | None:
    configured = settings.notifiers.templates_dir
    if not configured:
        return None
    folder = Path(configured).expanduser()
    if not folder.is_absolute() and settings.config_path is not None:
        folder = settings.config_path.parent / folder
    if not folder.is_dir():
        msg = (
            f"[notifiers] templates_dir '{configured}' is not a folder ({folder}); "
            "create it or remove the key to use the built-in templates."
        )
        raise ConfigError(msg)
    return folder
