"""Reading cases in bulk for the audit and the agenda, on SQLite and on PostgreSQL (spec section 7).

The audit must not ask the database once per case: a school year of 50 cases is read with one query for
the ids and three per batch, whatever the number of events. Statements are counted with a
``before_cursor_execute`` listener; on SQLite each one is also explained, and must use an index.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import Actor, Engine, FixedClock
from aktivitetsplikt.engine.core.calendar import SchoolCalendar
from aktivitetsplikt.engine.reports.agenda import meeting_agenda, open_states
from aktivitetsplikt.engine.reports.audit import audit_school_year, count_audit_cases
from tests.conftest import ADMIN, drive_to, report_doc
from tests.integration.conftest import execute, sql_engine

YEAR = "2026-2027"  # the test clock's T0 is 2 September 2026
STATES = ["reported", "principal_notified", "investigating", "planning", "measures_active", "closed"]
CASES = 50


@contextmanager
def statements(db: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to the database inside the block, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    sa.event.listen(db, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db, "before_cursor_execute", record)


def selects(seen: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(s, p) for s, p in seen if s.lstrip().upper().startswith("SELECT")]


def open_fifty(engine: Engine) -> list[str]:
    """50 cases at Hellerud, spread over every state, and one at Furuset; returns Hellerud's ids."""
    ids = [drive_to(engine, STATES[i % len(STATES)]) for i in range(CASES)]
    furuset = Actor(id="f-1", role="staff", school="furuset")
    engine.report(workflow="aktivitetsplikt", school="furuset", pupil="elev-1", document=report_doc(), actor=furuset)
    return ids


@pytest.fixture
def fifty(any_engine: Engine) -> list[str]:
    return open_fifty(any_engine)


class TestCasesForAudit:
    def test_fifty_cases_take_one_query_plus_three_per_batch(self, any_engine: Engine, fifty: list[str]) -> None:
        """The ids, then per batch the cases, their events and their duties: never a query per case."""
        for batch in (20, 500):
            with statements(sql_engine(any_engine)) as seen, any_engine.uow() as uow:
                found = list(uow.reports.cases_for_audit(YEAR, "hellerud", batch=batch))

            assert (CASES, 1 + 3 * math.ceil(CASES / batch)) == (len(found), len(selects(seen)))

    def test_every_case_comes_whole_in_number_order_for_its_school_and_year(
        self, any_engine: Engine, fifty: list[str]
    ) -> None:
        """Each case has the same log and duties as when read alone, by number; Furuset's case is in the
        year's audit but not in Hellerud's, and another year has none."""
        with any_engine.uow() as uow:
            found = list(uow.reports.cases_for_audit(YEAR, "hellerud", batch=7))
            counts = (
                uow.reports.count_for_audit(YEAR),
                uow.reports.count_for_audit(YEAR, "hellerud"),
                len(list(uow.reports.cases_for_audit(YEAR))),
                len(list(uow.reports.cases_for_audit("2025-2026"))),
            )

        assert (CASES + 1, CASES, CASES + 1, 0) == counts
        assert sorted(c.number for c in found) == [c.number for c in found]
        for case in found:
            alone = any_engine.get(case.id, actor=ADMIN)
            assert (alone.events, alone.obligations, alone.state) == (case.events, case.obligations, case.state)

    def test_the_queries_use_indexes_on_sqlite(self, engine: Engine) -> None:
        """Explained by SQLite, every statement searches through an index; none scans a whole table.
        (PostgreSQL plans tables this small as sequential scans whatever the indexes.)"""
        open_fifty(engine)
        db = sql_engine(engine)
        states = open_states(engine.registry)
        with statements(db) as seen, engine.uow() as uow:
            list(uow.reports.cases_for_audit(YEAR, "hellerud", batch=20))
            uow.reports.count_for_audit(YEAR)
            uow.reports.agenda_cases("hellerud", engine.clock.now(), open_states=states)
            uow.reports.agenda_cases(None, engine.clock.now(), open_states=states)

        with db.connect() as conn:
            plans = [
                row[-1]
                for statement, parameters in selects(seen)
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            ]
        assert [] == [p for p in plans if p.startswith("SCAN") and "USING" not in p]


class TestAgendaCases:
    def test_open_cases_come_with_their_open_duties_due_in_the_window(
        self, any_engine: Engine, fifty: list[str]
    ) -> None:
        """Closed cases stay out; each open case carries only its open duties due by ``until``; the agenda
        through the Engine lists both configured schools."""
        until = any_engine.clock.now() + timedelta(days=7)
        with statements(sql_engine(any_engine)) as seen, any_engine.uow() as uow:
            found = uow.reports.agenda_cases("hellerud", until, open_states=open_states(any_engine.registry))
        agenda = meeting_agenda(any_engine, actor=ADMIN)

        assert 2 == len(selects(seen))
        assert sorted(found, key=lambda c: c.number) == found
        assert set(STATES[:-1]) == {c.state for c in found}
        assert CASES - CASES // len(STATES) == len(found)
        duties = [o for c in found for o in c.obligations]
        assert all(o.satisfied_at is None and o.due_at <= until for o in duties)
        # A week ahead the notice (1sd) and the start (2sd) are due; the plan (5sd) and the rest are not.
        assert {"notify_principal", "start_investigation"} == {o.kind for o in duties}
        assert [("furuset", 1), ("hellerud", len(found))] == [(s.school, len(s.items)) for s in agenda.schools]


class TestAuditThroughTheEngine:
    def test_a_document_changed_in_the_database_is_found_in_its_case_only(
        self, any_engine: Engine, fifty: list[str]
    ) -> None:
        """Fifty clean cases; one report rewritten behind the engine's back breaks that case's chain."""
        db = sql_engine(any_engine)
        value = "CAST(:doc AS JSONB)" if db.dialect.name == "postgresql" else ":doc"
        doc = json.dumps(report_doc(description="Endret i databasen."))
        execute(db, f"UPDATE case_events SET document = {value} WHERE case_id = :id AND seq = 1", doc=doc, id=fifty[7])

        report = audit_school_year(any_engine, YEAR, "hellerud", batch=16, actor=ADMIN)

        assert CASES == len(report.cases) == count_audit_cases(any_engine, YEAR, "hellerud", actor=ADMIN)
        flagged = {a.case_id: [f.code for f in a.findings] for a in report.cases if a.findings}
        assert {fifty[7]: ["chain_broken"]} == flagged
        assert (CASES, CASES - 1) == (report.schools[0].chains.of, report.schools[0].chains.ok)

    def test_days_late_are_counted_on_each_units_calendar(self, engine: Engine, clock: FixedClock) -> None:
        """Over Hellerud's autumn break the unmade notice is 17 school days late; at a unit whose calendar
        has no break (a kindergarten's working days), the same span is 22 days."""
        no_break = replace(engine.decider.policy, calendars={"furuset": SchoolCalendar("Europe/Oslo")})
        engine.decider.policy = no_break
        for school in ("hellerud", "furuset"):
            actor = Actor(id="x-1", role="staff", school=school)
            engine.report(workflow="aktivitetsplikt", school=school, pupil="elev-1", document=report_doc(), actor=actor)
        clock.set(datetime(2026, 10, 5, 8, tzinfo=UTC))

        report = audit_school_year(engine, YEAR, actor=ADMIN)

        assert {"furuset": (22,), "hellerud": (17,)} == {a.school: a.late_school_days for a in report.cases}
