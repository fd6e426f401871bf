"""The figures of design.md section 7 and issue 5, each measured against its floor in the same run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import Engine as DbEngine
from sqlalchemy import bindparam, insert, select, update

from aktivitetsplikt.engine import FixedClock
from aktivitetsplikt.engine.core.model import Decision
from aktivitetsplikt.storage.database import IMMEDIATE
from aktivitetsplikt.storage.repository import _case_values, _event_values, _message_values, _obligation_values
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow, OutboxRow
from bench import data
from bench.harness import Figure, Sample, measure, measure_pair

BIG = 100_000


def _write_decision(db: DbEngine, decision: Decision, expected_version: int) -> None:
    """The floor of one step: the same UPDATE and INSERTs, through Core, in one transaction."""
    with db.execution_options(**{IMMEDIATE: True}).begin() as conn:
        case = decision.case
        conn.execute(
            update(CaseRow)
            .where(CaseRow.id == case.id, CaseRow.version == expected_version)
            .values(**_case_values(case))
        )
        conn.execute(insert(EventRow), [_event_values(decision.event)])
        if decision.created:
            conn.execute(insert(ObligationRow), [_obligation_values(o) for o in decision.created])
        for done in decision.satisfied:
            conn.execute(
                update(ObligationRow)
                .where(ObligationRow.id == done.id)
                .values(satisfied_at=done.satisfied_at, satisfied_by_seq=done.satisfied_by_seq, next_escalation_at=None)
            )
        if decision.messages:
            conn.execute(insert(OutboxRow), [_message_values(m) for m in decision.messages])


def transition(url: str, folder: Path, label: str, runs: int, target: float = 2.0) -> Figure:
    """notify_principal on a reported case (validate, rules, state, event, duties, outbox), vs its floor."""
    engine = data.open_engine(folder, url)
    db: DbEngine = engine.uow.engine  # type: ignore[attr-defined]
    total = 2 * (runs + 3)
    ids = [
        engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil=f"elev-{i}", document=data.REPORT, actor=data.TEACHER
        ).id
        for i in range(total)
    ]
    engine_ids: Iterator[str] = iter(ids[: total // 2])
    floor_ids = ids[total // 2 :]
    decisions: list[tuple[Decision, int]] = []
    for case_id in floor_ids:
        case = engine.get(case_id, actor=data.PRINCIPAL, events=False)
        decisions.append(
            (engine.decider.fire(case, "notify_principal", data.NOTIFY, data.TEACHER, engine.clock.now()), case.version)
        )
    floor_iter = iter(decisions)

    def floor_step() -> None:
        decision, version = next(floor_iter)
        _write_decision(db, decision, version)

    floor = measure(floor_step, runs=runs)
    value = measure(lambda: engine.fire(next(engine_ids), "notify_principal", data.NOTIFY, data.TEACHER), runs=runs)
    db.dispose()
    name = f"one persisted transition ({label})"
    return Figure(name, value, "s", f"<= {target:g}x floor", floor=floor, ratio_max=target)


def read_logging(url: str, folder: Path, label: str, runs: int, cases: int = 20) -> Figure:
    """``engine.get`` of a case with its log and duties by the principal, the read appended to the access
    log in its own transaction, vs the same scoped read through the same repository without the record."""
    engine = data.open_engine(folder, url)
    ids = []
    for i in range(cases):
        case = engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil=f"elev-{i}", document=data.REPORT, actor=data.TEACHER
        )
        for trigger, document, actor in data.PATH:
            engine.fire(case.id, trigger, document, actor)
        ids.append(case.id)

    floor, value = read_pair(engine, ids, runs)
    engine.uow.engine.dispose()  # type: ignore[attr-defined]
    name = f"a read with the access log vs without ({label}), {cases} reads"
    return Figure(name, value, "s", "<= 1.1x", floor=floor, ratio_max=1.1)


def read_pair(engine: data.Engine, ids: list[str], runs: int) -> tuple[Sample, Sample]:
    """Reading ``ids`` by the principal without and with the access log, taking turns."""
    reader = data.PRINCIPAL

    def unlogged() -> None:
        for case_id in ids:
            with engine.uow() as uow:
                uow.cases.get(case_id, with_events=True, scope=engine.scope(reader))

    def logged() -> None:
        for case_id in ids:
            engine.get(case_id, actor=reader)

    # Each sample reads every case once, taking turns, so a shared machine's bursts weigh on both alike.
    return measure_pair(unlogged, logged, runs=runs, warmup=2)


def big_sqlite(name: str) -> Path:
    return data.shaped_sqlite(name)


def idle_sweep(base: Path, folder: Path, runs: int) -> Figure:
    db_path = data.copy_db(base, folder / "idle.db")
    engine = data.open_engine(folder / "idle", data.sqlite_url(db_path))
    value = measure(engine.sweep, runs=runs, warmup=5)
    engine.uow.engine.dispose()  # type: ignore[attr-defined]
    return Figure("idle sweep, 100k open cases, nothing due", value, "s", "<= 10 ms", absolute_max=0.010)


def _prepared(base: Path, folder: Path, name: str, due: int) -> tuple[data.Engine, FixedClock]:
    db_path = data.copy_db(base, folder / f"{name}.db")
    clock = FixedClock(data.T0 + timedelta(days=1))
    engine = data.open_engine(folder / name, data.sqlite_url(db_path), clock)
    data.make_due(engine, due, clock.now(), data.due_ids(engine, due))
    return engine, clock


def _floor_sweep(db: DbEngine, now: object, rows: dict[str, list[dict[str, object]]], limit: int) -> None:
    """Claim the same due cases and duties, in the engine's lock order (cases, then their duties), and write
    the same rows the engine wrote, through Core."""
    due = (ObligationRow.satisfied_at.is_(None), ObligationRow.next_escalation_at <= now)
    with db.execution_options(**{IMMEDIATE: True}).begin() as conn:
        cases = conn.execute(
            select(CaseRow)
            .where(CaseRow.id.in_(select(ObligationRow.case_id).where(*due)))
            .order_by(CaseRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True, key_share=True)
        ).all()
        case_ids = [r.id for r in cases]
        conn.execute(select(ObligationRow).where(ObligationRow.case_id.in_(case_ids), *due).with_for_update()).all()
        conn.execute(
            update(CaseRow)
            .where(CaseRow.id == bindparam("b_id"))
            .values(version=bindparam("version"), last_seq=bindparam("last_seq"), head_hash=bindparam("head_hash")),
            rows["cases"],
        )
        conn.execute(insert(EventRow), rows["events"])
        conn.execute(
            update(ObligationRow)
            .where(ObligationRow.id == bindparam("b_id"))
            .values(escalation_level=bindparam("escalation_level"), next_escalation_at=bindparam("next_escalation_at")),
            rows["duties"],
        )
        conn.execute(insert(OutboxRow), rows["messages"])


def due_sweep(base: Path, folder: Path, runs: int, due: int = 1_000) -> Figure:
    """A sweep that takes 1,000 due steps among 100k cases, vs claiming and writing the same rows."""
    values: list[float] = []
    floors: list[float] = []
    for run in range(runs + 1):
        engine, clock = _prepared(base, folder, f"due-{run % 2}", due)
        engine.settings.daemon.__dict__["batch_size"] = due  # one batch, as the floor does
        steps = measure(engine.sweep, runs=1, warmup=0)
        db: DbEngine = engine.uow.engine  # type: ignore[attr-defined]
        rows = _written_rows(db)
        db.dispose()
        floor_engine, _ = _prepared(base, folder, f"floor-{run % 2}", due)
        floor_db: DbEngine = floor_engine.uow.engine  # type: ignore[attr-defined]
        floor = measure(partial(_floor_sweep, floor_db, clock.now(), rows, due), runs=1, warmup=0)
        floor_db.dispose()
        if run:  # the first pair warms the file cache
            values.append(steps.median)
            floors.append(floor.median)
    return Figure(
        f"sweep, {due:,} due of 100k", Sample.of(values), "s", "<= 2x floor", floor=Sample.of(floors), ratio_max=2.0
    )


def _written_rows(db: DbEngine) -> dict[str, list[dict[str, object]]]:
    with db.connect() as conn:
        events = [dict(r._mapping) for r in conn.execute(select(EventRow).where(EventRow.trigger == "escalated"))]
        messages = [dict(r._mapping) for r in conn.execute(select(OutboxRow))]
        case_ids = sorted({e["case_id"] for e in events})
        cases = [
            {"b_id": r.id, "version": r.version, "last_seq": r.last_seq, "head_hash": r.head_hash}
            for r in conn.execute(select(CaseRow).where(CaseRow.id.in_(case_ids)))
        ]
        duties = [
            {"b_id": r.id, "escalation_level": r.escalation_level, "next_escalation_at": r.next_escalation_at}
            for r in conn.execute(select(ObligationRow).where(ObligationRow.escalation_level == 1))
        ]
    for e in events:
        e.pop("id")
    for m in messages:
        m["id"] = "f" + str(m["id"])[1:]
    return {"events": events, "messages": messages, "cases": cases, "duties": duties}


def _cli_env(config: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}
    if config is not None:
        env["AKTIVITETSPLIKT_CONFIG"] = str(config)
    return env


def _time_command(argv: list[str], env: dict[str, str], runs: int) -> Sample:
    return measure(lambda: subprocess.run(argv, env=env, capture_output=True, check=True), runs=runs, warmup=2)


def cli_start(base: Path, folder: Path, runs: int) -> list[Figure]:
    floor = _time_command([sys.executable, "-c", "import sqlalchemy"], _cli_env(None), runs)
    cli = [sys.executable, "-m", "aktivitetsplikt.engine.cli"]
    help_ = _time_command([*cli, "--help"], _cli_env(None), runs)
    db_path = data.copy_db(base, folder / "cli.db")
    config = folder / "cli" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(data.config_text(data.sqlite_url(db_path)), encoding="utf-8")
    stuck = _time_command([*cli, "cases", "--stuck", "--json"], _cli_env(config), runs)
    return [
        Figure(
            "`aktivitetsplikt --help` cold start", help_, "s", "<= 1.0x import sqlalchemy", floor=floor, ratio_max=1.0
        ),
        Figure("`cases --stuck` on 100k cases", stuck, "s", "<= 2.5x import sqlalchemy", floor=floor, ratio_max=2.5),
    ]


def memory(folder: Path, transitions: int) -> Figure:
    """RSS growth over many transitions in one process (a fresh interpreter, SQLite file)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(folder / "memory"), str(transitions)],
        capture_output=True,
        text=True,
        check=True,
        env=_cli_env(None),
        cwd=Path(__file__).parents[1],
    ).stdout.split()
    growth_mb = float(out[0])
    return Figure(
        f"RSS growth over {transitions:,} transitions",
        Sample(growth_mb, growth_mb, growth_mb, 1),
        "MB",
        "<= 5 MB",
        absolute_max=5.0,
        notes={"rss_after_warmup_mb": float(out[1]), "rss_end_mb": float(out[2])},
    )


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="aktivitetsplikt-bench-run-"))


