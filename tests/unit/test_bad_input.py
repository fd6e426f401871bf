"""Bad input to the library gets a typed error from the one tree, stores nothing and echoes no ref."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import structlog

from aktivitetsplikt.engine import (
    Actor,
    AktivitetspliktError,
    DocumentationMissing,
    Engine,
    FixedClock,
    Settings,
    load_settings,
)
from aktivitetsplikt.engine.cli.logs import add_log_level
from aktivitetsplikt.engine.config.settings import unknown_environment
from aktivitetsplikt.engine.core.redact import redact_text, redact_url
from aktivitetsplikt.engine.errors import ConfigError, InvalidInput
from tests.conftest import PRINCIPAL, TEACHER, drive_to, report_doc
from tests.fakes import InMemoryUnitOfWorkFactory, make_engine


@pytest.fixture
def wired(settings: Settings, clock: FixedClock) -> tuple[Engine, InMemoryUnitOfWorkFactory]:
    return make_engine(settings, clock)


def report(engine: Engine, pupil: Any = "elev-1", **doc: Any) -> None:
    engine.report(workflow="aktivitetsplikt", school="hellerud", pupil=pupil, document=report_doc(**doc), actor=TEACHER)


SECRET_REF = "ELEV-HEMMELIG-"


class TestRefs:
    @pytest.mark.parametrize(
        ("pupil", "problem"),
        [
            (SECRET_REF + "x" * 200, "is longer than 200 characters"),
            (SECRET_REF + "\x00", "contains control characters"),
            (SECRET_REF + "\x1b[2J", "contains control characters"),
            (SECRET_REF + "\ud800", "not valid Unicode text"),
            (4711, "must be text, not int"),
        ],
    )
    def test_a_bad_pupil_ref_is_refused_without_echo(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], pupil: Any, problem: str
    ) -> None:
        """Too long, NUL, ESC, a lone surrogate or not text: InvalidInput naming the problem, not the ref."""
        engine, factory = wired
        with pytest.raises(InvalidInput, match=problem) as raised:
            report(engine, pupil=pupil)
        assert (False, {}) == (SECRET_REF in str(raised.value), factory.store.cases)

    @pytest.mark.parametrize("actor_id", ["t-17\x1b", "x" * 201, "t\ud800"])
    def test_a_bad_actor_id_is_refused(self, actor_id: str) -> None:
        """An actor id with control characters, over 200 characters or not valid text is InvalidInput."""
        with pytest.raises(InvalidInput, match="The actor's id"):
            Actor(id=actor_id, role="staff", school="hellerud")

    def test_invalid_input_is_in_the_error_tree_and_a_value_error(self) -> None:
        """Embedders catching AktivitetspliktError (or ValueError, as before) catch it."""
        assert issubclass(InvalidInput, AktivitetspliktError) and issubclass(InvalidInput, ValueError)


class TestDates:
    def test_a_report_dated_1900_is_refused(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """occurred_at in 1900 is not plausible: refused, nothing stored."""
        engine, factory = wired
        with pytest.raises(DocumentationMissing, match="occurred_at: is not a plausible date"):
            report(engine, occurred_at="1900-09-02T09:00")
        assert {} == factory.store.cases

    def test_a_response_due_in_1900_is_refused(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """Statsforvalteren's deadline in 1900 would escalate at once: refused."""
        engine, _ = wired
        case_id = drive_to(engine, "principal_notified")
        doc = {"received_at": "2026-09-02T09:00", "reference": "SF-1", "response_due_at": "1900-01-01T12:00"}
        with pytest.raises(DocumentationMissing, match="response_due_at: is not a plausible date"):
            engine.fire(case_id, "register_enforcement", doc, PRINCIPAL)

    def test_text_with_a_lone_surrogate_is_refused(self, wired: tuple[Engine, InMemoryUnitOfWorkFactory]) -> None:
        """Free text that cannot be stored as UTF-8 is a field problem, not a UnicodeEncodeError later."""
        engine, _ = wired
        with pytest.raises(DocumentationMissing, match="description: input should be a valid string"):
            report(engine, description="ok \udc80")


