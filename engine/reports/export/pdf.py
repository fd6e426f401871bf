"""The dossier as a PDF/A document for the archive: the printable HTML page laid out by WeasyPrint.

WeasyPrint (the optional extra ``[pdf]``) lays out HTML and CSS for paper itself, with the page's own
``@page`` rules (A4, the confidential mark and the page numbers in the margins), in-process and without
a browser. The output is PDF/A-2b (ISO 19005-2, conformance level B): every font embedded, an sRGB
output intent and XMP metadata. Part 2, not 3: the archival rules (Riksarkivarens forskrift) approve
PDF/A-1 and PDF/A-2 for deposit, and PDF/A-3 may carry arbitrary embedded files, which a deposit must
not. Level B, not A: level A also requires a complete logical structure (tags) of the page, which
nothing here checks.

Nothing is fetched while laying out: the page is self-contained, and the fetcher allows no protocol at
all, so not even a file on the server can be read into the document.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from aktivitetsplikt.engine.core.pack import Language
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.engine.reports.export.render import render_html

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.model import Case

PDF_VARIANT = "pdf/a-2b"
MISSING = (
    "PDF export needs WeasyPrint: install aktivitetsplikt with the [pdf] extra "
    "(pip install 'aktivitetsplikt[pdf]'), which also needs the Pango library of the system."
)


def render_pdf(engine: Engine, case: Case, language: Language = "nb") -> bytes:
    """The dossier of ``case`` as PDF/A-2b bytes: the same page as :func:`render_html`, on A4."""
    return html_to_pdf(render_html(engine, case, language))


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML page as PDF/A-2b; raises ConfigError when WeasyPrint is not installed."""
    try:
        with warnings.catch_warnings():
            # Without the system's HarfBuzz-Subset WeasyPrint subsets fonts with fontTools, and says
            # that a future version will require it: a note for whoever installs, not for the reader.
            warnings.simplefilter("ignore", DeprecationWarning)
            from weasyprint import HTML
            from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: the package is there, the Pango library is not
        raise ConfigError(MISSING) from exc
    with _quiet():
        pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(pdf_variant=PDF_VARIANT)
    if not isinstance(pdf, bytes):  # pragma: no cover - write_pdf without a target returns the bytes
        msg = "WeasyPrint returned no PDF."
        raise TypeError(msg)
    return pdf


@contextmanager
def _quiet() -> Iterator[None]:
    """WeasyPrint logs, as warnings, the screen-only CSS it ignores and the font subsetter it falls back
    to: notes for a developer, not for whoever exports a case. Errors still pass."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
