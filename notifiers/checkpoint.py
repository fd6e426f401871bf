"""A signed checkpoint handed to the webhook (``[checkpoint] webhook = true``): the receiver keeps a copy
outside the database, where an insider with write access to it cannot reach. The same url, HMAC header
and Standard Webhooks signature as the messages (``notifiers.webhook``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC
from typing import Any

import httpx

from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.notifiers.errors import DeliveryError
from aktivitetsplikt.notifiers.webhook import SIGNATURE_HEADER, TIMEOUT, WebhookNotifier, sign


class CheckpointWebhook(WebhookNotifier):
    """POSTs ``{"kind": "checkpoint", "checkpoint": {...}}``; raises DeliveryError when it is not taken."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        super().__init__(settings, client=client, renderer=None)

    def publish(self, content: Mapping[str, Any]) -> None:
        body = json.dumps({"kind": "checkpoint", "checkpoint": content}, ensure_ascii=False).encode("utf-8")
        now = self.clock.now()
        ident = f"checkpoint-{content['root']}"
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self._secret, body),
            "Idempotency-Key": ident,
            "webhook-id": ident,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": self._standard.sign(ident, now.astimezone(UTC), body.decode("utf-8")),
        }
        try:
            response = self.client.post(self.url, content=body, headers=headers, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            msg = f"The webhook {self.shown_url} could not be reached for a checkpoint ({type(exc).__name__})."
            raise DeliveryError(msg) from exc
        if not response.is_success:
            msg = f"The webhook {self.shown_url} answered HTTP {response.status_code} to a checkpoint."
            raise DeliveryError(msg)


def checkpoint_webhook(settings: Settings) -> CheckpointWebhook | None:
    """The webhook checkpoints go to, when ``[checkpoint] webhook`` is on."""
    return CheckpointWebhook(settings) if settings.checkpoint.webhook else None
