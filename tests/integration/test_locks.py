"""One lock order, transient conflicts retried inside, typed busy and outage errors (issue 12, item 2).

Every write path locks a case before its duties. The sweep used to lock due duties and then their cases,
while a step locks its case and then writes its duties: on PostgreSQL the two deadlocked, and the raw
``DeadlockDetected`` reached the caller. These tests play the step's half with raw SQL on a connection of
their own, so the interleaving is the one that deadlocked, every run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import Engine, FixedClock, bootstrap, load_settings
from aktivitetsplikt.engine.core.i18n import translate
from aktivitetsplikt.engine.errors import ConcurrencyConflict, DatabaseBusy, DatabaseUnavailable
from aktivitetsplikt.storage.database import IMMEDIATE, create_db_engine, typed_error
from tests.conftest import ADMIN, TEACHER, report_doc
from tests.e2e.daemon_support import wait_until
from tests.integration.conftest import sql_engine
from tests.integration.test_concurrency import assert_consistent

PUPIL = "elev-4711"
WAIT_S = 30
"""The most a test waits for a thread it started (a bound for a hung run, never a sleep)."""


def report(engine: Engine, pupil: str = PUPIL) -> str:
    case = engine.report(
        workflow="aktivitetsplikt", school="hellerud", pupil=pupil, document=report_doc(), actor=TEACHER
    )
    return case.id


class Outcome:
    """What a call in another thread returned or raised."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self.thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self.value = call()
        except BaseException as exc:  # reported to the test, which asserts on it
            self.error = exc

    def wait(self, timeout: float = WAIT_S) -> bool:
        """True once the call has finished; False if it is still running after ``timeout`` seconds."""
        self.thread.join(timeout)
        return not self.thread.is_alive()


def waiting_for_a_lock(engine: Engine) -> bool:
    """Whether a session of this database is waiting for a lock (PostgreSQL)."""
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    with sql_engine(engine).connect() as conn:
        return bool(conn.scalar(sa.text(query)))


@pytest.fixture
def holder(any_engine: Engine) -> Iterator[sa.Connection]:
    """A connection of the test's own, to hold locks as a concurrent writer would."""
    with sql_engine(any_engine).connect() as conn:
        yield conn


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
class TestLockOrder:
    def test_a_sweep_skips_a_case_a_step_holds_and_never_takes_its_duties(
        self, any_engine: Engine, clock: FixedClock, holder: sa.Connection
    ) -> None:
        """A step holds its case and is about to write its duty; a sweep meanwhile must neither lock that
        duty (it would deadlock with the step) nor wait for the case. It skips the case this time."""
        case_id = report(any_engine)
        clock.advance(days=30)  # the report's duty is a month overdue: the sweep wants it
        with holder.begin():
            holder.execute(sa.text("SELECT id FROM cases WHERE id = :id FOR NO KEY UPDATE"), {"id": case_id})
            sweep = Outcome(any_engine.sweep)
            finished_while_held = sweep.wait()
            # The step's second half: it writes its case's open duties (meeting them, say).
            holder.execute(
                sa.text("UPDATE obligations SET due_at = due_at WHERE case_id = :id AND satisfied_at IS NULL"),
                {"id": case_id},
            )
        assert sweep.wait()
        assert (True, None, []) == (finished_while_held, sweep.error, sweep.value)

        steps = any_engine.sweep()  # the next sweep takes it, once

        assert steps and {case_id} == {s.case_id for s in steps}
        assert [] == any_engine.sweep()

    def test_a_step_waits_for_a_sweep_holding_its_case_and_then_decides_afresh(
        self, any_engine: Engine, clock: FixedClock, holder: sa.Connection
    ) -> None:
        """The other way round: the sweep holds the case (as its first lock); a step on it queues, and
        without an expected version is decided on the case the sweep left, not refused."""
        case_id = report(any_engine)
        with holder.begin():
            holder.execute(sa.text("SELECT id FROM cases WHERE id = :id FOR NO KEY UPDATE"), {"id": case_id})
            holder.execute(
                sa.text("UPDATE cases SET version = version + 1, last_seq = last_seq WHERE id = :id"), {"id": case_id}
            )
            step = Outcome(lambda: any_engine.fire(case_id, "add_note", {"text": "Notat"}, TEACHER))
            wait_until(lambda: waiting_for_a_lock(any_engine), what="the step queueing behind the case lock")
        assert step.wait()
        assert step.error is None
        assert 3 == step.value.version


class TestRetries:
    def test_eight_threads_adding_notes_to_one_case_all_succeed(self, any_engine: Engine) -> None:
        """A note does not depend on the case's state: 8 writers x 5 notes, none refused for the others."""
        case_id = report(any_engine)

        def notes(writer: int) -> list[str]:
            outcomes = []
            for n in range(5):
                try:
                    any_engine.fire(case_id, "add_note", {"text": f"Notat {n} fra {writer}"}, TEACHER)
                except Exception as exc:  # the test is looking for these; report every one
                    outcomes.append(f"{type(exc).__name__}: {exc}")
                else:
                    outcomes.append("ok")
            return outcomes

        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = [o for result in pool.map(notes, range(8)) for o in result]

        assert ["ok"] * 40 == outcomes
        assert_consistent(any_engine, case_id, 41)

    def test_a_stale_expected_version_is_still_a_conflict(self, any_engine: Engine) -> None:
        case_id = report(any_engine)
        any_engine.fire(case_id, "add_note", {"text": "Først"}, TEACHER)

        with pytest.raises(ConcurrencyConflict, match="expected version 1, found 2"):
            any_engine.fire(case_id, "add_note", {"text": "Sent"}, TEACHER, expected_version=1)


