"""The read scope as SQL, the parties of cases, and the append-only access log (the AccessLog port).

:func:`visible` turns a :class:`ReadScope` into one boolean SQL expression over ``cases``, so every list
(cases, agenda, audit, outbox) is filtered by the database through its indexes: the unit by the
``school`` indexes, the parties by ``ix_case_parties_person``. It is the same rule as
:meth:`ReadScope.admits`, which the in-memory fakes use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Dialect, and_, exists, false, func, insert, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from aktivitetsplikt.engine.core.access import AccessRecord, ReadScope
from aktivitetsplikt.engine.core.model import Party
from aktivitetsplikt.storage.tables import AccessLogRow, CaseRow, PartyRow

CASES = CaseRow.__table__
PARTIES = PartyRow.__table__
LOG = AccessLogRow.__table__
IN_LIST = 500
_INSERT = "INSERT INTO access_log (case_id, at, actor_id, actor_role, person, kind, face) "
APPEND = {
    "sqlite": _INSERT + "VALUES (?, ?, ?, ?, ?, ?, ?)",
    # The row's transaction does not wait for the WAL flush at commit (set in the same round trip). A
    # server crash can lose the last fraction of a second of reads, never a step: steps commit
    # synchronously. It keeps a logged read within a tenth of an unlogged one (``python -m bench``).
    "postgresql": _INSERT + "SELECT %s, %s, %s, %s, %s, %s, %s "
    "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed",
}
"""The access log's INSERT as the driver takes it: it is on every read's path, where building and
compiling a statement costs as much as sending the row."""


def _party(scope: ReadScope, relations: Iterable[str]) -> ColumnElement[bool]:
    return exists().where(
        PARTIES.c.case_id == CASES.c.id,
        PARTIES.c.person.in_(sorted(scope.people)),
        PARTIES.c.relation.in_(sorted(relations)),
    )


def visible(scope: ReadScope | None, *, lead: bool = True) -> ColumnElement[bool]:
    """The cases ``scope`` lets its reader see, as a WHERE clause over ``cases`` (None: every case).

    ``lead=False`` for a query that a narrower index must lead (the stuck list starts from its few
    duties): the unit filter is then written so that no planner takes the ``school`` index for it, as
    SQLite without statistics would (it guesses ten cases per school, whatever the database holds)."""
    if scope is None:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if scope.units is not None:
        school = CASES.c.school if lead else CASES.c.school.concat("")
        clauses.append(school.in_(sorted(scope.units)))
    for flag in scope.hidden_when:
        clauses.append(func.coalesce(CASES.c.attributes[flag].as_boolean(), false()).is_(false()))
    if scope.exclude and scope.people:
        clauses.append(~_party(scope, scope.exclude))
    if scope.via is not None:
        clauses.append(_party(scope, scope.via) if scope.people and scope.via else false())
    return and_(true(), *clauses)


def add_parties(session: Session, case_id: str, parties: Sequence[Party]) -> None:
    """Record each party of the case once; a party already recorded is left as it is."""
    if not parties:
        return
    rows = [{"case_id": case_id, "relation": p.relation, "person": p.person} for p in parties]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(PartyRow).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        session.execute(sqlite.insert(PartyRow).on_conflict_do_nothing(), rows)
    else:  # pragma: no cover - only the two supported stores reach here
        session.execute(insert(PartyRow), rows)


def parties_of(session: Session, case_ids: Sequence[str]) -> dict[str, list[Party]]:
    """The parties of each case, read with IN lists of at most 500 ids."""
    found: dict[str, list[Party]] = {case_id: [] for case_id in case_ids}
    for start in range(0, len(case_ids), IN_LIST):
        chunk = list(case_ids[start : start + IN_LIST])
        stmt = select(PARTIES.c.case_id, PARTIES.c.relation, PARTIES.c.person).where(PARTIES.c.case_id.in_(chunk))
        for case_id, relation, person in session.execute(stmt):
            found[case_id].append(Party(relation, person))
    return found


@functools.cache
def _instant(dialect: Dialect) -> Callable[[Any], Any] | None:
    """How UTCDateTime binds an instant on ``dialect`` (built once: it is on every read's path)."""
    return LOG.c.at.type.bind_processor(dialect)


def _values(record: AccessRecord) -> dict[str, object]:
    return {
        "case_id": record.case_id,
        "at": record.at,
        "actor_id": record.actor_id,
        "actor_role": record.actor_role,
        "person": record.person,
        "kind": record.kind,
        "face": record.face,
    }


def _record(row: AccessLogRow) -> AccessRecord:
    return AccessRecord(
        case_id=row.case_id,
        at=row.at,
        actor_id=row.actor_id,
        actor_role=row.actor_role,
        kind=row.kind,  # type: ignore[arg-type]  # a str column holding only the kinds the engine wrote
        face=row.face,  # type: ignore[arg-type]  # as kind
        person=row.person,
    )


class SqlAlchemyAccessLog:
    """The access log: appended to in the read's own transaction, never updated."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, records: Sequence[AccessRecord]) -> None:
        if not records:
            return
        connection = self.session.connection()
        sql = APPEND.get(connection.dialect.name)
        if sql is None:  # pragma: no cover - only the two supported stores reach here
            connection.execute(insert(AccessLogRow), [_values(r) for r in records])
            return
        stored = _instant(connection.dialect)
        rows = [
            (r.case_id, stored(r.at) if stored else r.at, r.actor_id, r.actor_role, r.person, r.kind, r.face)
            for r in records
        ]
        connection.exec_driver_sql(sql, rows if len(rows) > 1 else rows[0])

    def of_cases(self, case_ids: Sequence[str]) -> dict[str, list[AccessRecord]]:
        """Every read of each case, oldest first."""
        found: dict[str, list[AccessRecord]] = {case_id: [] for case_id in case_ids}
        for start in range(0, len(case_ids), IN_LIST):
            chunk = list(case_ids[start : start + IN_LIST])
            stmt = select(AccessLogRow).where(AccessLogRow.case_id.in_(chunk)).order_by(AccessLogRow.id)
            for row in self.session.scalars(stmt):
                found[row.case_id].append(_record(row))
        return found

    def parties(self, case_ids: Sequence[str]) -> dict[str, list[Party]]:
        return parties_of(self.session, case_ids)