class TestVersions:
    @pytest.mark.parametrize("version", ["1", 1.0, True, -1])
    def test_expected_version_must_be_a_whole_number(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory], version: Any
    ) -> None:
        """expected_version="1" is InvalidInput, never 'expected version 1, found 1'."""
        engine, _ = wired
        case_id = drive_to(engine, "reported")
        doc = {"notified_at": "2026-09-02T09:30", "channel": "muntlig", "summary": "Melding."}
        with pytest.raises(InvalidInput, match="expected_version must be a whole number"):
            engine.fire(case_id, "notify_principal", doc, TEACHER, expected_version=version)


class TestSecrets:
    def test_credentials_in_a_url_are_masked(self) -> None:
        """user:password and token-like query values never reach a message."""
        expected = "https://hook:***@tool.example/in?token=***&school=hel"
        assert expected == redact_url("https://hook:s3cret@tool.example/in?token=abc123&school=hel")

    def test_urls_inside_a_text_are_masked(self) -> None:
        """An exception text that repeats the URL is redacted like the URL."""
        text = "ConnectError: https://u:pw@h.example/x?api_key=k1 refused"
        assert "ConnectError: https://u:***@h.example/x?api_key=*** refused" == redact_text(text)

    def test_the_log_level_does_not_overwrite_the_escalation_level(self) -> None:
        """JSON logs keep an event's own ``level`` (the escalation level) beside ``log_level``."""
        processed = add_log_level(structlog.get_logger(), "info", {"event": "message_sent", "level": 2})
        assert {"event": "message_sent", "level": 2, "log_level": "info"} == processed


class TestBackoff:
    @pytest.mark.parametrize("attempts", [1, 8, 43, 10_000])
    def test_backoff_never_overflows(self, attempts: int) -> None:
        """Any number of attempts gives a wait between 30 s and an hour, never an OverflowError."""
        from datetime import timedelta

        from aktivitetsplikt.engine.app.dispatch import backoff

        assert timedelta(seconds=30) <= backoff(attempts) <= timedelta(hours=1)


class TestConfiguration:
    @pytest.mark.parametrize(
        "url", ["https://skole.example/saker/{0}/{id}", "javascript:alert(1)//{id}", "https://x/{id}/{name}"]
    )
    def test_a_case_url_that_cannot_be_a_link_is_refused_at_load(self, tmp_path: Path, url: str) -> None:
        """'{0}', another brace name or a javascript: URL is a ConfigError at start, not an IndexError per message."""
        path = tmp_path / "config.toml"
        path.write_text(f'[links]\ncase_url = "{url}"\n', encoding="utf-8")
        with pytest.raises(
            ConfigError, match=r"\[links\] case_url: expected a URL containing \{id\} \(https://, no other braces\)"
        ):
            load_settings(path)

    def test_a_misspelt_environment_variable_is_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A misspelt section (AKTIVITETSPLIKT_DATABSE__URL) is named; a misspelt key of a known section is
        already refused by the settings themselves."""
        for name in list(os.environ):
            if name.startswith("AKTIVITETSPLIKT_"):
                monkeypatch.delenv(name)
        monkeypatch.setenv("AKTIVITETSPLIKT_DATABSE__URL", "sqlite:///x.db")
        monkeypatch.setenv("AKTIVITETSPLIKT_DAEMON__SWEEP_EVRY", "30s")
        monkeypatch.setenv("AKTIVITETSPLIKT_DAEMON__SWEEP_EVERY", "30s")
        monkeypatch.setenv("AKTIVITETSPLIKT_SCHOOLS__X__NAME", "X")
        monkeypatch.setenv("AKTIVITETSPLIKT_CONFIG", "")
        expected = ["AKTIVITETSPLIKT_DAEMON__SWEEP_EVRY", "AKTIVITETSPLIKT_DATABSE__URL"]
        assert expected == unknown_environment(os.environ)
        monkeypatch.delenv("AKTIVITETSPLIKT_SCHOOLS__X__NAME")  # a half-configured school would not load
        monkeypatch.delenv("AKTIVITETSPLIKT_DAEMON__SWEEP_EVRY")  # refused as an unknown key, see above
        with structlog.testing.capture_logs() as logs:
            load_settings(None)
        warned = [entry["name"] for entry in logs if entry["event"] == "unknown_environment_variable"]
        assert ["AKTIVITETSPLIKT_DATABSE__URL"] == warned
