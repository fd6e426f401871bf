"""Databases for the benchmarks, populated in bulk from decisions the engine itself makes, and cached.

A template case is decided once by the engine (so every row is what the engine would write); copies get
new ids, numbers and a recomputed hash chain, and go in with executemany. Large databases are cached in
the temp folder, keyed by the schema revision, and copied before a figure that changes them.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import shutil
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, update

from aktivitetsplikt.engine import Actor, Engine, FixedClock, bootstrap, load_settings
from aktivitetsplikt.engine.cli.logs import configure_logging
from aktivitetsplikt.engine.core.chain import GENESIS, canonical_json, skeleton
from aktivitetsplikt.engine.core.model import Case, Decision, Event
from aktivitetsplikt.storage.repository import _event_values, _new_case_values, _obligation_values
from aktivitetsplikt.storage.schema import HEAD_REVISION
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow, PartyRow

DATA_VERSION = "v2"
"""Bumped whenever populate() builds different rows; with the schema revision it names the cache."""
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "aktivitetsplikt-bench"
    / f"{HEAD_REVISION}-{DATA_VERSION}"
)
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


SHAPES: dict[str, dict[str, Any]] = {
    # The 100k table: one school year of open cases, just reported (design.md section 7).
    "open-100k": {"count": 100_000, "steps": 0, "stuck": 50, "overdue": 50},
    "audit-10k": {"count": 10_000, "steps": 4},
    # The 1M table (issue 15): ten school years of 100,000 cases each, every case through plan adoption,
    # so a year's audit reads 100k whole logs among a million; 50 stuck and 50 overdue spread through it.
    "scale-1m": {"count": 1_000_000, "steps": 4, "stuck": 50, "overdue": 50, "years": 10},
}


class _Template:
    """The template case's rows as the driver takes them (bind processors applied once); a clone only
    swaps ids, number, pupil, year and the hash chain, so a million cases cost little Python each."""

    def __init__(self, decisions: list[Decision], dialect: Any) -> None:
        self.dialect = dialect
        last: Case = decisions[-1].case
        self.case = self._row(CaseRow, _new_case_values(last, 1))
        # Clones carry no effects (as events recorded before migration 0006): a clone swaps only ids,
        # number, pupil and the chain, while effects name the case's number, pupil and duty ids, so the
        # audit checks these cases as far as the plain log shows ("partial"); bench `record` measures the
        # projection check itself.
        self.events = [self._row(EventRow, _event_values(replace(d.event, effects=None))) for d in decisions]
        # Each event's canonical body with a marker where the case id goes: the hash of a clone's event
        # is then one sha256 of the template body with the id swapped in (the same as event_hash).
        self.bodies = [self._body(d.event) for d in decisions]
        self.duties = [self._row(ObligationRow, _obligation_values(o)) for o in last.obligations]
        self.open = [o.satisfied_at is None for o in last.obligations]
        self.parties = sorted({(p.relation, p.person) for d in decisions for p in d.parties})
        self.far = self._stored(ObligationRow, "next_escalation_at", FAR)
        self.past = self._stored(ObligationRow, "due_at", T0 - timedelta(days=1))
        self.number_prefix = last.number.rsplit("-", 2)[0]

    def _stored(self, model: Any, column: str, value: Any) -> Any:
        process = model.__table__.c[column].type.dialect_impl(self.dialect).bind_processor(self.dialect)
        return value if process is None or value is None else process(value)

    def _row(self, model: Any, values: dict[str, Any]) -> dict[str, Any]:
        return {k: self._stored(model, k, v) for k, v in values.items()}

    @staticmethod
    def _body(e: Event) -> tuple[str, str]:
        marker = "\x00case\x00"
        # As chain.event_hash: a sealed event (format 2) covers the document's skeleton, not the document.
        content: dict[str, Any] = (
            {"document": e.document} if e.seal is None else {"chain": 2, "skeleton": skeleton(e.document, e.seal)}
        )
        body = canonical_json(
            content
            | {
                "case_id": marker,
                "seq": e.seq,
                "at": e.at.isoformat(),
                "occurred_at": e.occurred_at.isoformat(),
                "actor_id": e.actor_id,
                "actor_role": e.actor_role,
                "trigger": e.trigger,
                "from_state": e.from_state,
                "to_state": e.to_state,
            }
        )
        head, tail = body.split(canonical_json(marker))
        return head, tail


def _case_id(index: int) -> str:
    return str(uuid.UUID(int=index + 1))


def _duty_id(index: int, n: int) -> str:
    # Sequential, so a million duties go into the primary key's b-tree in order (fast), unlike uuid4.
    return str(uuid.UUID(int=(1 << 64) + index * 16 + n))


def school_years(years: int, last: int = 2026) -> list[str]:
    return [f"{y}-{y + 1}" for y in range(last - years + 1, last + 1)]


def _every(total: int, wanted: int, offset: int = 0) -> set[int]:
    """``wanted`` case indexes spread evenly through ``total`` (so no plan finds them by luck at the start)."""
    if not wanted:
        return set()
    step = max(total // wanted, 1)
    return {offset + i * step for i in range(wanted) if offset + i * step < total}


class _Sink:
    """Rows into a table the fastest way the backend has: executemany of one prepared INSERT on SQLite,
    COPY on PostgreSQL."""

    def __init__(self, conn: Any, model: Any, columns: list[str]) -> None:
        self.columns = columns
        self.raw = conn.connection.dbapi_connection
        self.postgres = conn.dialect.name == "postgresql"
        name = model.__tablename__
        if self.postgres:
            self.sql = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
        else:
            marks = ", ".join("?" for _ in columns)
            self.sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        cursor = self.raw.cursor()
        if self.postgres:
            with cursor.copy(self.sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.sql, rows)
        cursor.close()


def populate(
    engine: Engine, count: int, steps: int, *, stuck: int = 0, overdue: int = 0, years: int = 1, chunk: int = 20_000
) -> None:
    """``count`` cases that took the report and ``steps`` further steps, in ``years`` school years (the
    last is 2026-2027) of equal size. Open duties are neither due nor escalating before 2099, except:
    ``stuck`` cases have an open duty escalated to level 2, ``overdue`` cases one past its deadline."""
    decisions = template_decisions(engine, steps)
    db = engine.uow.engine  # type: ignore[attr-defined]
    year_names = school_years(years)
    per_year = -(-count // years)
    stuck_at, overdue_at = _every(count, stuck), _every(count, overdue, offset=max(count // max(overdue, 1) // 2, 1))
    template: _Template | None = None
    for start in range(0, count, chunk):
        # A transaction per chunk keeps SQLite's WAL (and PostgreSQL's) small while a million go in.
        with db.begin() as conn:
            if template is None:
                template = _Template(decisions, conn.dialect)
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA cache_size=-500000")
            rows: tuple[list[tuple[Any, ...]], ...] = ([], [], [], [])
            for i in range(start, min(start + chunk, count)):
                _clone(template, i, year_names[i // per_year], i % per_year + 1, i in stuck_at, i in overdue_at, rows)
            columns = (
                (CaseRow, list(template.case)),
                (EventRow, list(template.events[0])),
                (ObligationRow, list(template.duties[0])),
                (PartyRow, ["case_id", "relation", "person"]),
            )
            for (model, names), batch in zip(columns, rows, strict=True):
                _Sink(conn, model, names).write(batch)


def _clone(
    t: _Template, i: int, year: str, sequence: int, stuck: bool, overdue: bool, out: tuple[list[tuple[Any, ...]], ...]
) -> None:
    case_id = _case_id(i)
    prev = GENESIS
    quoted = canonical_json(case_id)
    for template, (head, tail) in zip(t.events, t.bodies, strict=True):
        digest = hashlib.sha256((prev + head + quoted + tail).encode("utf-8")).hexdigest()
        out[1].append(tuple((template | {"case_id": case_id, "prev_hash": prev, "hash": digest}).values()))
        prev = digest
    case = t.case | {
        "id": case_id,
        "number": f"{t.number_prefix}-{year[:4]}-{sequence:06d}",
        "school_year": year,
        "sequence": sequence,
        "pupil": f"elev-{i + 1}",
        "head_hash": prev,
    }
    out[0].append(tuple(case.values()))
    first = True
    for n, (duty, is_open) in enumerate(zip(t.duties, t.open, strict=True)):
        row = duty | {"id": _duty_id(i, n), "case_id": case_id}
        if is_open:
            # Not due, not escalating before 2099; the first open duty of a stuck or overdue case is.
            row |= {"escalation_level": None, "next_escalation_at": t.far, "due_at": t.far}
            if first and stuck:
                row |= {"escalation_level": 2, "next_escalation_at": None}
            if first and overdue:
                row["due_at"] = t.past
            first = False
        out[2].append(tuple(row.values()))
    out[3].extend((case_id, relation, person) for relation, person in t.parties)


def due_ids(engine: Engine, count: int) -> list[str]:
    """``count`` open duties that are not due (by id, so the same ones each time)."""
    db = engine.uow.engine  # type: ignore[attr-defined]
    with db.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                ObligationRow.__table__.select()
                .with_only_columns(ObligationRow.id)
                .where(ObligationRow.satisfied_at.is_(None), ObligationRow.next_escalation_at == FAR)
                .order_by(ObligationRow.id)
                .limit(count)
            )
        ]


def make_due(engine: Engine, count: int, now: datetime, ids: list[str]) -> None:
    """Let the open duties ``ids`` (``count`` of them) fall due an hour before ``now`` (their reminder
    already taken)."""
    if len(ids) != count:
        msg = f"only {len(ids)} open duties to make due, not {count}"
        raise ValueError(msg)
    db = engine.uow.engine  # type: ignore[attr-defined]
    due = now - timedelta(hours=1)
    with db.begin() as conn:
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


def shaped_sqlite(name: str) -> Path:
    """The cached SQLite database of shape ``name`` (SHAPES), built the first time."""
    shape = SHAPES[name]
    return cached_sqlite(name, lambda e: populate(e, **shape))


def copy_db(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target
