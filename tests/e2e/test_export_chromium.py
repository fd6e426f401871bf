"""`case export` as a subprocess, and the exported page rendered by a real headless Chromium.

The case is built in-process on the SQLite file the CLI subprocess then reads (the `engine` and `cli`
fixtures share `config_file`). Chromium comes from the Debian package `chromium`; without it the
rendering tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import struct
import subprocess
from pathlib import Path

import pytest

from aktivitetsplikt.engine import Engine, FixedClock
from tests.conftest import ADMIN
from tests.e2e.conftest import Cli
from tests.unit.test_export import full_case

pytestmark = pytest.mark.e2e

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT = 1200, 2000
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must render the export in Chromium: apt-get update && apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium), so the export is not rendered")
    return path


def render(tmp_path: Path, html: Path, output: str) -> None:
    """Run Chromium once on the page; ``output`` is --screenshot=... or --print-to-pdf=...."""
    command = [
        chromium(),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        output,
        f"--window-size={WIDTH},{HEIGHT}",
        "--no-pdf-header-footer",  # the page prints its own confidential header and page numbers
        html.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert 0 == result.returncode, f"chromium failed:\n{result.stderr[-3000:]}"


@pytest.fixture
def number(engine: Engine, clock: FixedClock) -> str:
    """The number of a case taken through every kind of step (see tests/unit/test_export.py)."""
    return engine.get(full_case(engine, clock), events=False, actor=ADMIN).number


@pytest.fixture
def exported(cli: Cli, number: str, tmp_path: Path) -> Path:
    out = tmp_path / "case.html"
    result = cli("case", "export", number, "--format", "html", "--out", str(out))
    assert f"Dokumentasjonen av sak {number} er skrevet til {out}." == result.stderr.strip()
    assert "" == result.stdout
    return out


class TestCli:
    def test_html_to_a_private_file(self, exported: Path, number: str) -> None:
        """--out writes the page, readable by its owner only: it is confidential."""
        html = exported.read_text(encoding="utf-8")

        assert html.startswith("<!DOCTYPE html>")
        assert f'<span class="nr">Sak {number}</span>' in html
        assert "Kjeden er intakt" in html
        assert 0o600 == stat.S_IMODE(exported.stat().st_mode)

    def test_html_to_stdout(self, cli: Cli, number: str) -> None:
        """Without --out the page goes to standard output (the default format is html)."""
        result = cli("case", "export", number)

        assert result.stdout.startswith("<!DOCTYPE html>")
        assert result.stdout.rstrip().endswith("</html>")

    def test_json(self, cli: Cli, number: str) -> None:
        """--format json: the case as `case show --json`, the verdict and the sections."""
        shown = json.loads(cli("case", "show", number, "--json").stdout)
        data = json.loads(cli("case", "export", number, "--format", "json").stdout)

        assert {k: v for k, v in shown.items() if k != "obligations"} == {
            k: data[k] for k in shown if k != "obligations"
        }
        assert (True, 17) == (data["verdict"]["intact"], data["verdict"]["events"])
        assert [1, 2] == [p["version"] for p in data["sections"]["plans"]]

    @pytest.mark.parametrize("fmt", ["html", "json"])
    def test_unknown_case_exits_3(self, cli: Cli, fmt: str) -> None:
        """An unknown case is 'not found' (exit 3) and nothing is written to standard output."""
        result = cli("case", "export", "HEL-2099-9999", "--format", fmt, check=3)

        assert "" == result.stdout
        assert "HEL-2099-9999" in result.stderr
        if fmt == "json":
            assert "CaseNotFound" == json.loads(result.stderr)["error"]

    def test_unknown_format_exits_2(self, cli: Cli, number: str) -> None:
        """--format must be html, pdf or json."""
        result = cli("case", "export", number, "--format", "docx", check=2)

        assert "--format must be 'html', 'pdf' or 'json'" in result.stderr

    def test_tampered_case_still_exports_with_a_warning(self, cli: Cli, number: str, tmp_path: Path) -> None:
        """A broken chain does not stop the export; the page and a warning on stderr name the event."""
        db = sqlite3.connect(tmp_path / "aktivitetsplikt.db")
        with db:
            db.execute("UPDATE case_events SET document = json_set(document, '$.plan', 'endret') WHERE seq = 3")
        db.close()

        result = cli("case", "export", number)

        assert "Kjeden er brutt ved hendelse 3" in result.stdout
        assert f"hendelsesloggen i sak {number} er brutt ved hendelse 3" in result.stderr


class TestChromium:
    def test_screenshot(self, exported: Path, tmp_path: Path) -> None:
        """Chromium renders the page to a real, non-trivial PNG of the window's size."""
        png = tmp_path / "case.png"

        render(tmp_path, exported, f"--screenshot={png}")

        data = png.read_bytes()
        assert PNG_SIGNATURE == data[:8]
        assert (WIDTH, HEIGHT) == struct.unpack(">II", data[16:24])  # the IHDR chunk
        assert len(data) > 50_000  # a blank or unstyled page compresses to a few kilobytes

    def test_pdf(self, exported: Path, tmp_path: Path) -> None:
        """Chromium prints the page to a PDF too (A4, the sections one after another)."""
        pdf = tmp_path / "case.pdf"

        render(tmp_path, exported, f"--print-to-pdf={pdf}")

        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert len(data) > 50_000