def _read_floor(db: DbEngine, school_year: str, batch: int = 500) -> int:
    """Reading the same rows the audit reads (cases, events, duties per batch) through Core."""
    with db.connect() as conn:
        ids = list(
            conn.execute(
                select(CaseRow.id).where(CaseRow.school_year == school_year).order_by(CaseRow.number)
            ).scalars()
        )
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            conn.execute(select(CaseRow).where(CaseRow.id.in_(chunk))).all()
            conn.execute(
                select(EventRow).where(EventRow.case_id.in_(chunk)).order_by(EventRow.case_id, EventRow.seq)
            ).all()
            conn.execute(select(ObligationRow).where(ObligationRow.case_id.in_(chunk))).all()
    return len(ids)


def audit(folder: Path, runs: int, count: int = 10_000) -> list[Figure]:
    """The internal audit of a school year with 10k cases (each through plan adoption), vs reading it."""
    from aktivitetsplikt.engine.reports.audit import audit_school_year

    base = data.shaped_sqlite("audit-10k")
    db_path = data.copy_db(base, folder / "audit.db")
    engine = data.open_engine(folder / "audit", data.sqlite_url(db_path), FixedClock(data.T0 + timedelta(days=1)))
    year = "2026-2027"
    db: DbEngine = engine.uow.engine  # type: ignore[attr-defined]
    floor = measure(partial(_read_floor, db, year), runs=runs, warmup=1)
    # The principal audits their school: every case is read through the scope and logged, as in use.
    value = measure(partial(audit_school_year, engine, year, actor=data.PRINCIPAL), runs=runs, warmup=1)
    db.dispose()
    return [
        Figure(
            f"audit of a school year, {count:,} cases",
            value,
            "s",
            ">= 2,000 cases/s and <= 3x floor",
            floor=floor,
            ratio_max=3.0,
            rate_min=2000.0,
            items=count,
        )
    ]
