"""The notifiers (spec section 6, design section 5): bokmål messages with Oslo times and a link, nothing
from the case beyond that, and the console, e-mail and webhook channels without a network.

The messages rendered here are the ones the engine itself queued for a real case (report, notify_principal,
then sweeps before, at and after the start_investigation deadline), so a field the engine starts to put
in the payload shows up here. Oslo is UTC+2 in September 2026: the start_investigation deadline, the end
of Friday 4 September (2sd from Wednesday 2 September), is 2026-09-04T22:00Z.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import structlog
from pydantic import SecretStr
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from aktivitetsplikt.engine import FixedClock, OutboxMessage, Settings, bootstrap, builtin_registry, load_settings
from aktivitetsplikt.engine.config.settings import NotifierSettings, SmtpSettings, WebhookSettings
from aktivitetsplikt.engine.core.decide import notice_payload
from aktivitetsplikt.engine.core.texts import deadline, listing, moment
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.notifiers import (
    ConsoleNotifier,
    DeliveryError,
    FanOutNotifier,
    Renderer,
    SmtpNotifier,
    WebhookNotifier,
    build_notifier,
)
from tests.conftest import ADMIN, PG_ENV, T0, TEACHER, TEST_CONFIG, report_doc

OSLO = ZoneInfo("Europe/Oslo")
WORDS = builtin_registry().words
"""The built-in packs' words for roles and units, as the composition root hands them to the renderer."""

# Put into the case (pupil reference, documentation free text); none may reach a message.
PUPIL_REF = "ELEVREF-4711-HEMMELIG"
FREE_TEXTS = {
    "description": "Kari Nordmann blir utestengt av Per Hansen i friminuttene.",
    "summary": "FRITEKST-VARSEL om Kari",
    "channel": "FRITEKST-KANAL",
}
FORBIDDEN = (PUPIL_REF, "Kari", "Nordmann", "Per Hansen", "FRITEKST", "utestengt", "friminutt", "t-17")

NOTICE_KEYS = {
    "case_id",
    "case_number",
    "school",
    "school_name",
    "workflow",
    "workflow_label",
    "state",
    "state_label",
    "trigger",
    "trigger_label",
    "duties",
}
LADDER_KEYS = (NOTICE_KEYS - {"trigger", "trigger_label"}) | {"level", "overdue"}
OPTIONAL_LADDER_KEYS = {"recipients"}
"""Roles told of a ladder step; the renderer names them when the engine supplies them."""
DUTY_KEYS = {"kind", "label", "due_at"}

DUE = "utgangen av fredag 4. september 2026"
DASH = "\N{EN DASH}"
SECRET = "hemmelig-nokkel"
STANDARD_SECRET = "whsec_" + base64.b64encode(b"delt-nokkel-mellom-to-skoleverktoy").decode()
"""A secret of the Standard Webhooks form: whsec_ and the base64 of the key bytes."""


@dataclass(frozen=True)
class Journey:
    """One § 12-4 case taken to principal_notified, swept past its start_investigation deadline."""

    settings: Settings
    case_id: str
    number: str
    messages: tuple[OutboxMessage, ...]

    def one(self, kind: str, level: int | None = None, role: str | None = None) -> OutboxMessage:
        found = [
            m
            for m in self.messages
            if m.kind == kind and m.level == level and (role is None or m.recipient_role == role)
        ]
        assert len(found) == 1, [(m.kind, m.level, m.recipient_role) for m in self.messages]
        return found[0]


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journey]:
    folder = tmp_path_factory.mktemp("journey")
    config = folder / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{folder / "a.db"}"\n' + TEST_CONFIG, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        for key in list(os.environ):
            if key.startswith("AKTIVITETSPLIKT_") and key != PG_ENV:
                patch.delenv(key)
        settings = load_settings(config)
        clock = FixedClock(T0)
        engine = bootstrap(settings, clock=clock, upgrade=True)
        doc = report_doc(description=FREE_TEXTS["description"])
        case = engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil=PUPIL_REF, document=doc, actor=TEACHER
        )
        notified = {
            "notified_at": "2026-09-02T09:15",
            "channel": FREE_TEXTS["channel"],
            "summary": FREE_TEXTS["summary"],
        }
        engine.fire(case.id, "notify_principal", notified, TEACHER)
        # Before the deadline (reminder), at it (level 1) and a school day after it (level 2).
        for at in (
            datetime(2026, 9, 4, 6, tzinfo=UTC),
            datetime(2026, 9, 4, 22, tzinfo=UTC),
            datetime(2026, 9, 8, 6, tzinfo=UTC),
        ):
            clock.set(at)
            engine.sweep()
        yield Journey(settings, case.id, case.number, tuple(engine.outbox(actor=ADMIN)))


