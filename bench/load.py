"""Load on PostgreSQL: 3 daemons and 2 writers at once, for about a minute (design section 7, issue 12).

The daemons are real ``aktivitetsplikt daemon`` processes (sweep and dispatch every second, small batches,
console notifier); the writers are processes of this module (``python -m bench.load writer ...``) that,
until their time is up, open cases whose first duty is already a month overdue (so the sweeps always have
work), add notes to random cases, and tell the principal (meeting the very duty a sweep may be escalating
at that moment: the interleaving that deadlocked when the sweep locked duties before cases).

``run`` returns what a caller must never see and what must hold: errors that reached a writer (untyped
ones, DatabaseBusy, ConcurrencyConflict; rule refusals are answers, not errors), failed daemon jobs and
non-JSON daemon output, PostgreSQL's own deadlock count for the database, and escalation steps or their
messages taken more than once. tests/e2e/test_load_pg.py asserts on it; ``python -m bench --only load``
prints its throughput and error count.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

DAEMONS = 3
WRITERS = 2
SEED_CASES = 100
ROOT = Path(__file__).resolve().parent.parent
DAEMON_CONFIG = '\n[daemon]\nsweep_every = "1s"\ndispatch_every = "1s"\nbatch_size = 20\n'


@dataclass
class LoadResult:
    seconds: float
    """How long the writers wrote (the longest of them), in wall-clock seconds."""
    outcomes: Counter[str] = field(default_factory=Counter)
    """Writer calls: ok, refused (a rule's typed answer), busy, conflict, untyped."""
    untyped: list[str] = field(default_factory=list)
    """The first untyped errors a writer saw (class and first line)."""
    escalations: int = 0
    repeated_steps: int = 0
    """(duty, level) pairs escalated more than once."""
    repeated_messages: int = 0
    """(duty, level, address) outbox rows queued more than once."""
    deadlocks: int = 0
    """PostgreSQL's deadlock count for the database over the run (retried inside or not)."""
    job_failures: list[dict[str, Any]] = field(default_factory=list)
    not_json: list[str] = field(default_factory=list)
    retries: Counter[str] = field(default_factory=Counter)
    """Transient retries the daemons logged, by reason."""
    left_due: int = 0
    """Duties still due and messages still waiting when the daemons were stopped."""

    @property
    def errors(self) -> int:
        """Everything that must be 0: errors reaching a caller, deadlocks, steps or messages twice."""
        reached = self.outcomes["untyped"] + self.outcomes["busy"] + self.outcomes["conflict"]
        failed = len(self.job_failures) + len(self.not_json)
        return reached + failed + self.deadlocks + self.repeated_steps + self.repeated_messages

    @property
    def operations(self) -> int:
        """Writer calls answered (stored or refused by a rule) plus escalation steps taken."""
        return self.outcomes["ok"] + self.outcomes["refused"] + self.escalations

    def summary(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 1),
            "outcomes": dict(self.outcomes),
            "escalations": self.escalations,
            "errors": self.errors,
            "deadlocks": self.deadlocks,
            "repeated_steps": self.repeated_steps,
            "repeated_messages": self.repeated_messages,
            "job_failures": self.job_failures[:3],
            "not_json": self.not_json[:3],
            "untyped": self.untyped[:3],
            "retries": dict(self.retries),
            "left_due": self.left_due,
        }


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("AKTIVITETSPLIKT_")}


def _scalar(db: sa.Engine, sql: str) -> int:
    with db.connect() as conn:
        return int(conn.scalar(sa.text(sql)) or 0)


def _deadlocks(db: sa.Engine) -> int:
    with db.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
        sql = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        return int(conn.scalar(sa.text(sql)) or 0)


def _unfinished(db: sa.Engine) -> int:
    due = "SELECT count(*) FROM obligations WHERE satisfied_at IS NULL AND next_escalation_at <= now()"
    waiting = "SELECT count(*) FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()"
    return _scalar(db, due) + _scalar(db, waiting)


def _stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(url: str, folder: Path, seconds: float, *, drain: float = 20) -> LoadResult:
    """Seed a fresh, empty PostgreSQL database at ``url``, run the daemons and writers against it for
    ``seconds``, give the daemons up to ``drain`` seconds to finish the due work, stop them, and check."""
    from bench import data

    engine = data.open_engine(folder, url, clock=_past_clock())
    config = folder / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + DAEMON_CONFIG, encoding="utf-8")
    for n in range(SEED_CASES):
        _report(engine, f"seed-{n}")
    db: sa.Engine = engine.uow.engine  # type: ignore[attr-defined]
    before = _deadlocks(db)
    logs = [folder / f"daemon-{n}.log" for n in range(DAEMONS)]
    streams = [log.open("wb") for log in logs]
    daemons = [
        subprocess.Popen(
            [sys.executable, "-m", "aktivitetsplikt.engine.cli", "--config", str(config), "daemon"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stream,
            env=_env(),
            cwd=folder,
        )
        for stream in streams
    ]
    results = [folder / f"writer-{n}.json" for n in range(WRITERS)]
    try:
        writers = [
            subprocess.Popen(
                [sys.executable, "-m", "bench.load", "writer", str(config), str(seconds), str(n), str(out)],
                stdin=subprocess.DEVNULL,
                env=_env(),
                cwd=ROOT,
            )
            for n, out in enumerate(results)
        ]
        for writer in writers:
            writer.wait(seconds + 120)
        end = time.monotonic() + drain
        while _unfinished(db) and time.monotonic() < end and all(d.poll() is None for d in daemons):
            time.sleep(0.2)
    finally:
        for daemon in daemons:
            _stop(daemon)
        for stream in streams:
            stream.close()
    result = LoadResult(seconds=0.0, left_due=_unfinished(db))
    for out in results:
        found = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"outcomes": {"untyped": 1}}
        result.seconds = max(result.seconds, float(found.get("seconds", 0.0)))
        result.outcomes.update(found["outcomes"])
        result.untyped.extend(found.get("untyped", []))
    for log in logs:
        _read_daemon_log(log, result)
    steps = (
        "SELECT count(*) FROM case_events WHERE trigger = 'escalated' "
        "GROUP BY document->>'obligation_id', document->>'level'"
    )
    messages = "SELECT count(*) FROM outbox WHERE kind = 'escalation' GROUP BY obligation_id, level, address"
    with db.connect() as conn:
        counts = [int(n) for n in conn.scalars(sa.text(steps))]
        result.escalations = sum(counts)
        result.repeated_steps = sum(1 for n in counts if n > 1)
        result.repeated_messages = sum(1 for n in conn.scalars(sa.text(messages)) if n > 1)
    result.deadlocks = _deadlocks(db) - before
    db.dispose()
    return result


