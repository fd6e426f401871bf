"""The notifier adapters: console (the embedded default), smtp and webhook (design section 5).

Entry points call :func:`build_notifier` with the settings and hand the result to the dispatcher::

    from aktivitetsplikt.notifiers import build_notifier

    engine.dispatcher(build_notifier(engine.settings)).dispatch()

Each adapter implements the engine's ``Notifier`` port (``send(message)``, raising on failure) and renders
the message with one shared :class:`Renderer` (bokmål jinja2 templates, overridable from
``[notifiers] templates_dir``). Messages carry identifiers, stages, deadlines and a link; never the pupil,
names or free text.
"""

from __future__ import annotations

from collections.abc import Callable

from aktivitetsplikt.engine.app.ports import Notifier
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.notifiers.console import ConsoleNotifier
from aktivitetsplikt.notifiers.errors import DeliveryError
from aktivitetsplikt.notifiers.fanout import FanOutNotifier
from aktivitetsplikt.notifiers.render import Rendered, Renderer, Words
from aktivitetsplikt.notifiers.smtp import SmtpNotifier
from aktivitetsplikt.notifiers.webhook import WebhookNotifier

__all__ = [
    "ConsoleNotifier",
    "DeliveryError",
    "FanOutNotifier",
    "Rendered",
    "Renderer",
    "SmtpNotifier",
    "WebhookNotifier",
    "build_notifier",
]


_CHANNELS: dict[str, Callable[[Settings, Renderer], Notifier]] = {
    "console": ConsoleNotifier,
    "smtp": SmtpNotifier,
    "webhook": lambda settings, renderer: WebhookNotifier(settings, renderer=renderer),
}


def build_notifier(settings: Settings, words: Words | None = None) -> Notifier:
    """The notifier for ``[notifiers] channels``: the one channel, or a :class:`FanOutNotifier` over
    several (a message failing on one channel is retried on all of them). Raises ConfigError when a
    channel is misconfigured or a template override is broken, so a daemon stops at start, not per send."""
    names = list(dict.fromkeys(settings.notifiers.channels))
    if not names:
        msg = "[notifiers] channels is empty; name at least one of console, smtp, webhook."
        raise ConfigError(msg)
    renderer = Renderer(settings, words)
    channels = [(name, _CHANNELS[name](settings, renderer)) for name in names]
    if len(channels) == 1:
        return channels[0][1]
    return FanOutNotifier(channels)
