"""The deployment files under deploy/: what this machine can check of them.

The systemd units go through ``systemd-analyze verify`` with ExecStart pointed at this checkout's
console script (it checks every key and that the command is executable). The Containerfile cannot be
built here (no container engine, no registry for its base image): the test checks what must hold of it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SCRIPT = Path(sys.executable).parent / "aktivitetsplikt"
UNITS = {"aktivitetsplikt-serve.service": "serve", "aktivitetsplikt-daemon.service": "daemon"}


class TestSystemdUnits:
    @pytest.mark.parametrize(("unit", "command"), UNITS.items())
    def test_the_unit_verifies(self, unit: str, command: str, tmp_path: Path) -> None:
        """systemd-analyze verify finds no unknown key and an executable command."""
        if shutil.which("systemd-analyze") is None:
            pytest.skip("systemd-analyze is not installed")
        text = (
            (DEPLOY / unit).read_text(encoding="utf-8").replace("/opt/aktivitetsplikt/bin/aktivitetsplikt", str(SCRIPT))
        )
        (tmp_path / unit).write_text(text, encoding="utf-8")

        result = subprocess.run(
            ["systemd-analyze", "verify", str(tmp_path / unit)], capture_output=True, text=True, timeout=60, check=False
        )

        assert (0, "") == (result.returncode, result.stderr.strip())
        assert re.search(rf"^ExecStart=\S+ {command}\b", text, re.MULTILINE)

    @pytest.mark.parametrize("unit", UNITS)
    def test_the_unit_runs_unprivileged(self, unit: str) -> None:
        """Its own user, no new privileges, a read-only system."""
        text = (DEPLOY / unit).read_text(encoding="utf-8")

        assert {"User=aktivitetsplikt", "NoNewPrivileges=yes", "ProtectSystem=strict"} <= set(text.splitlines())


class TestContainerfile:
    def test_it_runs_as_a_non_root_user_with_both_commands(self) -> None:
        """A numeric non-root USER; aktivitetsplikt as the entry point, serve by default (daemon by command)."""
        text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
        users = re.findall(r"^USER (\S+)", text, re.MULTILINE)

        assert (["10001:10001"], True, True) == (
            users,
            'ENTRYPOINT ["aktivitetsplikt"]' in text,
            'CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]' in text,
        )

    def test_it_installs_the_http_extra(self) -> None:
        """The image can serve: the package is installed with [http]."""
        assert '".[http]"' in (DEPLOY / "Containerfile").read_text(encoding="utf-8")
