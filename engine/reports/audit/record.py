"""The audit's look at the record itself: every stored field of the case against its log replayed through
the workflow (``core.projection``), and the numbering of its unit's school year (``core.numbering``).
Findings go under the ``chain`` check: like a broken link, they say the rows are not what was recorded."""

from __future__ import annotations

from collections.abc import Sequence

from aktivitetsplikt.engine.core.model import OutboxMessage, Party
from aktivitetsplikt.engine.core.numbering import NumberingFinding
from aktivitetsplikt.engine.core.projection import SpecOf, differences, replay
from aktivitetsplikt.engine.reports.audit.review import Review

MISSING = "Saksnummer {number} mangler: en sak med dette nummeret er fjernet eller aldri registrert."
DUPLICATE = "Saksnummeret {number} er brukt av mer enn én sak, eller stemmer ikke med sakens løpenummer."


def check_record(
    r: Review,
    spec_of: SpecOf,
    messages: Sequence[OutboxMessage] | None,
    parties: Sequence[Party] | None,
    numbering: Sequence[NumberingFinding],
) -> None:
    """A finding per stored field the log does not say, and per reuse of the case's number."""
    projection = replay(r.events, spec_of, r.case)
    for d in differences(projection, r.case, messages, parties):
        label = f"{d.field} er ikke det loggen sier (lagret: {d.stored!r}, etter loggen: {d.derived!r})."
        r.find("chain", "record_differs", label, field=d.field, stored=d.stored, derived=d.derived)
    for n in numbering:
        if n.code == "duplicate" and n.number == r.case.number:
            r.find("chain", "number_duplicate", DUPLICATE.format(number=n.number), number=n.number)
