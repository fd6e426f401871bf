"""``aktivitetsplikt serve`` as a process: development mode end to end, and a refused start."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.e2e.conftest import CLI, Cli, run_cli
from tests.e2e.http_support import free_port

DEV_ENV = {"AKTIVITETSPLIKT_HTTP__AUTH__DEV_SECRET": "d" * 40}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
    return env | DEV_ENV


def _wait_for(url: str, process: subprocess.Popen[str]) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class TestServe:
    def test_development_mode_serves_and_says_so(self, cli: Cli, config_file: Path) -> None:
        """Health shows the development warning, a dev-token opens the API, SIGTERM stops it cleanly."""
        with config_file.open("a", encoding="utf-8") as file:
            file.write('\n[http.auth]\nmode = "development"\n')
        token = cli("dev-token", "--actor-id", "t-17", "--actor-role", "staff", "--school", "hellerud", env=DEV_ENV)
        port = free_port()
        command = [*CLI, "--config", str(config_file), "serve", "--port", str(port)]
        process = subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            health = _wait_for(f"http://127.0.0.1:{port}/healthz", process).json()
            headers = {"Authorization": f"Bearer {token.stdout.strip()}"}
            cases = httpx.get(f"http://127.0.0.1:{port}/cases", headers=headers, timeout=10)
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)

        assert ("development", True) == (health["auth_mode"], "DEVELOPMENT MODE" in health["warning"])
        assert (200, []) == (cases.status_code, cases.json())
        # uvicorn finishes its requests, then re-raises SIGTERM so a supervisor sees why it stopped.
        assert (True, True) == (process.returncode in (0, -signal.SIGTERM), "development_mode" in stderr)

    def test_serve_without_an_identity_provider_refuses_to_start(self, cli: Cli, config_file: Path) -> None:
        """The default oidc mode without issuer, audience and keys: exit 5 naming them."""
        result = run_cli(config_file, "serve", "--port", str(free_port()), check=5)

        assert "issuer, audience, jwks_url" in result.stderr
