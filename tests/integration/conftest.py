"""Fixtures for the integration tests: the same test on SQLite and on PostgreSQL, and raw SQL access.

``any_engine`` runs a test once on a fresh SQLite file and once on PostgreSQL (marked ``postgres``,
skipped without AKTIVITETSPLIKT_TEST_PG_URL). ``db`` is the SQLAlchemy engine underneath, for looking at
(or tampering with) the rows the way an auditor or an attacker would.

On PostgreSQL, ``any_engine`` does not create a database per test as ``pg_engine`` does: CREATE DATABASE
plus the migrations cost about a second, which over the ~50 parametrized tests was half the integration
suite's time budget. It migrates one database per session and empties its tables before each test, so
every test still starts from an empty, migrated schema. Tests that need a database with NO schema
(``any_settings``) and the migration tests still get a database of their own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import Engine, FixedClock, Settings, bootstrap, load_settings
from tests.conftest import PG_ENV

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

TABLES = ("cases", "case_events", "obligations", "outbox", "alembic_version")
DATA_TABLES = ("outbox", "obligations", "case_events", "cases")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the store a parametrized test runs on."""
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def shared_pg_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the session's ``any_engine`` tests, dropped at the end."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    from aktivitetsplikt.storage.database import create_db_engine
    from aktivitetsplikt.storage.migrate import upgrade

    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"akt_it_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        migrated = create_db_engine(url)
        upgrade(migrated)
        migrated.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def shared_pg_engine(
    shared_pg_url: str, settings: Settings, config_file: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    """An engine on the session's PostgreSQL database, emptied first; its clock is ``clock``."""
    monkeypatch.setenv("AKTIVITETSPLIKT_DATABASE__URL", shared_pg_url)  # ``settings`` cleared the others
    engine = bootstrap(load_settings(config_file), clock=clock)
    with sql_engine(engine).begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE"))
    yield engine
    sql_engine(engine).dispose()


@pytest.fixture
def any_engine(backend: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on an empty, migrated database of the backend under test; its clock is ``clock``."""
    fixture = "engine" if backend == "sqlite" else "shared_pg_engine"
    engine: Engine = request.getfixturevalue(fixture)
    yield engine
    sql_engine(engine).dispose()


@pytest.fixture
def any_settings(backend: str, request: pytest.FixtureRequest) -> Settings:
    """Settings pointing at a fresh, EMPTY database (no migrations applied) of the backend under test."""
    fixture = "settings" if backend == "sqlite" else "pg_settings"
    settings: Settings = request.getfixturevalue(fixture)
    return settings


@pytest.fixture
def db(any_engine: Engine) -> sa.Engine:
    """The SQLAlchemy engine under ``any_engine``."""
    return sql_engine(any_engine)


def sql_engine(engine: Engine) -> sa.Engine:
    """The SQLAlchemy engine an aktivitetsplikt Engine stores into."""
    bind: sa.Engine = engine.uow.engine  # type: ignore[attr-defined]
    return bind


def row_counts(bind: sa.Engine) -> dict[str, int]:
    """The number of rows in every table of the schema."""
    with bind.connect() as conn:
        return {table: int(conn.scalar(sa.text(f"SELECT count(*) FROM {table}")) or 0) for table in TABLES}


def execute(bind: sa.Engine, sql: str, **params: Any) -> int:
    """Run one raw statement in its own transaction; returns the affected row count."""
    with bind.begin() as conn:
        return int(conn.execute(sa.text(sql), params).rowcount)