@pytest.fixture(scope="module")
def renderer(journey: Journey) -> Renderer:
    return Renderer(journey.settings, WORDS)


def with_payload(message: OutboxMessage, **changes: Any) -> OutboxMessage:
    return replace(message, payload={**message.payload, **changes})


def webhook_settings(settings: Settings, secret: str | None = SECRET) -> Settings:
    webhook = WebhookSettings(
        url="https://tool.example/hooks/aktivitetsplikt", secret=None if secret is None else SecretStr(secret)
    )
    notifiers = NotifierSettings(channels=["webhook"], webhook=webhook)
    return settings.model_copy(update={"notifiers": notifiers})


class TestNorwegianTimes:
    @pytest.mark.parametrize(
        ("instant", "expected"),
        [
            (datetime(2026, 9, 4, 22, 0, tzinfo=UTC), "utgangen av fredag 4. september 2026"),
            (datetime(2026, 9, 4, 12, 30, tzinfo=UTC), "fredag 4. september 2026 kl. 14:30"),
            (datetime(2026, 11, 2, 11, 0, tzinfo=UTC), "mandag 2. november 2026 kl. 12:00"),
            (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "utgangen av torsdag 31. desember 2026"),
            (datetime(2027, 3, 27, 23, 0, tzinfo=UTC), "utgangen av lørdag 27. mars 2027"),
        ],
    )
    def test_deadline_in_oslo_time(self, instant: datetime, expected: str) -> None:
        """A deadline at 00:00 Oslo time is the end of the day before; any other time is shown as is."""
        assert expected == deadline(instant, OSLO)

    def test_moment_keeps_midnight(self) -> None:
        """``moment`` always shows the clock time, 00:00 included, and reads ISO text."""
        expected = "lørdag 5. september 2026 kl. 00:00"
        assert expected == moment("2026-09-04T22:00:00+00:00", OSLO)

    def test_listing(self) -> None:
        """Lists read as Norwegian prose."""
        expected = ["", "rektor", "rektor og skoleeier", "melder, rektor og skoleeier"]
        given: list[list[str]] = [[], ["rektor"], ["rektor", "skoleeier"], ["melder", "rektor", "skoleeier"]]
        assert expected == [listing(items) for items in given]


class TestNynorsk:
    """A school that writes nynorsk (``language = "nn"``) gets its dates, labels and mails in nynorsk."""

    @pytest.mark.parametrize(
        ("instant", "expected"),
        [
            (datetime(2026, 9, 7, 22, 0, tzinfo=UTC), "utgangen av måndag 7. september 2026"),
            (datetime(2026, 9, 8, 12, 30, tzinfo=UTC), "tysdag 8. september 2026 kl. 14:30"),
            (datetime(2027, 3, 27, 23, 0, tzinfo=UTC), "utgangen av laurdag 27. mars 2027"),
        ],
    )
    def test_deadline(self, instant: datetime, expected: str) -> None:
        assert expected == deadline(instant, OSLO, "nn")

    def test_late_by_hours_or_days_never_zero_days(self) -> None:
        """An hour deadline (§ 12-5 "straks") is late by the hours begun; a day deadline by its days."""
        from aktivitetsplikt.engine.core.texts import late

        four_hours = datetime(2026, 9, 2, 12, 0, tzinfo=UTC)
        assert "5 timar" == late(
            four_hours, four_hours + timedelta(hours=4, minutes=1), OSLO, 0, ("dag", "dagar"), "nn"
        )
        assert "1 time" == late(four_hours, four_hours + timedelta(minutes=5), OSLO, 0, ("dag", "dagar"), "nb")
        end_of_day = datetime(2026, 9, 4, 22, 0, tzinfo=UTC)  # Friday: the weekend counts no school day
        assert "2 timer" == late(end_of_day, end_of_day + timedelta(hours=2), OSLO, 0, ("skoledag", "skoledager"))
        assert "3 skuledagar" == late(end_of_day, end_of_day + timedelta(days=5), OSLO, 3, ("skuledag", "skuledagar"))

    def test_a_mail_in_the_schools_language(self, journey: Journey) -> None:
        schools = {k: v.model_copy(update={"language": "nn"}) for k, v in journey.settings.schools.items()}
        renderer = Renderer(journey.settings.model_copy(update={"schools": schools}), WORDS)

        subject, body = renderer.render(journey.one("notice"))
        _, escalation = renderer.render(journey.one("escalation", 2))

        assert f"Sak {journey.number}: «Varsle rektor» er registrert" == subject
        for part in (
            "Du får denne meldinga som rektor.",
            "Skule:     Hellerud videregående skole",
            "Trinn:     Rektor varsla",
            "- Starte undersøking: innan utgangen av",
            f"Sjå saka: https://skole.example/saker/{journey.case_id}\n",
        ):
            assert part in body
        assert "meld vidare til skuleeigar" in escalation
        for bokmaal in ("meldingen", "Skole:", "undersøkelse", "ikke", "Se saken"):
            assert bokmaal not in body + escalation


