"""The README stays true: its embedding example runs, its diagrams are the code's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aktivitetsplikt.engine import builtin_registry
from aktivitetsplikt.engine.reports.diagram import markdown, mermaid

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.e2e


def block_after(marker: str) -> str:
    match = re.search(re.escape(marker) + r"\n```python\n(.*?)```", README, flags=re.S)
    assert match is not None, f"README has no code block after {marker}"
    return match.group(1)


class TestReadme:
    def test_embedding_example_runs(self, tmp_path: Path) -> None:
        """The ten-line embedding example runs against the repo's config.toml and prints a case."""
        code = block_after("<!-- embedding-example: tests/e2e/test_readme.py runs this block -->")
        assert len(code.strip().splitlines()) <= 12
        shutil.copy(ROOT / "config.toml", tmp_path / "config.toml")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 0 == result.returncode, result.stderr
        assert re.search(r"HEL-\d{4}-0001 principal_notified \[\('start_investigation'", result.stdout)
        assert (tmp_path / "aktivitetsplikt.db").exists()

    @pytest.mark.parametrize("workflow", [spec.id for spec in builtin_registry().workflows()])
    def test_diagram_matches_the_definition(self, workflow: str) -> None:
        """The README's Mermaid diagram is exactly what `workflow show --format mermaid` prints."""
        match = re.search(
            rf"<!-- diagram:{workflow} -->\n```mermaid\n(.*?)```\n<!-- /diagram:{workflow} -->", README, flags=re.S
        )
        assert match is not None
        assert mermaid(builtin_registry().spec(workflow)) == match.group(1)

    @pytest.mark.parametrize("workflow", ["aktivitetsplikt", "skjerpa_aktivitetsplikt"])
    def test_step_table_matches_the_definition(self, workflow: str) -> None:
        """The README's table of steps is exactly diagram.markdown of the newest definition."""
        match = re.search(rf"<!-- steps:{workflow} -->\n(.*?)<!-- /steps:{workflow} -->", README, flags=re.S)
        assert match is not None
        assert markdown(builtin_registry().spec(workflow)) == match.group(1)

    def test_quickstart_script_runs(self, tmp_path: Path) -> None:
        """The README's first command's script runs a case to closed on a throwaway SQLite."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
        result = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "quickstart.py")],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 0 == result.returncode, result.stderr
        assert "hash chain intact: True" in result.stdout
