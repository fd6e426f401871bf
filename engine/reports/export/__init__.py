"""The complete documentation of one case (the dossier), as a unit hands it to the supervising authority.

One structure of grouped sections, shown two ways: JSON for machines (the spec section 11 case, the hash
chain verdict and the sections, English keys, instants in ISO 8601 UTC) and one self-contained, printable
HTML page for people, also as PDF/A for the archive (:func:`render_pdf`); both end with the case's access
log. Which sections there are, and every word of the law in them, come from the workflow's pack (its
:class:`DossierLayout` and :class:`Labels`). The export is for authorised staff: unlike messages and logs
it contains the pupil reference and every free text, so the page says it is confidential, and each
export is itself a logged read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.core.pack import Language
from aktivitetsplikt.engine.reports.export.access import access_log
from aktivitetsplikt.engine.reports.export.pdf import render_pdf
from aktivitetsplikt.engine.reports.export.render import chain_verdict, render_html
from aktivitetsplikt.engine.reports.export.sections import Dossier

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.core.model import Case

__all__ = ["chain_verdict", "export_json", "render_html", "render_pdf", "sections"]


def sections(engine: Engine, case: Case, language: Language = "nb") -> dict[str, Any]:
    """Every part of the documentation: the facts, the timeline, the pack's sections, the escalations and
    the duties, labelled in the pack's words in ``language``."""
    return Dossier.of(engine, case, language).sections()


def export_json(engine: Engine, case: Case, language: Language = "nb") -> dict[str, Any]:
    """``engine.case_json(case)`` plus the chain ``verdict``, the grouped ``sections`` and, last, the
    ``access_log``: every read of the case, the one that loaded ``case`` for this export included."""
    verdict = chain_verdict(case)
    body = engine.case_json(case) | {"verdict": verdict.to_json(), "sections": sections(engine, case, language)}
    return body | {"access_log": access_log(engine, case, engine.registry.words(case.workflow, language))}