def _read_daemon_log(log: Path, result: LoadResult) -> None:
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            result.not_json.append(line[:200])
            continue
        if entry.get("event") in ("sweep_failed", "dispatch_failed"):
            result.job_failures.append(entry)
        elif entry.get("event") == "transient_retry":
            result.retries[str(entry.get("reason"))] += 1


# --- a writer process ------------------------------------------------------------------------------------


def _past_clock() -> Any:
    from aktivitetsplikt.engine import FixedClock

    return FixedClock(datetime.now(UTC) - timedelta(days=30))


def _oslo(at: datetime) -> str:
    from aktivitetsplikt.engine.core.documents import OSLO

    return at.astimezone(OSLO).replace(tzinfo=None).isoformat(timespec="seconds")


def _report(engine: Any, pupil: str) -> str:
    """A case reported a month ago (by ``engine``'s clock), its principal not told: that duty is overdue."""
    from bench import data

    occurred = _oslo(engine.clock.now() - timedelta(minutes=10))
    doc = {"source": "pupil", "occurred_at": occurred, "description": "Utestengt.", "kinds": ["exclusion"]}
    case = engine.report(workflow="aktivitetsplikt", school="hellerud", pupil=pupil, document=doc, actor=data.TEACHER)
    return str(case.id)


def writer(config: Path, seconds: float, index: int, out: Path) -> None:
    """Write until ``seconds`` have passed; record every call's outcome in ``out`` as JSON."""
    from aktivitetsplikt.engine import AktivitetspliktError, ConcurrencyConflict, bootstrap, load_settings
    from aktivitetsplikt.engine.errors import DatabaseBusy
    from bench import data

    data.quiet()
    settings = load_settings(config)
    now_engine = bootstrap(settings)
    past_engine = bootstrap(settings, clock=_past_clock())
    db: sa.Engine = now_engine.uow.engine  # type: ignore[attr-defined]
    with db.connect() as conn:
        pool = list(conn.scalars(sa.text("SELECT id FROM cases")))
    mine: list[str] = []
    rng = random.Random(index)
    outcomes: Counter[str] = Counter()
    untyped: list[str] = []
    started = time.monotonic()
    deadline = started + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        draw = rng.random()
        try:
            if draw < 0.2:
                past_engine.clock.set(datetime.now(UTC) - timedelta(days=30))
                mine.append(_report(past_engine, f"w{index}-{n}"))
            elif draw < 0.6:
                note = {"text": f"Notat {n} fra skriver {index}"}
                now_engine.fire(rng.choice(pool + mine), "add_note", note, data.TEACHER)
            else:
                recent = mine[-5:] if mine and rng.random() < 0.5 else pool + mine
                told = {"notified_at": _oslo(datetime.now(UTC) - timedelta(minutes=1)), "channel": "muntlig"}
                now_engine.fire(rng.choice(recent), "notify_principal", told | {"summary": "Melding."}, data.TEACHER)
        except DatabaseBusy:
            outcomes["busy"] += 1
        except ConcurrencyConflict:
            outcomes["conflict"] += 1
        except AktivitetspliktError:
            outcomes["refused"] += 1
        except Exception as exc:
            outcomes["untyped"] += 1
            untyped.append("".join(traceback.format_exception_only(type(exc), exc)).strip()[:300])
        else:
            outcomes["ok"] += 1
    report = {"seconds": time.monotonic() - started, "outcomes": outcomes, "untyped": untyped[:10]}
    out.write_text(json.dumps(report), encoding="utf-8")
    db.dispose()
    past_engine.uow.engine.dispose()  # type: ignore[attr-defined]


def figure(url: str, folder: Path, seconds: float) -> Any:
    """The benchmark's line: writer calls answered and escalation steps per second of writing, and the
    errors (see :attr:`LoadResult.errors`), which must be 0."""
    from bench.harness import Figure, Sample

    result = run(url, folder, seconds)
    name = f"load, {DAEMONS} daemons + {WRITERS} writers (PostgreSQL)"
    target = f"0 deadlocks or untyped errors ({result.errors} errors)"
    return Figure(
        name,
        Sample.of([result.seconds]),
        "s",
        target,
        items=result.operations,
        errors=result.errors,
        notes=result.summary(),
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("role", choices=["writer"])
    parser.add_argument("config", type=Path)
    parser.add_argument("seconds", type=float)
    parser.add_argument("index", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    writer(args.config, args.seconds, args.index, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
