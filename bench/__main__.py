"""``python -m bench [--quick] [--out FILE]``: measure every figure, print one table, write JSON.

Each figure is a median of repeated runs after a warm-up (min and max printed too), and, where the
target is relative, a ratio against a floor measured in the same run, so the numbers hold on a noisy
machine. Large databases are built once and cached in the temp folder. PostgreSQL figures run when
AKTIVITETSPLIKT_BENCH_PG_URL (or AKTIVITETSPLIKT_TEST_PG_URL) names a server.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import uuid
from pathlib import Path

from bench import data, figures
from bench.harness import Figure, table


def _pg_database() -> str | None:
    base = os.environ.get("AKTIVITETSPLIKT_BENCH_PG_URL") or os.environ.get("AKTIVITETSPLIKT_TEST_PG_URL")
    if not base:
        return None
    import sqlalchemy as sa

    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"akt_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop_pg(url: str) -> None:
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def run(quick: bool, only: set[str] | None) -> list[Figure]:
    data.quiet()
    folder = figures.scratch()
    results: list[Figure] = []

    def wanted(name: str) -> bool:
        return only is None or name in only

    runs = 30 if quick else 200
    if wanted("transition"):
        results.append(
            figures.transition(data.sqlite_url(folder / "transition.db"), folder / "t-sqlite", "SQLite file, WAL", runs)
        )
        pg = _pg_database()
        if pg is not None:
            try:
                results.append(figures.transition(pg, folder / "t-pg", "PostgreSQL", runs))
            finally:
                _drop_pg(pg)
    if wanted("read"):
        results.append(
            figures.read_logging(data.sqlite_url(folder / "read.db"), folder / "r-sqlite", "SQLite file, WAL", runs * 2)
        )
        pg = _pg_database()
        if pg is not None:
            try:
                results.append(figures.read_logging(pg, folder / "r-pg", "PostgreSQL", runs * 2))
            finally:
                _drop_pg(pg)
    if wanted("sweep") or wanted("cli"):
        base = figures.big_sqlite("open-100k")
        if wanted("sweep"):
            results.append(figures.idle_sweep(base, folder, 50 if quick else 200))
            results.append(figures.due_sweep(base, folder, 3 if quick else 7))
        if wanted("cli"):
            results.extend(figures.cli_start(base, folder, 5 if quick else 15))
    if wanted("audit"):
        results.extend(figures.audit(folder, 3 if quick else 7))
    results.extend(_record_figures(folder, quick) if wanted("record") else [])
    if wanted("memory"):
        results.append(figures.memory(folder, 20_000 if quick else 100_000))
    if wanted("http"):
        results.extend(_http_figures(folder, quick))
    results.extend(_load_figure(folder, quick) if wanted("load") else [])
    return results


def _load_figure(folder: Path, quick: bool) -> list[Figure]:
    """3 daemons and 2 writers on PostgreSQL: throughput and errors (none without a PostgreSQL server)."""
    from bench import load

    pg = _pg_database()
    if pg is None:
        return []
    try:
        return [load.figure(pg, folder / "load", 20 if quick else 60)]
    finally:
        _drop_pg(pg)


def _record_figures(folder: Path, quick: bool) -> list[Figure]:
    """Issue 11: the audit's projection check, and a checkpoint over the 100k database."""
    from bench import record

    runs = 3 if quick else 7
    return [record.projection(folder, runs), *record.checkpoint(figures.big_sqlite("open-100k"), folder, runs)]


def _http_figures(folder: Path, quick: bool) -> list[Figure]:
    """A step over HTTP against the library (SQLite and PostgreSQL), and 16 clients at once on PostgreSQL."""
    from bench import http

    runs = 30 if quick else 200
    results = [http.step_vs_library(data.sqlite_url(folder / "http.db"), folder / "h-sqlite", "SQLite file", runs)]
    pg = _pg_database()
    if pg is not None:
        try:
            results.append(http.step_vs_library(pg, folder / "h-pg", "PostgreSQL", runs))
        finally:
            _drop_pg(pg)
        pg = _pg_database()
        assert pg is not None
        try:
            results.append(http.throughput(pg, folder / "h-pg-16", "PostgreSQL", 25 if quick else 100))
        finally:
            _drop_pg(pg)
    return results


def run_scale(quick: bool, sizes: list[str]) -> list[tuple[str, list[Figure]]]:
    """The scale tables (issue 15): each size on SQLite, and 1M on PostgreSQL when a server is named."""
    from bench import scale

    data.quiet()
    folder = figures.scratch()
    tables: list[tuple[str, list[Figure]]] = []
    for size in sizes:
        db = scale.sqlite_db(size, folder)
        try:
            tables.append((f"{size} cases, SQLite file (WAL)", scale.run(db, quick)))
        finally:
            scale.remove(db)
    pg = scale.pg_url()
    if pg is not None and "1M" in sizes:
        db = scale.pg_db(pg, folder)
        try:
            tables.append(("1M cases, PostgreSQL", scale.run(db, quick)))
        finally:
            scale.remove(db)
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and transitions (a smoke run)")
    parser.add_argument(
        "--only",
        action="append",
        choices=["transition", "read", "sweep", "audit", "cli", "memory", "http", "record", "load"],
        help="measure only these figures (repeatable)",
    )
    parser.add_argument(
        "--scale",
        action="append",
        choices=["100k", "1M", "all"],
        nargs="?",
        const="all",
        help="the scale tables instead (issue 15): the sweeps, lists, case show, logged read, step, HTTP "
        "step and audit on a cached database of 100k and of 1M cases (built once, minutes for 1M, in "
        "~/.cache/aktivitetsplikt-bench); give a size to measure only that one",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"), help="where to write JSON")
    args = parser.parse_args()
    if args.scale:
        sizes = ["100k", "1M"] if "all" in args.scale else [s for s in ("100k", "1M") if s in args.scale]
        tables = run_scale(args.quick, sizes)
        for title, found in tables:
            print(f"\n## {title}\n")
            print(table(found))
        results = [f for _title, found in tables for f in found]
    else:
        results = run(args.quick, set(args.only) if args.only else None)
        print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
                "quick": args.quick,
                "figures": [f.to_json() for f in results],
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    print(f"\nJSON: {args.out}")


if __name__ == "__main__":
    main()
