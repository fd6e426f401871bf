"""Creating SQLAlchemy engines for the two supported stores.

SQLite (a file, WAL) is the embedded default, for one process writing at a time; write transactions
take the lock up front (``BEGIN IMMEDIATE``) so concurrent writers queue instead of failing half-way.
PostgreSQL (``postgresql+psycopg://``) is the production and multi-daemon store.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from aktivitetsplikt.engine.core.redact import redact_url
from aktivitetsplikt.engine.errors import ConfigError

IMMEDIATE = "aktivitetsplikt_immediate"


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not pysqlite, decide when a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Space freed by an UPDATE or DELETE is zeroed, so erased text does not linger in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _create_private(database: str) -> None:
    """Create a new SQLite file readable by its owner only (0600) before SQLite creates it world-readable;
    SQLite gives its -wal and -shm files the database file's permissions. An existing file is left as
    it is, and a folder that does not exist is SQLite's to report."""
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    except OSError:
        return


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; raises ConfigError for a URL of an unsupported kind."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        shown = redact_url(url)
        msg = f"database.url '{shown}' is not a database URL; use sqlite:///FILE or postgresql+psycopg://..."
        raise ConfigError(msg) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            msg = "database.url must name a SQLite file (sqlite:///aktivitetsplikt.db), not memory."
            raise ConfigError(msg)
        _create_private(parsed.database)
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_setup(engine)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    msg = f"database.url uses '{backend}'; aktivitetsplikt supports sqlite and postgresql+psycopg."
    raise ConfigError(msg)
