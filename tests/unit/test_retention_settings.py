"""``[retention.<workflow>]``, ``[archive]`` and ``[encryption]`` in the configuration."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from aktivitetsplikt.engine.bootstrap import builtin_registry
from aktivitetsplikt.engine.config.retention import retention_rules
from aktivitetsplikt.engine.config.settings import load_settings
from aktivitetsplikt.engine.core.pack import Retention
from aktivitetsplikt.engine.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.upper().startswith("AKTIVITETSPLIKT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def settings_of(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


class TestRetentionSettings:
    def test_the_packs_default_with_the_config_over_it(self, tmp_path: Path) -> None:
        """Every built-in workflow keeps 3 years and archives first; a table overrides key by key."""
        settings = settings_of(tmp_path, "[retention.aktivitetsplikt]\nyears = 5\n")

        rules = retention_rules(settings.retention, builtin_registry().packs())

        assert Retention(5, True) == rules["aktivitetsplikt"]
        assert Retention(3, True) == rules["skjerpa_aktivitetsplikt"]

    def test_an_unknown_workflow_is_refused(self, tmp_path: Path) -> None:
        """A table for a workflow no pack brings names the known ones."""
        settings = settings_of(tmp_path, "[retention.aktivitetsplkt]\nyears = 5\n")

        with pytest.raises(ConfigError, match=r"\[retention\.aktivitetsplkt\] names no known workflow"):
            retention_rules(settings.retention, builtin_registry().packs())

    def test_years_must_be_whole_and_positive(self, tmp_path: Path) -> None:
        """Zero years would erase a case the day it closes."""
        with pytest.raises(ConfigError, match="years"):
            settings_of(tmp_path, "[retention.aktivitetsplikt]\nyears = 0\n")


class TestEncryptionSettings:
    def test_the_key_comes_from_the_environment(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A 32-byte base64 key in the environment is read; the same key in the file is refused."""
        key = base64.b64encode(os.urandom(32)).decode()
        monkeypatch.setenv("AKTIVITETSPLIKT_ENCRYPTION__KEY", key)

        assert base64.b64decode(key) == settings_of(tmp_path, "").encryption.keys()[0]
        with pytest.raises(ConfigError, match="AKTIVITETSPLIKT_ENCRYPTION__KEY"):
            settings_of(tmp_path, f'[encryption]\nkey = "{key}"\n')

    def test_a_short_key_is_refused_without_showing_it(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A key that is not 32 bytes of base64 says what is expected and never echoes the key."""
        monkeypatch.setenv("AKTIVITETSPLIKT_ENCRYPTION__KEY", "c2hvcnQta2V5")

        with pytest.raises(ConfigError, match="32 random bytes") as raised:
            settings_of(tmp_path, "")
        assert "c2hvcnQta2V5" not in str(raised.value)
