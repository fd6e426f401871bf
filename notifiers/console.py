"""The console channel: one structlog line per message (the embedded default)."""

from __future__ import annotations

import structlog

from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.model import OutboxMessage
from aktivitetsplikt.notifiers.render import Renderer

__all__ = ["ConsoleNotifier"]


class ConsoleNotifier:
    """Logs who a message is for and its subject; never the body, so the log stays free of case text."""

    def __init__(self, settings: Settings, renderer: Renderer | None = None) -> None:
        self.renderer = renderer if renderer is not None else Renderer(settings)

    def send(self, message: OutboxMessage) -> None:
        subject, _ = self.renderer.render(message)
        structlog.get_logger().info(
            "notification",
            message_id=message.id,
            case_number=message.payload.get("case_number"),
            kind=message.kind,
            level=message.level,
            recipient_role=message.recipient_role,
            address=message.address,
            subject=subject,
        )
