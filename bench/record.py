"""Issue 11's figures: the projection check the audit makes per case, and a signed checkpoint over 100k
cases (taking it and verifying the database against it), each against a floor measured in the same run."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine as DbEngine
from sqlalchemy import select

from aktivitetsplikt.engine import FixedClock
from aktivitetsplikt.engine.app import checkpoints
from aktivitetsplikt.engine.reports.audit.run import Record, audit_case
from aktivitetsplikt.engine.reports.lookup import pack_lookup, spec_lookup
from aktivitetsplikt.storage.tables import CaseRow
from bench import data
from bench.harness import Figure, measure, measure_pair


def projection(folder: Path, runs: int, count: int = 10_000) -> Figure:
    """The audit of 10k cases with the projection check (replay through the workflow, every row compared)
    vs the same audit without it, on the cases, outbox rows and parties the audit loads (in memory)."""
    base = data.cached_sqlite("audit-10k", lambda e: data.populate(e, count, steps=4))
    db_path = data.copy_db(base, folder / "projection.db")
    engine = data.open_engine(folder / "projection", data.sqlite_url(db_path), FixedClock(data.T0 + timedelta(days=1)))
    with engine.uow() as uow:
        ids = list(uow.reports.audit_ids("2026-2027"))
        cases = list(uow.reports.cases_by_ids(ids))
        outbox = uow.reports.outbox_of(ids)
        parties = uow.access.parties(ids)
    engine.uow.engine.dispose()  # type: ignore[attr-defined]
    spec_of, pack_of = spec_lookup(engine.registry), pack_lookup(engine.registry)
    calendar = engine.decider.policy.calendar_of("hellerud")
    now = engine.clock.now()

    def audited(with_record: bool) -> None:
        for case in cases:
            record = Record(engine.spec_or_none, outbox[case.id]) if with_record else None
            found = audit_case(
                case, spec_of(case), pack_of(case), calendar, now, parties=parties.get(case.id, ()), record=record
            )
            assert not any(f.code == "record_differs" for f in found.findings)

    floor, value = measure_pair(partial(audited, False), partial(audited, True), runs=runs, warmup=1)
    return Figure(
        f"audit of {count:,} cases in memory, with the projection check vs without",
        value,
        "s",
        "report (cases/s)",
        floor=floor,
        items=count,
    )


def _heads_floor(db: DbEngine) -> int:
    columns = (CaseRow.id, CaseRow.number, CaseRow.school, CaseRow.opened_at, CaseRow.last_seq, CaseRow.head_hash)
    with db.connect() as conn:
        return len(conn.execute(select(*columns).order_by(CaseRow.id)).all())


def checkpoint(base: Path, folder: Path, runs: int) -> list[Figure]:
    """A signed checkpoint over every case of the 100k database, and verifying the database against it,
    vs reading the same head columns through Core."""
    db_path = data.copy_db(base, folder / "checkpoint.db")
    engine = data.open_engine(folder / "checkpoint", data.sqlite_url(db_path))
    db: DbEngine = engine.uow.engine  # type: ignore[attr-defined]
    key = Ed25519PrivateKey.generate()
    now = data.T0
    floor = measure(partial(_heads_floor, db), runs=runs, warmup=1)
    taken = measure(partial(checkpoints.take, engine.uow, key, now), runs=runs, warmup=1)
    content: dict[str, Any] = checkpoints.take(engine.uow, key, now)
    verified = measure(partial(checkpoints.verify, engine.uow, content, key.public_key()), runs=runs, warmup=1)
    assert [] == checkpoints.verify(engine.uow, content, key.public_key())
    count = int(content["count"])
    db.dispose()
    return [
        Figure(f"checkpoint over {count:,} cases (sign + Merkle root)", taken, "s", "report", floor=floor, items=count),
        Figure(f"verify --checkpoint over {count:,} cases", verified, "s", "report", floor=floor, items=count),
    ]
