"""``python -m bench --scale``: the same figures at 100,000 and at 1,000,000 cases (issue 15).

Each size is one cached database (bench/data.py SHAPES: ``open-100k`` and ``audit-10k``; ``scale-1m``,
ten school years of 100,000 cases each through plan adoption). A run works on one copy of it: figures
that change rows (the due sweep) put them back after each timing, so a million-case file is copied
once, not per repetition. Every ratio is against a floor measured in the same run; the target is
1.5x the floor everywhere (the issue's), or an absolute bound where a figure has no floor.

PostgreSQL: with AKTIVITETSPLIKT_BENCH_PG_URL (or AKTIVITETSPLIKT_TEST_PG_URL) the same database is built
with COPY into a PostgreSQL database named after the shape and data version, kept for the next run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as DbEngine
from sqlalchemy import bindparam, delete, func, select, update

from aktivitetsplikt.engine import Engine, FixedClock
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow, OutboxRow
from bench import data, figures
from bench.harness import Figure, Sample, measure

TARGET = 1.5
"""The issue's target: every figure within 1.5x of its floor."""


@dataclass
class ScaleDb:
    """One size's database as a run uses it: where it is, how big, and the school year it audits."""

    label: str
    url: str
    folder: Path
    cases: int
    audit_url: str
    audit_cases: int
    year: str = "2026-2027"

    @property
    def sqlite(self) -> bool:
        return self.url.startswith("sqlite")


EXTRA: list[Callable[[ScaleDb, int], list[Figure]]] = []
"""Figures that other work adds to both tables, each called with the run's database and a repetition
count: the checkpoint's figure (issue 14) goes here, run after the sweeps and lists."""


def _engine(db: ScaleDb, name: str, clock: FixedClock | None = None, url: str | None = None) -> Engine:
    return data.open_engine(db.folder / name, url or db.url, clock)


def _dispose(engine: Engine) -> None:
    engine.uow.engine.dispose()  # type: ignore[attr-defined]


def _bind(engine: Engine) -> DbEngine:
    bind: DbEngine = engine.uow.engine  # type: ignore[attr-defined]
    return bind


def idle_sweep(db: ScaleDb, runs: int) -> Figure:
    engine = _engine(db, "idle")
    value = measure(engine.sweep, runs=runs, warmup=5)
    _dispose(engine)
    return Figure(f"idle sweep, {db.label} cases, nothing due", value, "s", "<= 10 ms", absolute_max=0.010)


@dataclass
class _Due:
    """The state the due sweep starts from, to put back after each timing."""

    ids: list[str]
    duties: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    last_event: int


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _snapshot(bind: DbEngine, ids: list[str]) -> _Due:
    duties: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    with bind.connect() as conn:
        for chunk in _chunks(ids):
            duties += [
                {"b_id": r.id, "due_at": r.due_at, "level": r.escalation_level, "next": r.next_escalation_at}
                for r in conn.execute(select(ObligationRow).where(ObligationRow.id.in_(chunk)))
            ]
        case_ids = sorted(
            {
                r[0]
                for chunk in _chunks(ids)
                for r in conn.execute(select(ObligationRow.case_id).where(ObligationRow.id.in_(chunk)))
            }
        )
        for chunk in _chunks(case_ids):
            cases += [
                {"b_id": r.id, "version": r.version, "last_seq": r.last_seq, "head_hash": r.head_hash}
                for r in conn.execute(
                    select(CaseRow.id, CaseRow.version, CaseRow.last_seq, CaseRow.head_hash).where(
                        CaseRow.id.in_(chunk)
                    )
                )
            ]
        last_event = int(conn.scalar(select(func.max(EventRow.id))) or 0)
    return _Due(ids, duties, cases, last_event)


def _restore(bind: DbEngine, due: _Due) -> None:
    """Put the duties, cases, events and messages back as they were in ``due``."""
    with bind.begin() as conn:
        conn.execute(delete(EventRow).where(EventRow.id > due.last_event))
        for chunk in _chunks(due.ids):
            conn.execute(delete(OutboxRow).where(OutboxRow.obligation_id.in_(chunk)))
        conn.execute(
            update(ObligationRow)
            .where(ObligationRow.id == bindparam("b_id"))
            .values(
                due_at=bindparam("due_at"),
                escalation_level=bindparam("level"),
                next_escalation_at=bindparam("next"),
            ),
            due.duties,
        )
        conn.execute(
            update(CaseRow)
            .where(CaseRow.id == bindparam("b_id"))
            .values(version=bindparam("version"), last_seq=bindparam("last_seq"), head_hash=bindparam("head_hash")),
            due.cases,
        )


