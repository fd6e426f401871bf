"""Bulk reads of what the record is checked by: case numbering, case heads for checkpoints, event hashes
at a seq, and the outbox rows of a batch of cases (the projection check). Plain Core selects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from aktivitetsplikt.engine.core.checkpoint import Head
from aktivitetsplikt.engine.core.model import OutboxMessage
from aktivitetsplikt.engine.core.numbering import Numbered
from aktivitetsplikt.engine.core.projection import instant
from aktivitetsplikt.storage.tables import CaseRow, EventRow, OutboxRow

CASES = CaseRow.__table__
EVENTS = EventRow.__table__
OUTBOX = OutboxRow.__table__
MESSAGE_COLUMNS = [OUTBOX.c[f.name] for f in fields(OutboxMessage)]
CHUNK = 500
HEAD_BATCH = 10_000


class RecordQueries:
    session: Session

    def numbering(self, school_year: str | None = None, school: str | None = None) -> list[Numbered]:
        """Every case's (unit, school year, sequence, number), of one year and unit when given."""
        stmt = select(CASES.c.school, CASES.c.school_year, CASES.c.sequence, CASES.c.number)
        if school_year is not None:
            stmt = stmt.where(CASES.c.school_year == school_year)
        if school is not None:
            stmt = stmt.where(CASES.c.school == school)
        return [Numbered(*row) for row in self.session.execute(stmt)]

    def heads(self) -> Iterator[Head]:
        """Every case's head, in case id order, streamed."""
        stmt = select(
            CASES.c.id,
            CASES.c.number,
            CASES.c.school,
            CASES.c.school_year,
            CASES.c.opened_at,
            CASES.c.last_seq,
            CASES.c.head_hash,
        ).order_by(CASES.c.id)
        result = self.session.execute(stmt.execution_options(yield_per=HEAD_BATCH))
        for row in result:
            yield Head(row[0], row[1], row[2], row[3], instant(row[4]) or "", row[5], row[6])

    def hashes_at(self, wanted: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """The hash of each (case id, seq) event that exists."""
        found: dict[tuple[str, int], str] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            ids = sorted({case_id for case_id, _ in chunk})
            stmt = select(EVENTS.c.case_id, EVENTS.c.seq, EVENTS.c.hash).where(
                EVENTS.c.case_id.in_(ids), tuple_(EVENTS.c.case_id, EVENTS.c.seq).in_(chunk)
            )
            found.update({(row[0], row[1]): row[2] for row in self.session.execute(stmt)})
        return found

    def latest_at(self, case_ids: Sequence[str]) -> dict[str, datetime]:
        """When each case's latest event was recorded."""
        found: dict[str, datetime] = {}
        for start in range(0, len(case_ids), CHUNK):
            chunk = case_ids[start : start + CHUNK]
            stmt = select(EVENTS.c.case_id, func.max(EventRow.at)).where(EVENTS.c.case_id.in_(chunk))
            found.update({row[0]: row[1] for row in self.session.execute(stmt.group_by(EVENTS.c.case_id))})
        return found

    def outbox_of(self, case_ids: Sequence[str]) -> dict[str, list[OutboxMessage]]:
        """Every outbox message of each case."""
        found: dict[str, list[OutboxMessage]] = {case_id: [] for case_id in case_ids}
        for start in range(0, len(case_ids), CHUNK):
            chunk = case_ids[start : start + CHUNK]
            for row in self.session.execute(select(*MESSAGE_COLUMNS).where(OUTBOX.c.case_id.in_(chunk))):
                message = OutboxMessage(*row)
                message.payload = dict(message.payload)
                found[message.case_id].append(message)
        return found