class TestPayload:
    def test_the_engine_queued_every_kind(self, journey: Journey) -> None:
        """The journey yields a notice, a reminder and escalations at levels 1 and 2."""
        kinds = {(m.kind, m.level) for m in journey.messages}
        assert {("notice", None), ("reminder", 0), ("escalation", 1), ("escalation", 2)} == kinds

    def test_payload_keys_are_exactly_the_allowed_ones(self, journey: Journey) -> None:
        """A payload holds identifiers, stages and deadlines only: no pupil, names or documentation."""
        for message in journey.messages:
            keys = set(message.payload)
            expected = NOTICE_KEYS if message.kind == "notice" else LADDER_KEYS
            assert expected == keys - OPTIONAL_LADDER_KEYS, message.kind
            assert [DUTY_KEYS] * len(message.payload["duties"]) == [set(d) for d in message.payload["duties"]]

    def test_notice_payload_by_hand_has_the_same_keys(self, journey: Journey) -> None:
        """``notice_payload`` itself, the one place messages get their content, stays within the set."""
        engine = bootstrap(journey.settings, clock=FixedClock(T0))
        case = engine.get(journey.case_id, actor=ADMIN)
        spec = engine.registry.spec(case.workflow, case.workflow_version)
        payload = notice_payload(spec, case, "notify_principal", case.obligations, "Hellerud vgs")
        expected = NOTICE_KEYS
        assert expected == set(payload)