def _written(bind: DbEngine, due: _Due) -> dict[str, list[dict[str, object]]]:
    """The rows the engine's sweep wrote, as the floor writes them again."""
    with bind.connect() as conn:
        events = [dict(r._mapping) for r in conn.execute(select(EventRow).where(EventRow.id > due.last_event))]
        messages: list[dict[str, object]] = []
        duties: list[dict[str, object]] = []
        for chunk in _chunks(due.ids):
            messages += [
                dict(r._mapping) for r in conn.execute(select(OutboxRow).where(OutboxRow.obligation_id.in_(chunk)))
            ]
            duties += [
                {"b_id": r.id, "escalation_level": r.escalation_level, "next_escalation_at": r.next_escalation_at}
                for r in conn.execute(select(ObligationRow).where(ObligationRow.id.in_(chunk)))
            ]
        case_ids = sorted({str(e["case_id"]) for e in events})
        cases = [
            {"b_id": r.id, "version": r.version, "last_seq": r.last_seq, "head_hash": r.head_hash}
            for chunk in _chunks(case_ids)
            for r in conn.execute(select(CaseRow).where(CaseRow.id.in_(chunk)))
        ]
    for e in events:
        e.pop("id")
    return {"events": events, "messages": messages, "cases": cases, "duties": duties}


def due_sweep(db: ScaleDb, runs: int, due: int = 10_000) -> Figure:
    """A sweep that takes ``due`` due steps (one batch), vs claiming and writing the same rows through
    Core; the duties, cases, events and messages are put back after each timing."""
    clock = FixedClock(data.T0 + timedelta(days=1))
    engine = _engine(db, "due", clock)
    engine.settings.daemon.__dict__["batch_size"] = due  # one batch, as the floor does
    bind = _bind(engine)
    before = _snapshot(bind, data.due_ids(engine, due))
    data.make_due(engine, due, clock.now(), before.ids)
    due_state = _snapshot(bind, before.ids)
    values: list[float] = []
    floors: list[float] = []
    try:
        for run in range(runs + 1):
            value = measure(engine.sweep, runs=1, warmup=0).median
            rows = _written(bind, due_state)
            if len(rows["events"]) != due:
                msg = f"the sweep took {len(rows['events'])} steps, not {due}"
                raise RuntimeError(msg)
            _restore(bind, due_state)
            floor = measure(partial(figures._floor_sweep, bind, clock.now(), rows, due), runs=1, warmup=0).median
            _restore(bind, due_state)
            if run:  # the first pair warms the caches
                values.append(value)
                floors.append(floor)
    finally:
        _restore(bind, before)
        _dispose(engine)
    return Figure(
        f"sweep, {due:,} due of {db.label}",
        Sample.of(values),
        "s",
        f"<= {TARGET}x floor",
        floor=Sample.of(floors),
        ratio_max=TARGET,
    )


def cli(db: ScaleDb, runs: int) -> list[Figure]:
    """`cases --stuck`, `cases --overdue` and `case show` as a person runs them (a fresh process each),
    vs starting Python and importing SQLAlchemy."""
    env = figures._cli_env(None)
    floor = figures._time_command([sys.executable, "-c", "import sqlalchemy"], env, runs)
    config = db.folder / "cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(data.config_text(db.url), encoding="utf-8")
    env = figures._cli_env(config)
    command = [sys.executable, "-m", "aktivitetsplikt.engine.cli"]
    number = "HEL-2026-050000"  # the middle of the last school year at either size
    results = []
    for name, argv in (
        ("`cases --stuck`", ["cases", "--stuck", "--json"]),
        ("`cases --overdue`", ["cases", "--overdue", "--json"]),
        ("`case show`", ["case", "show", number, "--json"]),
    ):
        found = subprocess.run([*command, *argv], env=env, capture_output=True, text=True, check=True).stdout
        if len(found) < 100:  # not an empty list: the figure must read something
            msg = f"{name} found nothing on {db.label}: {found!r}"
            raise RuntimeError(msg)
        value = figures._time_command([*command, *argv], env, runs)
        results.append(
            Figure(
                f"{name} on {db.label} cases",
                value,
                "s",
                f"<= {TARGET}x import sqlalchemy",
                floor=floor,
                ratio_max=TARGET,
            )
        )
    return results