@pytest.mark.postgres
class TestTypedErrors:
    def test_a_deadlock_is_a_retryable_database_busy(self, pg_url: str) -> None:
        """Two transactions each holding what the other wants: PostgreSQL picks a victim, which gets
        DatabaseBusy('deadlock'), not psycopg's DeadlockDetected."""
        db = create_db_engine(pg_url)
        try:
            with db.begin() as conn:
                conn.execute(sa.text("CREATE TABLE scratch (id int PRIMARY KEY)"))
                conn.execute(sa.text("INSERT INTO scratch VALUES (1), (2)"))
            lock = "SELECT id FROM scratch WHERE id = :id FOR UPDATE"
            with db.connect() as first, db.connect() as second:
                first.begin()
                second.begin()
                first.execute(sa.text(lock), {"id": 1})
                second.execute(sa.text(lock), {"id": 2})
                crossing = Outcome(lambda: first.execute(sa.text(lock), {"id": 2}))
                try:
                    second.execute(sa.text(lock), {"id": 1})
                except DatabaseBusy as exc:
                    second.rollback()
                    errors = [exc]
                else:
                    errors = []
                assert crossing.wait()
                errors += [crossing.error] if crossing.error is not None else []
                first.rollback()
                second.rollback()
        finally:
            db.dispose()
        assert 1 == len(errors), errors
        [busy] = errors
        assert isinstance(busy, DatabaseBusy)
        assert ("deadlock", True) == (busy.reason, busy.retryable)

    def test_a_lock_wait_times_out_as_database_busy_and_stores_nothing(
        self, pg_url: str, config_file: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AKTIVITETSPLIKT_DATABASE__URL", pg_url + "?options=-c%20lock_timeout%3D200ms")
        engine = bootstrap(load_settings(config_file), clock=clock, upgrade=True)
        db = sql_engine(engine)
        try:
            case_id = report(engine)
            with db.connect() as holder, holder.begin():
                holder.execute(sa.text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": case_id})
                with pytest.raises(DatabaseBusy) as raised:
                    engine.fire(case_id, "add_note", {"text": "Notat"}, TEACHER)
            assert ("lock_timeout", False) == (raised.value.reason, raised.value.retryable)
            assert PUPIL not in str(raised.value)
            assert 1 == engine.get(case_id, actor=ADMIN).version
        finally:
            db.dispose()

    def test_an_unreachable_server_is_database_unavailable(self, pg_url: str) -> None:
        url = sa.engine.make_url(pg_url).set(host="127.0.0.1", port=1).render_as_string(hide_password=False)
        db = create_db_engine(url)
        try:
            with pytest.raises(DatabaseUnavailable) as raised, db.connect():
                pass
        finally:
            db.dispose()
        assert raised.value.where.startswith("127.0.0.1:1/")
        assert "svarer ikke" in raised.value.text(lambda message: translate(message, "nb"))


def test_sqlite_busy_is_a_retryable_database_busy(engine: Engine) -> None:
    """A writer that finds the write lock taken (and may not wait for it) gets DatabaseBusy('locked')."""
    db = sql_engine(engine)
    with db.execution_options(**{IMMEDIATE: True}).connect() as first, first.begin(), db.connect() as second:
        second.exec_driver_sql("PRAGMA busy_timeout=0")  # in a deferred BEGIN, which takes no lock
        second.rollback()
        second.execution_options(**{IMMEDIATE: True})
        with pytest.raises(DatabaseBusy) as raised, second.begin():
            pass
    assert ("locked", True) == (raised.value.reason, raised.value.retryable)


class _Context:
    """The parts of SQLAlchemy's ExceptionContext that ``typed_error`` reads."""

    def __init__(self, error: BaseException, *, disconnect: bool = False, dialect: str = "postgresql") -> None:
        self.original_exception = error
        self.is_disconnect = disconnect
        self.is_pre_ping = False
        self.connection = object()
        self.dialect = type("Dialect", (), {"name": dialect})()


def test_an_interrupt_during_a_statement_stays_an_interrupt() -> None:
    """SQLAlchemy reports a Ctrl-C during a statement as a disconnect; it must not become 'unreachable'."""
    assert typed_error(_Context(KeyboardInterrupt(), disconnect=True), "h:5432/db") is None  # type: ignore[arg-type]
    gone = typed_error(_Context(OSError("closed"), disconnect=True), "h:5432/db")  # type: ignore[arg-type]
    assert isinstance(gone, DatabaseUnavailable)
