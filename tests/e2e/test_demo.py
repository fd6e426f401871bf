"""The demo tour runs as a subprocess, and leaves a database the other commands can read."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import run_cli

pytestmark = pytest.mark.e2e


class TestDemo:
    def test_tour_escalates_and_leaves_stuck_cases(self, tmp_path: Path) -> None:
        """demo prints the ladder across the autumn break and ends with the two stuck cases."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
        env["TMPDIR"] = str(tmp_path)
        result = subprocess.run(
            [sys.executable, "-m", "aktivitetsplikt.engine.cli", "demo"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 0 == result.returncode, result.stderr
        out = result.stdout
        assert "mandag etter høstferien" in out
        assert "0 (påminnelse før fristen)" in out
        assert "2 (meldt til skoleeier)" in out
        assert "Saker som står fast" in out
        assert "elev-B" in out  # the tour names its made-up pupils; messages never do
        assert "rektor@" not in out
        match = re.search(r"AKTIVITETSPLIKT_CONFIG=(\S+)", out)
        assert match is not None
        config = Path(match.group(1))
        assert config.is_relative_to(tmp_path)
        stuck = json.loads(run_cli(config, "cases", "--stuck", "--json").stdout)
        assert ["HEL-2026-0002", "HEL-2026-0003"] == sorted(c["number"] for c in stuck)
        for case in stuck:
            assert "rektor@hellerud.example" not in json.dumps(case)
