"""The storage side of retention and erasure: finding the cases due, writing an erasure, and compaction.

An erasure is one transaction: the case row loses its pupil ref (optimistic lock on ``version``), each
erased event gets its new document and seal, and the erasure event is appended. What an UPDATE leaves
behind is the database's business: on SQLite ``PRAGMA secure_delete`` (set on every connection) zeroes
freed space, and :func:`compact` rebuilds the file (``VACUUM``) and empties the WAL; on PostgreSQL
:func:`compact` rewrites the tables (``VACUUM FULL``), so their dead row versions go with the old files,
and ``ANALYZE`` samples them afresh.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, exists, insert, select, update
from sqlalchemy.orm import Session

from aktivitetsplikt.engine.core.model import Decision, Event
from aktivitetsplikt.engine.core.seal import ERASED
from aktivitetsplikt.engine.errors import ConcurrencyConflict
from aktivitetsplikt.storage.cipher import PLAIN, FieldCipher
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow

ERASED_TABLES = ("cases", "case_events")
"""The tables an erasure rewrites rows of (and so the ones compaction rebuilds)."""


class SqlAlchemyErasure:
    def __init__(self, session: Session, cipher: FieldCipher = PLAIN) -> None:
        self.session = session
        self.cipher = cipher

    def closed_before(self, workflow: str, before: datetime) -> list[tuple[str, str]]:
        """(id, number) of the workflow's cases closed at or before ``before``, with no open duty, not yet
        erased, the earliest closed first."""
        open_duty = and_(ObligationRow.case_id == CaseRow.id, ObligationRow.satisfied_at.is_(None))
        stmt = (
            select(CaseRow.id, CaseRow.number)
            .where(
                CaseRow.workflow == workflow,
                CaseRow.closed_at.is_not(None),
                CaseRow.closed_at <= before,
                CaseRow.pupil != ERASED,
                ~exists().where(open_duty),
            )
            .order_by(CaseRow.closed_at, CaseRow.number)
        )
        return [(case_id, number) for case_id, number in self.session.execute(stmt)]

    def store(self, decision: Decision, expected_version: int, erased: Sequence[Event]) -> None:
        """The erased case, its erased events and the erasure event; ConcurrencyConflict when a step
        got in first."""
        case = decision.case
        result = self.session.execute(
            update(CaseRow)
            .where(CaseRow.id == case.id, CaseRow.version == expected_version)
            .values(pupil=case.pupil, version=case.version, last_seq=case.last_seq, head_hash=case.head_hash)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's CursorResult
            raise ConcurrencyConflict(case.number, expected_version)
        for event in erased:
            self.session.execute(
                update(EventRow)
                .where(EventRow.case_id == event.case_id, EventRow.seq == event.seq)
                .values(document=event.document, seal=event.seal, effects=event.effects)
            )
        columns = [c.name for c in EventRow.__table__.columns if c.name != "id"]
        event = self.cipher.stored(decision.event)
        self.session.execute(insert(EventRow), [{name: getattr(event, name) for name in columns}])


def compact(engine: Engine, attempts: int = 10, pause: float = 1.0) -> bool:
    """Rebuild what erased rows leave behind: SQLite ``VACUUM`` and an emptied WAL; PostgreSQL ``VACUUM
    (FULL, ANALYZE)`` of the tables an erasure rewrites (it locks them while it runs).

    PostgreSQL keeps a row version that a transaction still open may see ("dead row versions cannot be
    removed yet"); then the rebuild waits ``pause`` seconds and runs again, up to ``attempts`` times.
    Returns whether nothing was held back."""
    # The driver's own connection: VACUUM runs outside any transaction, which SQLAlchemy would open.
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return True
        connection: Any = raw.driver_connection
        connection.autocommit = True
        notices: list[str] = []
        connection.add_notice_handler(lambda diagnostic: notices.append(str(diagnostic.message_detail)))
        for attempt in range(attempts):
            notices.clear()
            for table in ERASED_TABLES:
                cursor.execute(f"VACUUM (FULL, ANALYZE, VERBOSE) {table}")
            held = sum(int(m[1]) for n in notices if (m := _HELD.search(n)) is not None)
            if held == 0:
                return True
            if attempt + 1 < attempts:
                time.sleep(pause)  # an open transaction still sees them; let it end
        return False
    finally:
        if engine.dialect.name != "sqlite":
            raw.driver_connection.autocommit = False  # type: ignore[union-attr]  # back to the pool as it came
        raw.close()


_HELD = re.compile(r"(\d+) dead row versions cannot be removed yet")