class TestRendering:
    def test_notice(self, journey: Journey, renderer: Renderer) -> None:
        """A notice names the step, the case, the stage, what is due by when (Oslo time) and the link."""
        subject, body = renderer.render(journey.one("notice"))
        assert f"Sak {journey.number}: «Varsle rektor» er registrert" == subject
        for part in (
            "Du får denne meldingen som rektor.",
            f"Sak:       {journey.number}",
            "Skole:     Hellerud videregående skole",
            "Sakstype:  Aktivitetsplikt (§ 12-4)",
            "Trinn:     Rektor varslet",
            f"- Starte undersøkelse: innen {DUE}\n",
            f"Se saken: https://skole.example/saker/{journey.case_id}\n",
        ):
            assert part in body
        assert body.endswith("\n")

    def test_reminder(self, journey: Journey, renderer: Renderer) -> None:
        """A reminder says which duty is due by when."""
        subject, body = renderer.render(journey.one("reminder", 0))
        assert f"Sak {journey.number}: påminnelse om frist for «Starte undersøkelse»" == subject
        assert f"det må være gjort innen {DUE}." in body
        assert f"https://skole.example/saker/{journey.case_id}" in body

    def test_escalation_level_1(self, journey: Journey, renderer: Renderer) -> None:
        """At the deadline: it has passed, when it was, and who the ladder tells."""
        subject, body = renderer.render(journey.one("escalation", 1, "principal"))
        assert f"Sak {journey.number}: frist for «Starte undersøkelse» har gått ut" == subject
        assert f"har gått ut,\nog plikten er ikke oppfylt. Fristen var {DUE}." in body
        assert "Også varslet om dette: skoleeier.\n" in body  # the principal held the duty (spec section 5)
        assert "skoleeier" not in subject

    def test_escalation_level_2(self, journey: Journey, renderer: Renderer) -> None:
        """A school day later the school owner is told, and hears who was told at the deadline."""
        subject, body = renderer.render(journey.one("escalation", 2))
        duty = "frist for «Starte undersøkelse» har gått ut"
        expected = f"Sak {journey.number}: {duty} {DASH} meldt til skoleeier"
        assert expected == subject
        assert "Du får dette varselet som skoleeier." in body
        assert "saken er derfor meldt videre til skoleeier." in body
        assert "Da fristen gikk ut, ble den som har ansvaret for plikten varslet" in body

    def test_escalation_names_the_others_told_when_the_engine_lists_them(
        self, journey: Journey, renderer: Renderer
    ) -> None:
        """With ``recipients`` in the payload the reader learns exactly who else heard of it."""
        told = ["principal", "school_owner"]
        message = with_payload(journey.one("escalation", 1, "principal"), recipients=told)
        _, body = renderer.render(message)
        assert "Også varslet om dette: skoleeier.\n" in body
        assert "Varselet går til" not in body

    def test_a_deadline_with_a_clock_time(self, journey: Journey, renderer: Renderer) -> None:
        """An hour deadline (§ 12-5's 4h) shows the Oslo clock time."""
        duty = {"kind": "notify_principal", "label": "Varsle rektor", "due_at": "2026-09-02T12:00:00+00:00"}
        _, body = renderer.render(with_payload(journey.one("notice"), duties=[duty]))
        assert "- Varsle rektor: innen onsdag 2. september 2026 kl. 14:00\n" in body

    def test_nothing_from_the_case_beyond_the_allowed_fields(self, journey: Journey, renderer: Renderer) -> None:
        """No subject or body of any message holds the pupil reference, names, free text or staff refs."""
        for message in journey.messages:
            subject, body = renderer.render(message)
            leaked = [text for text in FORBIDDEN if text in subject or text in body]
            assert not leaked, (message.kind, message.level, leaked)

    def test_fields_slipped_into_the_payload_do_not_reach_the_templates(
        self, journey: Journey, renderer: Renderer
    ) -> None:
        """The templates see a picked set of fields: an extra payload key is neither rendered nor visible."""
        message = with_payload(journey.one("notice"), pupil=PUPIL_REF, description=FREE_TEXTS["description"])
        assert "pupil" not in renderer.context(message)
        subject, body = renderer.render(message)
        assert PUPIL_REF not in subject + body

    def test_a_payload_without_a_needed_field_is_refused(self, journey: Journey, renderer: Renderer) -> None:
        """A message the engine did not write completely fails with a sentence, not a KeyError."""
        payload = {k: v for k, v in journey.one("notice").payload.items() if k != "case_number"}
        message = replace(journey.one("notice"), payload=payload)
        with pytest.raises(DeliveryError, match=r"has no 'case_number' in its payload"):
            renderer.render(message)


