"""`case export --format pdf`: the dossier as PDF/A, checked as the archive and a reader would see it.

The demo's longest case is exported by the CLI as a subprocess; its pages are rendered to images by
pdfium (pypdfium2) and looked at: how many, their size, that each has ink and the confidential mark,
and that the text can be found in them. The PDF/A identification and what it promises (embedded fonts,
an output intent) are read from the file itself.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from aktivitetsplikt.engine import Engine, FixedClock
from aktivitetsplikt.engine.reports.export import render_pdf
from tests.conftest import ADMIN
from tests.e2e.conftest import Cli, run_cli
from tests.unit.test_export import full_case

pytestmark = [
    pytest.mark.e2e,
    # WeasyPrint opens its sRGB profile for the PDF/A output intent and leaves the file to the collector.
    pytest.mark.filterwarnings("ignore:unclosed file.*sRGB2014.icc:ResourceWarning"),
]

A4 = (595.28, 841.89)  # points: 210 x 297 mm
MAX_PAGES = 4
HEADINGS = ("1. Saksopplysninger", "2. Tidslinje", "Plikter og frister", "Kontroll av hendelsesloggen", "Tilgangslogg")
CONFIDENTIAL_RED = (0x9B, 0x1C, 0x1C)  # the colour of the "TAUSHETSBELAGT" mark in every page's margin


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo's database and config, and the number of its longest case (the most events)."""
    folder = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")} | {"TMPDIR": str(folder)}
    result = subprocess.run(
        [sys.executable, "-m", "aktivitetsplikt.engine.cli", "demo"],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    match = re.search(r"AKTIVITETSPLIKT_CONFIG=(\S+)", result.stdout)
    assert match is not None
    config = Path(match.group(1))
    numbers = [c["number"] for c in json.loads(run_cli(config, "cases", "--all", "--json").stdout)]
    events = {n: len(json.loads(run_cli(config, "case", "show", n, "--json").stdout)["events"]) for n in numbers}
    return config, max(events, key=lambda n: events[n])


@pytest.fixture(scope="module")
def exported(demo: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    config, number = demo
    out = tmp_path_factory.mktemp("pdf") / "sak.pdf"
    result = run_cli(config, "case", "export", number, "--format", "pdf", "--out", str(out))
    assert f"Dokumentasjonen av sak {number} er skrevet til {out}." == result.stderr.strip()
    return out


@pytest.fixture(scope="module")
def pdf(exported: Path) -> Iterator[pdfium.PdfDocument]:
    document = pdfium.PdfDocument(exported)
    yield document
    document.close()


def page_image(document: pdfium.PdfDocument, index: int) -> Image.Image:
    return document[index].render(scale=100 / 72).to_pil().convert("RGB")  # 100 dpi


def ink(image: Image.Image) -> float:
    """The share of pixels that are not (nearly) white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:240]) / (grey.width * grey.height)


def has_colour(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    return any(all(abs(p - c) <= tolerance for p, c in zip(pixel, colour, strict=True)) for _, pixel in colours)


def all_streams(data: bytes) -> bytes:
    """The file with every compressed stream inflated: the objects of a PDF 1.5+ file are in streams."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # not Flate (an image), or not compressed
    return b"\n".join(parts)


class TestDemoCase:
    def test_at_most_four_a4_pages(self, pdf: pdfium.PdfDocument) -> None:
        """The longest case of the demo fits on at most four A4 pages (it took 14 with a page a section)."""
        assert 1 <= len(pdf) <= MAX_PAGES
        for page in pdf:
            width, height = page.get_size()
            assert A4 == pytest.approx((width, height), abs=0.5)

    def test_pages_have_ink_and_the_confidential_mark(self, pdf: pdfium.PdfDocument) -> None:
        """Rendered to images, no page is blank, and each carries the red confidential mark at its top."""
        for index in range(len(pdf)):
            image = page_image(pdf, index)
            assert ink(image) > 0.01, f"page {index + 1} is (nearly) blank"
            top = image.crop((0, 0, image.width, image.height // 12))
            assert has_colour(top, CONFIDENTIAL_RED), f"page {index + 1} lacks the confidential mark"

    def test_text_is_extractable(self, pdf: pdfium.PdfDocument, demo: tuple[Path, str]) -> None:
        """The text can be found and copied: the headings, the case number, the page numbers."""
        pages = [page.get_textpage().get_text_range() for page in pdf]
        text = "\n".join(pages)
        for heading in HEADINGS:
            assert heading in text
        assert f"Sak {demo[1]}" in pages[0]
        for number, page in enumerate(pages, start=1):
            assert f"Side {number} av {len(pages)}" in page
            assert "TAUSHETSBELAGT" in page

    def test_pdf_a(self, exported: Path) -> None:
        """Identified as PDF/A-2b, with the fonts embedded and an sRGB output intent (PDF/A's promises)."""
        data = exported.read_bytes()
        inflated = all_streams(data)

        assert data.startswith(b"%PDF-1.7")
        assert b'pdfaid:part="2"' in inflated
        assert b'pdfaid:conformance="B"' in inflated
        assert b"/GTS_PDFA1" in inflated  # the output intent
        assert b"/FontFile" in inflated  # fonts embedded
        assert b"/JavaScript" not in inflated
        assert b"/EmbeddedFile" not in inflated

    def test_private_file(self, exported: Path) -> None:
        """The file is readable by its owner only: it is confidential."""
        assert 0o600 == stat.S_IMODE(exported.stat().st_mode)


class TestCli:
    def test_pdf_to_standard_output(self, cli: Cli, engine: Engine, clock: FixedClock, tmp_path: Path) -> None:
        """Without --out, the PDF's bytes go to standard output (a pipe), nothing else."""
        number = engine.get(full_case(engine, clock), events=False, actor=ADMIN).number
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
        command = [sys.executable, "-m", "aktivitetsplikt.engine.cli", "--config", str(tmp_path / "config.toml")]
        result = subprocess.run(
            [*command, "case", "export", number, "--format", "pdf"],
            env=env,
            capture_output=True,
            timeout=180,
            check=False,
        )

        assert 0 == result.returncode, result.stderr
        assert result.stdout.startswith(b"%PDF-")
        assert result.stdout.rstrip().endswith(b"%%EOF")
        assert b"" == result.stderr

    def test_nynorsk(self, cli: Cli, engine: Engine, clock: FixedClock) -> None:
        """--lang nn: the page in nynorsk, its own words and the pack's."""
        number = engine.get(full_case(engine, clock), events=False, actor=ADMIN).number

        page = cli("case", "export", number, "--lang", "nn").stdout

        assert '<html lang="nn">' in page
        assert "<h2>1. Saksopplysningar</h2>" in page
        assert "Saksopplysninger" not in page

    def test_unknown_language_exits_2(self, cli: Cli, engine: Engine, clock: FixedClock) -> None:
        number = engine.get(full_case(engine, clock), events=False, actor=ADMIN).number

        result = cli("case", "export", number, "--format", "pdf", "--lang", "sv", check=2)

        assert "--lang must be 'nb' or 'nn'" in result.stderr


class TestLibrary:
    @pytest.mark.parametrize("language", ["nb", "nn"])
    def test_a_long_case_in_both_languages(self, engine: Engine, clock: FixedClock, language: str) -> None:
        """A case through every kind of step (17 events, twice the demo's longest, a correction, an
        enforcement case) takes one page more, in bokmål and in nynorsk."""
        case = engine.get(full_case(engine, clock), actor=ADMIN)

        document = pdfium.PdfDocument(render_pdf(engine, case, language))  # type: ignore[arg-type]

        try:
            assert len(document) <= MAX_PAGES + 1
            text = "\n".join(page.get_textpage().get_text_range() for page in document)
            assert ("1. Saksopplysningar" if language == "nn" else "1. Saksopplysninger") in text
        finally:
            document.close()
