"""Databases for the benchmarks, populated in bulk from decisions the engine itself makes, and cached.

A template case is decided once by the engine (so every row is what the engine would write); copies get
new ids, numbers and a recomputed hash chain, and go in with executemany. Large databases are cached in
the temp folder, keyed by the schema revision, and copied before a figure that changes them.
"""

from __future__ import annotations

import getpass
import logging
import shutil
import tempfile
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, update

from aktivitetsplikt.engine import Actor, Engine, FixedClock, bootstrap, load_settings
from aktivitetsplikt.engine.cli.logs import configure_logging
from aktivitetsplikt.engine.core.chain import GENESIS, event_hash
from aktivitetsplikt.engine.core.model import Case, Decision, Event, Obligation
from aktivitetsplikt.storage.repository import _case_values, _event_values, _obligation_values
from aktivitetsplikt.storage.schema import HEAD_REVISION
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow

CACHE = Path(tempfile.gettempdir()) / f"aktivitetsplikt-bench-{HEAD_REVISION}-v2"
T0 = datetime(2026, 9, 2, 8, 0, tzinfo=UTC)  # Wednesday 10:00 Oslo
FAR = datetime(2099, 1, 1, tzinfo=UTC)

CONFIG = """
[database]
url = "{url}"

[schools.hellerud]
name = "Hellerud videregående skole"
code = "HEL"
principal = "rektor@hellerud.example"
school_owner = "skoleeier@kommune.example"
[schools.hellerud.staff]
"rektor" = "rektor@hellerud.example"
"t-17" = "laerer17@hellerud.example"
"t-18" = "laerer18@hellerud.example"

[access]
it_admins = ["{operator}"]

# The benchmark's documented path (PATH below) is that of version 2024-08; 2026-12 asks more of it.
[versions]
aktivitetsplikt = "2024-08"
"""


def config_text(url: str) -> str:
    """The benchmark's config on ``url``; the OS user is its IT admin, so the CLI figures read as it."""
    try:
        operator = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        operator = "bench"
    return CONFIG.format(url=url, operator=operator)


TEACHER = Actor(id="t-17", role="staff", school="hellerud")
PRINCIPAL = Actor(id="rektor", role="principal", school="hellerud")
HANDLER = Actor(id="t-18", role="case_handler", school="hellerud")