class TestTemplateOverride:
    @pytest.fixture
    def templates(self, config_file: Path, settings: Settings) -> Path:
        """A ``maler`` folder next to the config file, named relatively in [notifiers] templates_dir."""
        folder = config_file.parent / "maler"
        folder.mkdir()
        setting = '[notifiers]\ntemplates_dir = "maler"\n\n[links]'
        text = config_file.read_text(encoding="utf-8").replace("[links]", setting)
        config_file.write_text(text, encoding="utf-8")
        return folder

    def test_an_override_replaces_the_built_in_template(
        self, templates: Path, config_file: Path, journey: Journey
    ) -> None:
        """A template in templates_dir wins over the built-in one; the others stay built in."""
        (templates / "notice.subject.j2").write_text("Egen mal: {{ case_number }} ({{ school_name }})\n")
        renderer = Renderer(load_settings(config_file), WORDS)
        subject, body = renderer.render(journey.one("notice"))
        assert f"Egen mal: {journey.number} (Hellerud videregående skole)" == subject
        assert f"innen {DUE}" in body

    def test_a_subject_is_one_line(self, templates: Path, config_file: Path, journey: Journey) -> None:
        """Line breaks in a subject template are folded, so they can never break a mail header."""
        (templates / "notice.subject.j2").write_text("Sak\n{{ case_number }}\r\nBcc: x@y.example\n")
        subject, _ = Renderer(load_settings(config_file), WORDS).render(journey.one("notice"))
        assert f"Sak {journey.number} Bcc: x@y.example" == subject

    def test_an_override_asking_for_the_pupil_fails(self, templates: Path, config_file: Path, journey: Journey) -> None:
        """StrictUndefined: a template that asks for a field outside the picked set fails loudly."""
        (templates / "notice.txt.j2").write_text("Elev: {{ pupil }}\n")
        renderer = Renderer(load_settings(config_file), WORDS)
        message = with_payload(journey.one("notice"), pupil=PUPIL_REF)
        expected = r"notice\.txt\.j2 cannot be rendered \('pupil' is undefined\); fix "
        with pytest.raises(ConfigError, match=expected):
            renderer.render(message)

    def test_an_override_cannot_reach_python_internals(
        self, templates: Path, config_file: Path, journey: Journey
    ) -> None:
        """Issue 12: templates run sandboxed; an override walking to Python's classes (the way to run code
        in the daemon) is refused as a broken template, and nothing of the interpreter is rendered."""
        (templates / "notice.txt.j2").write_text("{{ case_number.__class__.__mro__[1].__subclasses__() }}\n")
        renderer = Renderer(load_settings(config_file), WORDS)
        with pytest.raises(ConfigError, match=r"notice\.txt\.j2 cannot be rendered"):
            renderer.render(journey.one("notice"))

    def test_a_broken_override_fails_at_start(self, templates: Path, config_file: Path) -> None:
        """A template with a syntax error stops the renderer from being built, naming the file."""
        (templates / "reminder.txt.j2").write_text("{% if %}\n")
        expected = r"reminder\.txt\.j2 cannot be loaded .*; fix .*maler/reminder\.txt\.j2"
        with pytest.raises(ConfigError, match=expected):
            Renderer(load_settings(config_file), WORDS)

    def test_a_missing_folder_is_a_config_error(self, settings: Settings) -> None:
        """templates_dir must name a folder."""
        notifiers = NotifierSettings(templates_dir="/nonexistent/maler")
        expected = r"\[notifiers\] templates_dir '/nonexistent/maler' is not a folder"
        with pytest.raises(ConfigError, match=expected):
            Renderer(settings.model_copy(update={"notifiers": notifiers}))


class TestConsoleNotifier:
    def test_logs_one_line_without_the_body(self, journey: Journey) -> None:
        """One structlog event per message: who, what kind and the subject, never the body."""
        message = journey.one("escalation", 1, "principal")
        with structlog.testing.capture_logs() as logs:
            ConsoleNotifier(journey.settings).send(message)
        assert [
            {
                "event": "notification",
                "log_level": "info",
                "message_id": message.id,
                "case_number": journey.number,
                "kind": "escalation",
                "level": 1,
                "recipient_role": "principal",
                "address": "rektor@hellerud.example",
                "subject": f"Sak {journey.number}: frist for «Starte undersøkelse» har gått ut",
            }
        ] == logs


class TestSmtpNotifier:
    def test_refuses_a_staff_ref_without_an_address(self, journey: Journey) -> None:
        """A staff ref the directory could not resolve fails with what to add to config.toml."""
        message = replace(journey.one("notice"), address="t-99")
        expected = (
            r"^Staff ref t-99 has no e-mail address; "
            r"add it under \[schools\.hellerud\.staff\] in config\.toml\.$"
        )
        with pytest.raises(DeliveryError, match=expected):
            SmtpNotifier(journey.settings).send(message)

    def test_composes_a_plain_utf8_mail_with_a_stable_message_id(self, journey: Journey) -> None:
        """From, To, Subject, Message-ID from the message id, the case and kind headers, text/plain UTF-8."""
        message = journey.one("reminder", 0)
        mail = SmtpNotifier(journey.settings).compose(message)
        assert {
            "From": "aktivitetsplikt@skole.example",
            "To": "rektor@hellerud.example",
            "Subject": f"Sak {journey.number}: påminnelse om frist for «Starte undersøkelse»",
            "Message-ID": f"<{message.id}@aktivitetsplikt>",
            "X-Aktivitetsplikt-Case": journey.number,
            "X-Aktivitetsplikt-Kind": "reminder",
        } == {
            key: mail[key]
            for key in ("From", "To", "Subject", "Message-ID", "X-Aktivitetsplikt-Case", "X-Aktivitetsplikt-Kind")
        }
        expected_type = ("text/plain", "utf-8")
        assert expected_type == (mail.get_content_type(), mail.get_content_charset())
        assert mail["Date"]

    def test_a_username_needs_a_password(self, settings: Settings) -> None:
        """Half a login is a configuration error naming the missing environment variable."""
        notifiers = NotifierSettings(smtp=SmtpSettings(username="aktivitetsplikt"))
        expected = r"set the environment variable AKTIVITETSPLIKT_NOTIFIERS__SMTP__PASSWORD"
        with pytest.raises(ConfigError, match=expected):
            SmtpNotifier(settings.model_copy(update={"notifiers": notifiers}))


