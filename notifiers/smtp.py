"""The e-mail channel: stdlib smtplib and email, STARTTLS and login as configured in ``[notifiers.smtp]``."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.model import OutboxMessage
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.notifiers.errors import DeliveryError
from aktivitetsplikt.notifiers.render import Renderer

__all__ = ["SmtpNotifier"]

TIMEOUT = 10.0
"""Seconds to wait for the server to connect or answer."""


class SmtpNotifier:
    """Sends each message as one plain-text UTF-8 e-mail over a fresh SMTP connection.

    The ``Message-ID`` is built from the outbox message id, so a message the dispatcher sends again after a
    lost acknowledgement carries the same id and can be recognised by the receiving side. ``ssl_context``
    is for tests (a self-signed server); by default the system's trusted certificates are used.
    """

    def __init__(
        self,
        settings: Settings,
        renderer: Renderer | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        self.config = settings.notifiers.smtp
        if (self.config.username is None) != (self.config.password is None):
            missing = (
                "username in [notifiers.smtp]"
                if self.config.username is None
                else ("the environment variable AKTIVITETSPLIKT_NOTIFIERS__SMTP__PASSWORD")
            )
            msg = f"SMTP login needs both a username and a password; set {missing}, or neither."
            raise ConfigError(msg)
        self.renderer = renderer if renderer is not None else Renderer(settings)
        self.ssl_context = ssl_context
        self.timeout = timeout

    def compose(self, message: OutboxMessage) -> EmailMessage:
        """The e-mail for ``message``; refuses an address that is a staff ref without an e-mail entry."""
        if "@" not in message.address:
            school = message.payload.get("school", "<id>")
            msg = (
                f"Staff ref {message.address} has no e-mail address; "
                f"add it under [schools.{school}.staff] in config.toml."
            )
            raise DeliveryError(msg)
        subject, body = self.renderer.render(message)
        mail = EmailMessage()
        mail["From"] = self.config.sender
        mail["To"] = message.address
        mail["Subject"] = subject
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = f"<{message.id}@aktivitetsplikt>"
        mail["X-Aktivitetsplikt-Case"] = str(message.payload.get("case_number", ""))
        mail["X-Aktivitetsplikt-Kind"] = message.kind
        mail.set_content(body, subtype="plain", charset="utf-8")
        return mail

    def send(self, message: OutboxMessage) -> None:
        mail = self.compose(message)
        server = f"{self.config.host}:{self.config.port}"
        try:
            with smtplib.SMTP(self.config.host, self.config.port, timeout=self.timeout) as smtp:
                if self.config.starttls:
                    smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                if self.config.username is not None and self.config.password is not None:
                    smtp.login(self.config.username, self.config.password.get_secret_value())
                smtp.send_message(mail, from_addr=self.config.sender, to_addrs=[message.address])
        except (smtplib.SMTPException, OSError) as exc:
            msg = f"The SMTP server {server} did not take message {message.id} ({type(exc).__name__}: {exc})."
            raise DeliveryError(msg) from exc
