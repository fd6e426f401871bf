"""Creating SQLAlchemy engines for the two supported stores.

SQLite (a file, WAL) is the embedded default, for one process writing at a time; write transactions
take the lock up front (``BEGIN IMMEDIATE``) so concurrent writers queue instead of failing half-way.
PostgreSQL (``postgresql+psycopg://``) is the production and multi-daemon store; a lock wait there ends
after ``lock_timeout`` (30 s unless the URL sets ``?options=-c lock_timeout=...``), as SQLite's busy wait does.

Driver errors that are not faults of the statement are turned into the engine's typed errors here, at the one
place every statement passes (SQLAlchemy's ``handle_error``): a deadlock, a serialization failure or SQLite
busy/locked become a retryable :class:`DatabaseBusy`, a lock timeout a final one, a refused or broken
connection :class:`DatabaseUnavailable`. Their messages name the server and database only; the driver's
text (which may quote a statement's values, a pupil ref among them) stays in ``__cause__``.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError

from aktivitetsplikt.engine.core.redact import redact_url
from aktivitetsplikt.engine.errors import ConfigError, DatabaseBusy, DatabaseUnavailable

IMMEDIATE = "aktivitetsplikt_immediate"
LOCK_TIMEOUT = "30s"
"""How long a PostgreSQL statement waits for a lock before it fails with DatabaseBusy (lock_timeout)."""

# SQLSTATEs: 40P01 deadlock_detected, 40001 serialization_failure, 55P03 lock_not_available (lock_timeout).
_PG_BUSY = {"40P01": ("deadlock", True), "40001": ("serialization", True), "55P03": ("lock_timeout", False)}
# SQLSTATE classes of a connection that is gone or refused: 08 connection exception, 57P01-57P03 shutdown.
_PG_GONE = ("08", "57P01", "57P02", "57P03", "53300")
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def _where(url: URL) -> str:
    """The server and database of ``url``, for messages: never the user, password or query."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def typed_error(context: ExceptionContext, where: str) -> Exception | None:
    """The engine's typed error for a driver error that is about the database, not the statement; None
    for the rest (constraint violations, bad SQL), which stay SQLAlchemy's."""
    if context.is_pre_ping or not isinstance(context.original_exception, Exception):
        # The pool's liveness check handles a dead connection by reconnecting; and a Ctrl-C (or another
        # exit) while a statement waits drops the connection but must stay what it is, not "unreachable".
        return None
    orig = context.original_exception
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if sqlstate in _PG_BUSY:
        reason, retryable = _PG_BUSY[sqlstate]
        return DatabaseBusy(reason, retryable=retryable)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseBusy("locked", retryable=True)
    if context.dialect is not None and context.dialect.name == "postgresql":
        refused = context.connection is None and type(orig).__name__ == "OperationalError"
        if context.is_disconnect or refused or sqlstate.startswith(_PG_GONE):
            return DatabaseUnavailable(where)
    return None


def _translate_errors(engine: Engine) -> None:
    where = _where(engine.url)

    @event.listens_for(engine, "handle_error")
    def _handle_error(context: ExceptionContext) -> Exception | None:
        return typed_error(context, where)


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
        _translate_errors(engine)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        options = {} if "options" in parsed.query else {"options": f"-c lock_timeout={LOCK_TIMEOUT}"}
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=options)
        _translate_errors(engine)
        return engine
    msg = f"database.url uses '{backend}'; aktivitetsplikt supports sqlite and postgresql+psycopg."
    raise ConfigError(msg)