class TestWebhookNotifier:
    @staticmethod
    def wire(settings: Settings, status: int = 200) -> tuple[WebhookNotifier, list[httpx.Request]]:
        """A notifier on ``settings`` (given webhook settings as they are) posting to a recording handler."""
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(status)

        client = httpx.Client(transport=httpx.MockTransport(handler))
        configured = settings if settings.notifiers.webhook.secret is not None else webhook_settings(settings)
        return WebhookNotifier(configured, client=client, renderer=Renderer(configured, WORDS)), seen

    def test_posts_signed_json_with_an_idempotency_key(self, journey: Journey) -> None:
        """The body is signed with HMAC-SHA256 of its exact bytes; the message id is the idempotency key."""
        notifier, seen = self.wire(journey.settings)
        message = journey.one("escalation", 2)
        notifier.send(message)
        [request] = seen
        digest = hmac.new(SECRET.encode(), request.content, hashlib.sha256).hexdigest()
        expected_signature = f"sha256={digest}"
        target = ("POST", "https://tool.example/hooks/aktivitetsplikt")
        assert target == (request.method, str(request.url))
        assert expected_signature == request.headers["X-Aktivitetsplikt-Signature"]
        assert message.id == request.headers["Idempotency-Key"]
        assert request.headers["Content-Type"].startswith("application/json")
        document = json.loads(request.content)
        subject, text = Renderer(journey.settings, WORDS).render(message)
        assert {
            "version": 1,
            "id": message.id,
            "kind": "escalation",
            "level": 2,
            "obligation": "start_investigation",
            "recipient_role": "school_owner",
            "address": "skoleeier@kommune.example",
            "case": message.payload,
            "subject": subject,
            "text": text,
        } == document

    def test_credentials_in_the_url_never_reach_the_error(self, journey: Journey) -> None:
        """Issue 12: a receiver that authenticates by user:password or ?token= in the URL; when it cannot be
        reached, the error (what becomes last_error, outbox --json and the log) has them masked."""

        def unreachable(request: httpx.Request) -> httpx.Response:
            msg = f"cannot connect to {request.url}"  # as httpx says it: the URL with its credentials
            raise httpx.ConnectError(msg, request=request)

        webhook = WebhookSettings(
            url="https://hook:pa55word@tool.example/in?token=t0ken&school=hel", secret=SecretStr(SECRET)
        )
        configured = journey.settings.model_copy(
            update={"notifiers": NotifierSettings(channels=["webhook"], webhook=webhook)}
        )
        client = httpx.Client(transport=httpx.MockTransport(unreachable))
        notifier = WebhookNotifier(configured, client=client, renderer=Renderer(configured, WORDS))
        with pytest.raises(DeliveryError) as raised:
            notifier.send(journey.one("notice"))
        text = str(raised.value)
        assert "hook:***@tool.example/in?token=***&school=hel" in text
        assert [] == [secret for secret in ("pa55word", "t0ken") if secret in text]

    def test_a_standard_webhooks_library_verifies_the_request(self, journey: Journey) -> None:
        """A receiver using the standardwebhooks library accepts the request with the shared secret."""
        configured = webhook_settings(journey.settings, secret=STANDARD_SECRET)
        notifier, seen = self.wire(configured)
        message = journey.one("escalation", 2)
        notifier.send(message)
        [request] = seen
        verified = Webhook(STANDARD_SECRET).verify(request.content, dict(request.headers))
        assert (message.id, 1, message.id) == (request.headers["webhook-id"], verified["version"], verified["id"])

    def test_a_tampered_or_replayed_request_is_rejected_by_the_receiver(self, journey: Journey) -> None:
        """Changed bytes fail the signature; a request signed 10 minutes ago falls outside the window."""
        configured = webhook_settings(journey.settings, secret=STANDARD_SECRET)
        notifier, seen = self.wire(configured)
        notifier.send(journey.one("notice"))
        notifier.clock = FixedClock(datetime.now(UTC) - timedelta(minutes=10))
        notifier.send(journey.one("notice"))
        fresh, old = seen
        receiver = Webhook(STANDARD_SECRET)
        with pytest.raises(WebhookVerificationError, match="No matching signature"):
            receiver.verify(fresh.content.replace(b'"notice"', b'"escalation"'), dict(fresh.headers))
        with pytest.raises(WebhookVerificationError, match="too old"):
            receiver.verify(old.content, dict(old.headers))

    @pytest.mark.parametrize("status", [400, 500, 503])
    def test_a_non_2xx_answer_is_a_failed_delivery(self, journey: Journey, status: int) -> None:
        """Any answer outside 2xx raises, with the status, so the dispatcher retries."""
        notifier, _ = self.wire(journey.settings, status)
        with pytest.raises(DeliveryError, match=rf"answered HTTP {status} to message"):
            notifier.send(journey.one("notice"))

    def test_an_unreachable_hook_is_a_failed_delivery(self, journey: Journey) -> None:
        """A connection error becomes a DeliveryError that keeps its cause."""

        def refuse(request: httpx.Request) -> httpx.Response:
            msg = "connection refused"
            raise httpx.ConnectError(msg, request=request)

        client = httpx.Client(transport=httpx.MockTransport(refuse))
        notifier = WebhookNotifier(webhook_settings(journey.settings), client=client)
        with pytest.raises(DeliveryError, match=r"could not be reached .*ConnectError") as caught:
            notifier.send(journey.one("notice"))
        assert isinstance(caught.value.__cause__, httpx.ConnectError)

    def test_refuses_to_start_without_a_secret(self, journey: Journey) -> None:
        """An unsigned webhook is a configuration error naming the environment variable."""
        expected = r"set the environment variable AKTIVITETSPLIKT_NOTIFIERS__WEBHOOK__SECRET"
        with pytest.raises(ConfigError, match=expected):
            WebhookNotifier(webhook_settings(journey.settings, secret=None))


