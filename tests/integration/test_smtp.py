"""SmtpNotifier against a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, and failures.

STARTTLS with login runs against a self-signed certificate made on the spot with the ``openssl`` command
line tool (nothing is fetched); it is skipped where ``openssl`` is not installed.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from pydantic import SecretStr

from aktivitetsplikt.engine import OutboxMessage, Settings, builtin_registry
from aktivitetsplikt.engine.config.settings import NotifierSettings, SmtpSettings
from aktivitetsplikt.notifiers import DeliveryError, Renderer, SmtpNotifier

SENDER = "aktivitetsplikt@skole.example"
SCHOOL = "Bjørnsletta og Kjærnes skole på Ås"
UNKNOWN = "ukjent@skole.example"


class Collector:
    """An aiosmtpd handler that keeps every envelope and refuses the address UNKNOWN."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address == UNKNOWN:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class Logins:
    """An aiosmtpd authenticator accepting one user, recording every attempt."""

    def __init__(self, user: str, password: str) -> None:
        self.expected = LoginPassword(user.encode(), password.encode())
        self.attempts: list[tuple[str, bytes]] = []

    def __call__(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        self.attempts.append((mechanism, data.login if isinstance(data, LoginPassword) else b""))
        # handled=False: aiosmtpd then answers a refusal with 535 itself.
        return AuthResult(success=data == self.expected, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def smtp_settings(settings: Settings, port: int, **smtp: Any) -> Settings:
    config = SmtpSettings(host="127.0.0.1", port=port, sender=SENDER, **smtp)
    return settings.model_copy(update={"notifiers": NotifierSettings(channels=["smtp"], smtp=config)})


def message(address: str = "rektor@hellerud.example") -> OutboxMessage:
    """An escalation as the engine queues it (same payload shape), for a school whose name has æ, ø and å."""
    payload: dict[str, Any] = {
        "case_id": "0b7f1c4e-5d1a-4a8e-9a57-0c2f3c1d9e11",
        "case_number": "HEL-2026-0007",
        "school": "hellerud",
        "school_name": SCHOOL,
        "workflow": "aktivitetsplikt",
        "workflow_label": "Aktivitetsplikt (§ 12-4)",
        "state": "principal_notified",
        "state_label": "Rektor varslet",
        "duties": [
            {"kind": "start_investigation", "label": "Starte undersøkelse", "due_at": "2026-09-04T22:00:00+00:00"}
        ],
        "level": 1,
        "overdue": True,
    }
    return OutboxMessage(
        id="5e0c2b7a-8f3d-4c11-b0a2-6d9e4f1a2b3c",
        case_id=payload["case_id"],
        kind="escalation",
        recipient_role="principal",
        address=address,
        payload=payload,
        created_at=datetime(2026, 9, 4, 22, tzinfo=UTC),
        obligation="start_investigation",
        level=1,
    )


@pytest.fixture
def collector() -> Collector:
    return Collector()


@pytest.fixture
def server(collector: Collector) -> Iterator[Controller]:
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def received(envelope: Envelope) -> EmailMessage:
    assert isinstance(envelope.content, bytes)
    parsed = message_from_bytes(envelope.content, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


class TestDelivery:
    def test_the_server_receives_the_mail(self, settings: Settings, server: Controller, collector: Collector) -> None:
        """Envelope, headers and the UTF-8 bokmål body arrive as sent."""
        outbox = message()
        configured = smtp_settings(settings, server.port)
        SmtpNotifier(configured, Renderer(configured, builtin_registry().words)).send(outbox)
        [envelope] = collector.envelopes
        assert (SENDER, ["rektor@hellerud.example"]) == (envelope.mail_from, envelope.rcpt_tos)
        mail = received(envelope)
        expected_headers = {
            "From": SENDER,
            "To": "rektor@hellerud.example",
            "Subject": "Sak HEL-2026-0007: frist for «Starte undersøkelse» har gått ut",
            "Message-ID": f"<{outbox.id}@aktivitetsplikt>",
            "X-Aktivitetsplikt-Case": "HEL-2026-0007",
            "X-Aktivitetsplikt-Kind": "escalation",
        }
        assert expected_headers == {key: str(mail[key]) for key in expected_headers}
        assert ("text/plain", "utf-8") == (mail.get_content_type(), mail.get_content_charset())
        body = mail.get_content().replace("\r\n", "\n")
        assert {"æ", "ø", "å"} <= set(body)
        assert f"Skole:     {SCHOOL}\n" in body
        assert "Fristen var utgangen av fredag 4. september 2026." in body
        assert f"Se saken: https://skole.example/saker/{outbox.payload['case_id']}\n" in body

    def test_a_resend_carries_the_same_message_id(
        self, settings: Settings, server: Controller, collector: Collector
    ) -> None:
        """Sending a message twice (a retry after a lost answer) gives two mails with one Message-ID."""
        notifier = SmtpNotifier(smtp_settings(settings, server.port))
        notifier.send(message())
        notifier.send(message())
        ids = {received(envelope)["Message-ID"] for envelope in collector.envelopes}
        assert {"<5e0c2b7a-8f3d-4c11-b0a2-6d9e4f1a2b3c@aktivitetsplikt>"} == ids


class TestFailures:
    def test_a_stopped_server_fails_fast(self, settings: Settings, collector: Collector) -> None:
        """With nothing listening the send raises DeliveryError (from ConnectionRefusedError) at once."""
        controller = Controller(collector, hostname="127.0.0.1", port=free_port())
        controller.start()
        controller.stop()
        notifier = SmtpNotifier(smtp_settings(settings, controller.port))
        started = time.monotonic()
        expected = r"The SMTP server 127\.0\.0\.1:\d+ did not take message"
        with pytest.raises(DeliveryError, match=expected) as caught:
            notifier.send(message())
        assert time.monotonic() - started < 5
        assert isinstance(caught.value.__cause__, ConnectionRefusedError)

    def test_a_refused_recipient_fails(self, settings: Settings, server: Controller, collector: Collector) -> None:
        """A recipient the server refuses is a failed delivery, and nothing is delivered."""
        with pytest.raises(DeliveryError, match=r"SMTPRecipientsRefused"):
            SmtpNotifier(smtp_settings(settings, server.port)).send(message(UNKNOWN))
        assert [] == collector.envelopes


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command line tool."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed; STARTTLS is not tested")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class TestStartTls:
    @pytest.fixture
    def tls_server(self, certificate: tuple[Path, Path], collector: Collector) -> Iterator[tuple[Controller, Logins]]:
        cert, key = certificate
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        logins = Logins("aktivitetsplikt", "s3cret-pass")
        controller = Controller(
            collector,
            hostname="127.0.0.1",
            port=free_port(),
            tls_context=context,
            require_starttls=True,
            authenticator=logins,
            auth_require_tls=True,
        )
        controller.start()
        try:
            yield controller, logins
        finally:
            controller.stop()

    def test_starttls_and_login(
        self,
        settings: Settings,
        certificate: tuple[Path, Path],
        tls_server: tuple[Controller, Logins],
        collector: Collector,
    ) -> None:
        """With starttls the connection is encrypted before the login; the mail then goes through."""
        controller, logins = tls_server
        configured = smtp_settings(
            settings, controller.port, starttls=True, username="aktivitetsplikt", password=SecretStr("s3cret-pass")
        )
        trusted = ssl.create_default_context(cafile=str(certificate[0]))
        SmtpNotifier(configured, ssl_context=trusted).send(message())
        assert 1 == len(collector.envelopes)
        assert [("PLAIN", b"aktivitetsplikt")] == logins.attempts

    def test_a_wrong_password_fails(
        self,
        settings: Settings,
        certificate: tuple[Path, Path],
        tls_server: tuple[Controller, Logins],
        collector: Collector,
    ) -> None:
        """A refused login is a failed delivery."""
        controller, _ = tls_server
        configured = smtp_settings(
            settings, controller.port, starttls=True, username="aktivitetsplikt", password=SecretStr("wrong")
        )
        trusted = ssl.create_default_context(cafile=str(certificate[0]))
        with pytest.raises(DeliveryError, match=r"SMTPAuthenticationError"):
            SmtpNotifier(configured, ssl_context=trusted).send(message())
        assert [] == collector.envelopes

    def test_an_untrusted_certificate_fails(
        self, settings: Settings, tls_server: tuple[Controller, Logins], collector: Collector
    ) -> None:
        """By default the server's certificate must be trusted by the system: a self-signed one is refused."""
        controller, _ = tls_server
        configured = smtp_settings(settings, controller.port, starttls=True)
        with pytest.raises(DeliveryError, match=r"SSLCertVerificationError") as caught:
            SmtpNotifier(configured).send(message())
        assert isinstance(caught.value.__cause__, ssl.SSLError)