def audit(db: ScaleDb, runs: int) -> Figure:
    """The audit of a school year (the principal's, every case logged) vs reading the same rows."""
    from aktivitetsplikt.engine.reports.audit import audit_school_year

    engine = _engine(db, "audit", FixedClock(data.T0 + timedelta(days=1)), url=db.audit_url)
    bind = _bind(engine)
    floor = measure(partial(figures._read_floor, bind, db.year), runs=runs, warmup=1)
    value = measure(partial(audit_school_year, engine, db.year, actor=data.PRINCIPAL), runs=runs, warmup=1)
    _dispose(engine)
    return Figure(
        f"audit of a school year, {db.audit_cases:,} cases",
        value,
        "s",
        f">= 2,000 cases/s and <= {TARGET}x floor",
        floor=floor,
        ratio_max=TARGET,
        rate_min=2000.0,
        items=db.audit_cases,
    )


def logged_read(db: ScaleDb, runs: int, reads: int = 20) -> Figure:
    """``engine.get`` by the principal (the read logged in its transaction) vs the same scoped read
    without the record, of ``reads`` cases spread through the database."""
    engine = _engine(db, "read")
    with engine.uow() as uow:  # spread through the last school year (100,000 cases at either size)
        ids = [uow.cases.get(f"HEL-2026-{1 + i * (100_000 // reads):06d}").id for i in range(reads)]
    floor, value = figures.read_pair(engine, ids, runs)
    _dispose(engine)
    return Figure(
        f"a read with the access log vs without, {db.label} cases", value, "s", "<= 1.1x", floor=floor, ratio_max=1.1
    )


def run(db: ScaleDb, quick: bool) -> list[Figure]:
    results = [idle_sweep(db, 50 if quick else 200), due_sweep(db, 2 if quick else 5)]
    results += cli(db, 5 if quick else 15)
    results.append(logged_read(db, 30 if quick else 200))
    results.append(
        figures.transition(db.url, db.folder / "transition", f"{db.label} cases", 30 if quick else 200, TARGET)
    )
    for extra in EXTRA:
        results += extra(db, 30 if quick else 200)
    from bench import http

    results.append(http.step_vs_library(db.url, db.folder / "http", f"{db.label} cases", 30 if quick else 200, TARGET))
    results.append(audit(db, 1 if quick else 3))
    return results


def sqlite_db(size: str, folder: Path) -> ScaleDb:
    """A working copy of the cached SQLite database of ``size`` ("100k" or "1M")."""
    shape, audit_shape = ("open-100k", "audit-10k") if size == "100k" else ("scale-1m", "scale-1m")
    base = data.shaped_sqlite(shape)
    work = data.copy_db(base, folder / f"{shape}.db")
    audit_url = data.sqlite_url(work)
    if audit_shape != shape:
        audit_url = data.sqlite_url(data.copy_db(data.shaped_sqlite(audit_shape), folder / f"{audit_shape}.db"))
    count = data.SHAPES[shape]["count"]
    audit_count = data.SHAPES[audit_shape]["count"] // data.SHAPES[audit_shape].get("years", 1)
    return ScaleDb(size, data.sqlite_url(work), folder / size, count, audit_url, audit_count)


def remove(db: ScaleDb) -> None:
    """Delete the run's working copies (the cached databases stay)."""
    for url in {db.url, db.audit_url}:
        if url.startswith("postgresql"):
            import sqlalchemy as sa

            parsed = sa.engine.make_url(url)
            admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            admin.dispose()
        elif url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)


def pg_db(base_url: str, folder: Path) -> ScaleDb:
    """A working copy (CREATE DATABASE ... TEMPLATE) of the million-case PostgreSQL database, which is
    built with COPY the first time and kept, named by schema revision and data version."""
    import sqlalchemy as sa

    shape = "scale-1m"
    name = f"akt_bench_1m_{data.HEAD_REVISION[:4]}_{data.DATA_VERSION}"
    work = f"{name}_run_{os.getpid()}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    url = sa.engine.make_url(base_url)
    with admin.connect() as conn:
        found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
    if not found:
        building = f"{name}_building"
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{building}"'))
        engine = data.open_engine(folder / "pg-build", url.set(database=building).render_as_string(False))
        data.populate(engine, **data.SHAPES[shape])
        with _bind(engine).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        _dispose(engine)
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{work}" TEMPLATE "{name}"'))
    admin.dispose()
    db_url = url.set(database=work).render_as_string(False)
    count = data.SHAPES[shape]["count"]
    return ScaleDb("1M (PostgreSQL)", db_url, folder / "pg-1M", count, db_url, count // data.SHAPES[shape]["years"])


def pg_url() -> str | None:
    return os.environ.get("AKTIVITETSPLIKT_BENCH_PG_URL") or os.environ.get("AKTIVITETSPLIKT_TEST_PG_URL")
