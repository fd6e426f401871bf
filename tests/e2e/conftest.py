"""Helpers for running the CLI as a subprocess against a prepared configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CLI = [sys.executable, "-m", "aktivitetsplikt.engine.cli"]


def run_cli(
    config: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    check: int | None = 0,
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
    full_env.update(env or {})
    result = subprocess.run(
        [*CLI, "--config", str(config), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        check=False,
    )
    if check is not None:
        assert check == result.returncode, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(config_file: Path) -> Cli:
    """Run the CLI on the test config (a fresh SQLite file); the schema is created first."""
    run_cli(config_file, "db", "upgrade")

    def call(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return run_cli(config_file, *args, **kwargs)

    return call


def write_doc(folder: Path, name: str, doc: dict[str, Any]) -> str:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)
