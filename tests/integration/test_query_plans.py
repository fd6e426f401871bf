"""The lists start from their narrowest index (issue 15): the query plans, on SQLite and PostgreSQL.

A database of a few thousand cases (one school, every case with an open duty), of which a handful are
stuck or overdue. The test captures the SQL the engine runs for a list or a step, asks the database
for its plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (FORMAT JSON) on PostgreSQL after ANALYZE) and
checks what matters, not the plan's wording: the open duties' partial index leads, the cases follow by
primary key, and no table is read whole. So a list costs what it returns, not what the database holds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import Actor, Engine, FixedClock
from aktivitetsplikt.storage.tables import CaseRow, ObligationRow, PartyRow
from tests.conftest import PRINCIPAL, TEACHER
from tests.integration.conftest import sql_engine

FILLER = 3_000
"""Cases besides the few the lists should find: enough that a plan that reads them all is the dearer
one on PostgreSQL too (with a few dozen rows a sequential scan is rightly the cheaper plan)."""
HISTORY = 4
"""Met duties per filler case, their deadlines past: most rows of a real ``obligations`` table."""


@pytest.fixture
def crowded(any_engine: Engine, clock: FixedClock) -> dict[str, str]:
    """One stuck case, one overdue case, and FILLER copies of an ordinary case whose open duty is far
    off and whose HISTORY met duties were due long ago."""
    engine = any_engine
    ids = {
        name: engine.report(
            workflow="aktivitetsplikt",
            school="hellerud",
            pupil=f"elev-{name}",
            document={
                "source": "pupil",
                "occurred_at": "2026-09-02T09:00",
                "description": "U.",
                "kinds": ["exclusion"],
            },
            actor=TEACHER,
        ).id
        for name in ("stuck", "overdue", "template")
    }
    db = sql_engine(engine)
    far = clock.now() + timedelta(days=3_000)
    past = clock.now() - timedelta(days=30)
    cases, duties = CaseRow.__table__, ObligationRow.__table__
    with db.begin() as conn:
        conn.execute(sa.update(duties).values(due_at=far, next_escalation_at=far))
        conn.execute(
            sa.update(duties)
            .where(duties.c.case_id == ids["stuck"])
            .values(escalation_level=2, next_escalation_at=None)
        )
        conn.execute(
            sa.update(duties).where(duties.c.case_id == ids["overdue"]).values(due_at=clock.now() - timedelta(days=1))
        )
        case = dict(conn.execute(sa.select(cases).where(cases.c.id == ids["template"])).mappings().one())
        duty_rows = [
            dict(r) for r in conn.execute(sa.select(duties).where(duties.c.case_id == ids["template"])).mappings()
        ]
        party_rows = [
            dict(r)
            for r in conn.execute(sa.select(PartyRow.__table__).where(PartyRow.case_id == ids["template"])).mappings()
        ]
        new_cases, new_duties, new_parties = [], [], []
        for n in range(FILLER):
            case_id = str(uuid.uuid4())
            new_cases.append(case | {"id": case_id, "number": f"HEL-2026-{n + 100:06d}", "sequence": n + 100})
            new_duties += [d | {"id": str(uuid.uuid4()), "case_id": case_id} for d in duty_rows]
            # The history a case gathers: duties met long ago, whose deadlines have passed.
            new_duties += [
                d | {"id": str(uuid.uuid4()), "case_id": case_id, "due_at": past, "satisfied_at": past}
                for d in duty_rows * HISTORY
            ]
            new_parties += [p | {"case_id": case_id} for p in party_rows]
        conn.execute(sa.insert(cases), new_cases)
        conn.execute(sa.insert(duties), new_duties)
        conn.execute(sa.insert(PartyRow.__table__), new_parties)
    if db.dialect.name == "postgresql":
        with db.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return ids


@contextmanager
def captured(db: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """The SELECT statements run on ``db`` inside the block, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(db, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(db, "before_cursor_execute", listen)


class Plan:
    """The plan of one statement as a list of (depth, table, index, whole_table) accesses, in the order
    the database reads them: the first access is the outermost loop (the one that leads)."""

    def __init__(self, accesses: list[tuple[str, str | None, bool]], text: str) -> None:
        self.accesses = accesses
        self.text = text

    @property
    def whole_tables(self) -> set[str]:
        return {table for table, _index, whole in self.accesses if whole}

    def first(self, table: str) -> int:
        return next(i for i, (t, _index, _whole) in enumerate(self.accesses) if t == table)

    def indexes(self, table: str) -> set[str | None]:
        return {index for t, index, _whole in self.accesses if t == table}


def _sqlite_plan(conn: sa.Connection, statement: str, parameters: Any) -> Plan:
    rows = [
        (int(r[0]), int(r[1]), str(r[3])) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    ]
    accesses: list[tuple[str, str | None, bool]] = []
    lists: set[int] = set()  # the ids of LIST SUBQUERY rows and of every row under them
    loop = 0  # where in ``accesses`` the last loop of the main query stands
    for node, parent, detail in rows:
        words = detail.split()
        if words[:2] == ["LIST", "SUBQUERY"] or parent in lists:
            lists.add(node)
        if words[0] not in ("SCAN", "SEARCH"):
            continue
        access = (words[1], words[words.index("INDEX") + 1] if "INDEX" in words else None, words[0] == "SCAN")
        if parent in lists:
            # An IN (subquery) list is built before the loop that looks its values up runs.
            accesses.insert(loop, access)
            loop += 1
        else:
            loop = len(accesses) if parent == 0 else loop
            accesses.append(access)
    return Plan(accesses, "\n".join(detail for _node, _parent, detail in rows))


def _pg_plan(conn: sa.Connection, statement: str, parameters: Any) -> Plan:
    raw = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    tree = raw if isinstance(raw, list) else json.loads(raw)
    accesses: list[tuple[str, str | None, bool]] = []

    def walk(node: dict[str, Any], heap: str | None = None) -> None:
        table = node.get("Relation Name")
        kind = node["Node Type"]
        if kind == "Bitmap Heap Scan":
            heap = table  # read through the bitmap its Bitmap Index Scan child builds
        elif kind == "Bitmap Index Scan":
            accesses.append((heap or "?", node["Index Name"], False))
        elif table is not None:
            accesses.append((table, node.get("Index Name"), kind == "Seq Scan"))
        for child in node.get("Plans", []):  # outer (driving) side first
            walk(child, heap)

    walk(tree[0]["Plan"])
    return Plan(accesses, json.dumps(tree, indent=1))


def plans(engine: Engine, action: Callable[[], object], table: str = "cases") -> list[Plan]:
    """The plans of the statements ``action`` runs that read ``table``."""
    db = sql_engine(engine)
    with captured(db) as seen:
        action()
    explain = _pg_plan if db.dialect.name == "postgresql" else _sqlite_plan
    with db.connect() as conn:
        found = [explain(conn, s, p) for s, p in seen if f"FROM {table}" in s]
    assert found, f"no statement read {table}"
    return found


def assert_led_by(plan: Plan, index: str) -> None:
    assert not plan.whole_tables, plan.text
    assert index in plan.indexes("obligations"), plan.text
    # The duties are read before the cases (the outer loop), and the cases by primary key.
    assert plan.first("obligations") < plan.first("cases"), plan.text
    assert plan.indexes("cases") <= {"cases_pkey", "sqlite_autoindex_cases_1"}, plan.text


READERS = [pytest.param(PRINCIPAL, id="principal"), pytest.param(TEACHER, id="reporting_staff")]


@pytest.mark.parametrize("reader", READERS)
def test_the_stuck_list_starts_from_the_stuck_duties(
    any_engine: Engine, crowded: dict[str, str], reader: Actor
) -> None:
    found: list[list[str]] = []
    lists = plans(
        any_engine,
        lambda: found.append(
            [c.id for c in any_engine.list_cases(actor=reader, stuck=True, open_only=True, by_urgency=True, limit=100)]
        ),
    )
    assert found == [[crowded["stuck"]]]
    assert_led_by(lists[0], "ix_obligations_open_level")


@pytest.mark.parametrize("reader", READERS)
def test_the_overdue_list_starts_from_the_overdue_duties(
    any_engine: Engine, crowded: dict[str, str], reader: Actor
) -> None:
    found: list[list[str]] = []
    lists = plans(
        any_engine,
        lambda: found.append(
            [
                c.id
                for c in any_engine.list_cases(actor=reader, overdue=True, open_only=True, by_urgency=True, limit=100)
            ]
        ),
    )
    assert found == [[crowded["overdue"]]]
    # PostgreSQL plans from the open deadline's expression index (its statistics count the open duties
    # alone; migration 0007), SQLite from the partial index.
    postgres = sql_engine(any_engine).dialect.name == "postgresql"
    assert_led_by(lists[0], "ix_obligations_open_due_pg" if postgres else "ix_obligations_open_due")


def test_a_case_and_its_duties_are_one_query_by_key(any_engine: Engine, crowded: dict[str, str]) -> None:
    """What a step reads before it decides: one statement, the case by key and its duties by case."""
    db = sql_engine(any_engine)
    with captured(db) as seen, any_engine.uow() as uow:
        case = uow.cases.get(crowded["overdue"])
    assert len(seen) == 1
    assert [o.case_id for o in case.obligations] == [case.id]
    explain = _pg_plan if db.dialect.name == "postgresql" else _sqlite_plan
    with db.connect() as conn:
        plan = explain(conn, *seen[0])
    assert not plan.whole_tables, plan.text
    assert plan.indexes("cases") <= {"cases_pkey", "sqlite_autoindex_cases_1"}, plan.text
    assert plan.indexes("obligations") == {"ix_obligations_case"}, plan.text


def test_the_sweep_claims_from_the_escalation_index(any_engine: Engine, crowded: dict[str, str]) -> None:
    claims = plans(any_engine, any_engine.sweep, table="obligations")
    claim = claims[0]
    assert not claim.whole_tables, claim.text
    assert claim.indexes("obligations") == {"ix_obligations_next_escalation"}, claim.text
