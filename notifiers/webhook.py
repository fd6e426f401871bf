"""The webhook channel: a signed JSON POST per message, for other school tools.

Signed on the Standard Webhooks scheme (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``;
https://www.standardwebhooks.com), so a .NET or Java receiver verifies with an existing library and
rejects a replay outside its time window. With a secret of the scheme's form (``whsec_`` and base64)
the key is the decoded bytes, as every Standard Webhooks library reads it; any other secret is used as
its UTF-8 bytes. The older ``X-Aktivitetsplikt-Signature`` (hex HMAC-SHA256 of the body) is still sent
for receivers built against it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from aktivitetsplikt.engine.app.ports import Clock
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.model import OutboxMessage
from aktivitetsplikt.engine.core.redact import redact_text, redact_url
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.notifiers.errors import DeliveryError
from aktivitetsplikt.notifiers.render import Renderer

__all__ = ["SIGNATURE_HEADER", "WebhookNotifier", "sign"]

TIMEOUT = 10.0
SIGNATURE_HEADER = "X-Aktivitetsplikt-Signature"
PAYLOAD_VERSION = 1
"""The version of the body's shape; a receiver can refuse a version it does not know."""
SECRET_ENV = "AKTIVITETSPLIKT_NOTIFIERS__WEBHOOK__SECRET"


class _SystemTime:
    """The real time for the signature's timestamp when no clock is given (the receiver checks it
    against its own clock, so it must be the real one in production)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def sign(secret: bytes, body: bytes) -> str:
    """The signature header value: ``sha256=`` and the hex HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


class WebhookNotifier:
    """POSTs ``{"id", "kind", "level", "obligation", "recipient_role", "address", "case", "subject", "text"}``
    to ``[notifiers.webhook] url``. ``case`` is the payload the engine wrote (identifiers, stages and
    deadlines only). The receiver checks the signature header against the shared secret and may use the
    ``Idempotency-Key`` (the message id) to drop a message the dispatcher sent twice.
    """

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        renderer: Renderer | None = None,
        clock: Clock | None = None,
    ) -> None:
        config = settings.notifiers.webhook
        if config.url is None:
            msg = "The webhook channel needs a url; set url in [notifiers.webhook]."
            raise ConfigError(msg)
        if config.secret is None or not config.secret.get_secret_value():
            msg = f"The webhook channel needs a signing secret; set the environment variable {SECRET_ENV}."
            raise ConfigError(msg)
        self.url = config.url
        self.shown_url = redact_url(config.url)
        """The URL as errors and logs show it: credentials in it masked."""
        secret = config.secret.get_secret_value()
        self._secret = secret.encode("utf-8")
        self._standard = Webhook(secret if secret.startswith("whsec_") else self._secret)
        self.clock: Clock = clock if clock is not None else _SystemTime()
        self.renderer = renderer if renderer is not None else Renderer(settings)
        self._owns_client = client is None
        self.client = client if client is not None else httpx.Client(timeout=TIMEOUT)

    def body(self, message: OutboxMessage) -> bytes:
        """The exact bytes that are signed and sent."""
        subject, text = self.renderer.render(message)
        document: dict[str, Any] = {
            "version": PAYLOAD_VERSION,
            "id": message.id,
            "kind": message.kind,
            "level": message.level,
            "obligation": message.obligation,
            "recipient_role": message.recipient_role,
            "address": message.address,
            "case": message.payload,
            "subject": subject,
            "text": text,
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def send(self, message: OutboxMessage) -> None:
        body = self.body(message)
        now = self.clock.now()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self._secret, body),
            "Idempotency-Key": message.id,
            "webhook-id": message.id,
            "webhook-timestamp": str(int(now.timestamp())),
            # The library signs the timestamp of a naive-or-UTC datetime: give it UTC.
            "webhook-signature": self._standard.sign(message.id, now.astimezone(UTC), body.decode("utf-8")),
        }
        try:
            response = self.client.post(self.url, content=body, headers=headers, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            # The exception's text may repeat the URL with its credentials: redact it like the URL.
            cause = redact_text(f"{type(exc).__name__}: {exc}", (self._secret.decode("utf-8"),))
            msg = f"The webhook {self.shown_url} could not be reached for message {message.id} ({cause})."
            raise DeliveryError(msg) from exc
        if not response.is_success:
            status = response.status_code
            msg = f"The webhook {self.shown_url} answered HTTP {status} to message {message.id}; it was not taken."
            raise DeliveryError(msg)

    def close(self) -> None:
        """Close the HTTP client, if this notifier created it."""
        if self._owns_client:
            self.client.close()