class Recording:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[str] = []
        self.fail = fail

    def send(self, message: OutboxMessage) -> None:
        self.sent.append(message.id)
        if self.fail:
            msg = "the line is down"
            raise OSError(msg)


class TestBuildNotifier:
    def test_console_is_the_default(self, settings: Settings) -> None:
        """The default configuration builds the console notifier."""
        assert isinstance(build_notifier(settings), ConsoleNotifier)

    def test_several_channels_fan_out(self, settings: Settings) -> None:
        """With several channels every one of them gets the message."""
        configured = webhook_settings(settings)
        notifiers = configured.notifiers.model_copy(update={"channels": ["console", "webhook", "console"]})
        notifier = build_notifier(configured.model_copy(update={"notifiers": notifiers}))
        assert isinstance(notifier, FanOutNotifier)
        expected = ["console", "webhook"]
        assert expected == [name for name, _ in notifier.channels]

    def test_no_channel_is_a_config_error(self, settings: Settings) -> None:
        """An empty channel list would mark messages sent that went nowhere: refused."""
        notifiers = NotifierSettings(channels=[])
        with pytest.raises(ConfigError, match=r"\[notifiers\] channels is empty"):
            build_notifier(settings.model_copy(update={"notifiers": notifiers}))

    def test_webhook_without_secret_is_refused_at_build(self, settings: Settings) -> None:
        """A misconfigured channel stops the daemon at start."""
        with pytest.raises(ConfigError, match=r"AKTIVITETSPLIKT_NOTIFIERS__WEBHOOK__SECRET"):
            build_notifier(webhook_settings(settings, secret=None))


class TestFanOutNotifier:
    def test_every_channel_is_tried_and_a_failure_raises(self, journey: Journey) -> None:
        """A failing channel does not stop the others; the message fails as a whole and is retried."""
        first, broken, last = Recording(), Recording(fail=True), Recording()
        notifier = FanOutNotifier([("a", first), ("b", broken), ("c", last)])
        message = journey.one("notice")
        expected = r"failed on 1 of 3 channels \(b: the line is down\)"
        with pytest.raises(DeliveryError, match=expected) as caught:
            notifier.send(message)
        assert [[message.id]] * 3 == [first.sent, broken.sent, last.sent]
        assert isinstance(caught.value.__cause__, OSError)

    def test_all_channels_succeed(self, journey: Journey) -> None:
        """Without failures the send returns quietly after every channel."""
        channels = [Recording(), Recording()]
        FanOutNotifier([("a", channels[0]), ("b", channels[1])]).send(journey.one("notice"))
        expected = [1, 1]
        assert expected == [len(c.sent) for c in channels]