REPORT = {"source": "pupil", "occurred_at": "2026-09-02T09:00", "description": "Utestengt.", "kinds": ["exclusion"]}
NOTIFY = {"notified_at": "2026-09-02T09:30", "channel": "muntlig", "summary": "Melding."}
HEARD = {"at": "2026-09-02T09:40", "feels_safe": False, "views": "Vil ha voksne ute."}
PATH = [
    ("notify_principal", NOTIFY, TEACHER),
    ("start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, PRINCIPAL),
    (
        "conclude_investigation",
        {"pupil_heard": HEARD, "others_heard": ["lærer"], "findings": "Funn.", "conclusion": "measures_needed"},
        HANDLER,
    ),
    (
        "adopt_plan",
        {
            "problem": "Utestenging.",
            "measures": [{"description": "Voksen ute", "when": "Daglig", "responsible": "t-18"}],
            "evaluation_at": "2026-09-16T12:00",
            "pupil_participation": "Eleven valgte.",
        },
        HANDLER,
    ),
]


def quiet() -> None:
    configure_logging(json=True, level=logging.WARNING)


def open_engine(folder: Path, url: str, clock: FixedClock | None = None) -> Engine:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    config.write_text(config_text(url), encoding="utf-8")
    return bootstrap(load_settings(config), clock=clock or FixedClock(T0), upgrade=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def template_decisions(engine: Engine, steps: int) -> list[Decision]:
    """The report and the first ``steps`` steps of the path, decided (not stored) by the engine."""
    now = engine.clock.now()
    decision = engine.decider.open_case("aktivitetsplikt", "hellerud", "elev-1", REPORT, TEACHER, now, 1)
    decisions = [decision]
    for trigger, document, actor in PATH[:steps]:
        decision = engine.decider.fire(decision.case, trigger, document, actor, now)
        decisions.append(decision)
    return decisions


def _clone_effects(
    effects: dict[str, Any] | None, identity: dict[str, str], ids: dict[str, str], opened: set[str]
) -> dict[str, Any]:
    """The template's effects for a clone: its number and pupil, its duty ids; no messages or parties,
    which the benchmark's database does not hold (so the clone replays exactly to its rows)."""
    cloned = {k: v for k, v in (effects or {}).items() if k not in ("messages", "parties")}
    far = FAR.isoformat()  # populate() stores every open duty's next escalation in 2099: so do its effects
    if "case" in cloned:
        cloned["case"] = cloned["case"] | identity
    for key in ("created", "met", "escalated"):
        if key in cloned:
            cloned[key] = [item | {"id": ids[item["id"]]} for item in cloned[key]]
    for item in cloned.get("created", ()):
        if item["id"] in opened:
            item["next_at"] = far
    return cloned


def _clone_events(
    decisions: list[Decision], case_id: str, identity: dict[str, str], ids: dict[str, str], opened: set[str]
) -> list[Event]:
    prev = GENESIS
    events: list[Event] = []
    for d in decisions:
        e = d.event
        effects = _clone_effects(e.effects, identity, ids, opened)
        digest = event_hash(
            prev,
            case_id=case_id,
            seq=e.seq,
            at=e.at,
            occurred_at=e.occurred_at,
            actor_id=e.actor_id,
            actor_role=e.actor_role,
            trigger=e.trigger,
            from_state=e.from_state,
            to_state=e.to_state,
            document=e.document,
            effects=effects,
        )
        events.append(replace(e, case_id=case_id, prev_hash=prev, hash=digest, effects=effects))
        prev = digest
    return events


def clone_rows(decisions: list[Decision], index: int) -> tuple[dict[str, Any], list[Event], list[Obligation]]:
    case_id = str(uuid.UUID(int=index + 1))
    last: Case = decisions[-1].case
    identity = {"number": f"HEL-2026-{index + 1:06d}", "pupil": f"elev-{index + 1}"}
    ids = {o.id: str(uuid.uuid4()) for o in last.obligations}
    opened = {ids[o.id] for o in last.obligations if o.open}
    events = _clone_events(decisions, case_id, identity, ids, opened)
    case = replace(last, id=case_id, head_hash=events[-1].hash, **identity)
    row = _case_values(case) | {
        "id": case.id,
        "number": case.number,
        "workflow": case.workflow,
        "workflow_version": case.workflow_version,
        "school": case.school,
        "school_year": case.school_year,
        "sequence": index + 1,
        "pupil": case.pupil,
        "opened_at": case.opened_at,
    }
    duties = [replace(o, id=ids[o.id], case_id=case_id) for o in last.obligations]
    return row, events, duties


def populate(engine: Engine, count: int, steps: int, *, stuck: int = 0) -> None:
    """``count`` cases that took the report and ``steps`` further steps; open duties are not due before
    2099; ``stuck`` of them have a duty escalated to level 2."""
    decisions = template_decisions(engine, steps)
    db = engine.uow.engine  # type: ignore[attr-defined]
    chunk = 5_000
    with db.begin() as conn:
        for start in range(0, count, chunk):
            cases, events, duties = [], [], []
            for i in range(start, min(start + chunk, count)):
                row, evs, dus = clone_rows(decisions, i)
                cases.append(row)
                events += [_event_values(e) for e in evs]
                for o in dus:
                    values = _obligation_values(o)
                    if o.satisfied_at is None:
                        level = 2 if i < stuck else None
                        values |= {"escalation_level": level, "next_escalation_at": None if level else FAR}
                    duties.append(values)
            conn.execute(insert(CaseRow), cases)
            conn.execute(insert(EventRow), events)
            conn.execute(insert(ObligationRow), duties)


def make_due(engine: Engine, count: int, now: datetime) -> None:
    """Let ``count`` open duties fall due an hour before ``now`` (their reminder already taken)."""
    db = engine.uow.engine  # type: ignore[attr-defined]
    due = now - timedelta(hours=1)
    with db.begin() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                ObligationRow.__table__.select()
                .with_only_columns(ObligationRow.id)
                .where(ObligationRow.satisfied_at.is_(None), ObligationRow.next_escalation_at == FAR)
                .order_by(ObligationRow.id)
                .limit(count)
            )
        ]
        conn.execute(
            update(ObligationRow)
            .where(ObligationRow.id == bindparam("b_id"))
            .values(due_at=due, escalation_level=0, next_escalation_at=due),
            [{"b_id": i} for i in ids],
        )


def cached_sqlite(name: str, build: Any) -> Path:
    """A cached database file, built by ``build(engine)`` the first time."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}.db"
    if not path.exists():
        partial = CACHE / f"{name}.building.db"
        for leftover in CACHE.glob(f"{name}.building.db*"):
            leftover.unlink()
        engine = open_engine(CACHE / f"{name}-config", sqlite_url(partial))
        build(engine)
        engine.uow.engine.dispose()  # type: ignore[attr-defined]
        partial.rename(path)
    return path


def copy_db(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target
