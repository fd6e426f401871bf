"""The composition root: settings -> storage + directory + workflows -> Engine.

Only this module and the two entry points (``cli.py``, ``daemon.py``) see every layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aktivitetsplikt.engine.app.clock import SystemClock
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.app.ports import Clock, Directory
from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.core.access import Face
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy import Engine as DbEngine

    from aktivitetsplikt.engine.core.tour import DemoTour
    from aktivitetsplikt.storage.cipher import FieldCipher


def builtin_registry() -> WorkflowRegistry:
    """A registry holding the built-in workflow packs of ``aktivitetsplikt.workflows``."""
    from aktivitetsplikt.workflows import BUILTIN_PACKS

    registry = WorkflowRegistry()
    for pack in BUILTIN_PACKS:
        registry.register_pack(pack)
    return registry


def builtin_tours() -> dict[str, DemoTour]:
    """The guided tours of ``aktivitetsplikt demo`` that the built-in packs bring, by name."""
    from aktivitetsplikt.workflows.tours import TOURS

    return dict(TOURS)


def open_database(settings: Settings) -> DbEngine:
    from aktivitetsplikt.storage.database import create_db_engine

    return create_db_engine(settings.database.url)


def upgrade_database(settings: Settings) -> tuple[str | None, str]:
    """Apply every migration the database lacks; returns the revisions before and after."""
    from aktivitetsplikt.storage.migrate import upgrade

    db = open_database(settings)
    try:
        return upgrade(db)
    finally:
        db.dispose()


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    directory: Directory | None = None,
    registry: WorkflowRegistry | None = None,
    upgrade: bool = False,
    face: Face = "library",
) -> Engine:
    """Build an Engine. With ``upgrade=True`` the schema is migrated first (handy for an embedded
    SQLite file); otherwise a schema that is behind is refused with the command to run. ``face`` is what
    the access log records as the way reads came in (``library``, ``cli``, ``daemon``, ``http``)."""
    from aktivitetsplikt.storage.repository import NumberTaken, SqlAlchemyUnitOfWorkFactory
    from aktivitetsplikt.storage.schema import check_schema

    db = open_database(settings)
    try:
        if upgrade:
            from aktivitetsplikt.storage.migrate import upgrade as upgrade_schema

            upgrade_schema(db)
        check_schema(db)
    except BaseException:
        db.dispose()  # a refused start leaves no connection open
        raise
    return Engine(
        settings=settings,
        registry=registry or builtin_registry(),
        uow=SqlAlchemyUnitOfWorkFactory(db, field_cipher(settings)),
        clock=clock or SystemClock(),
        directory=directory or ConfigDirectory(settings),
        taken=NumberTaken,
        face=face,
    )


def field_cipher(settings: Settings) -> FieldCipher:
    """The AES-GCM cipher of free text at rest from ``[encryption]`` (no key: text as it is)."""
    from aktivitetsplikt.storage.cipher import FieldCipher

    key, old = settings.encryption.keys()
    return FieldCipher(key, old)


def reencrypt_database(engine: Engine) -> int:
    """Move every encrypted free text to the current key (or to plain text when none is set), then
    rebuild the files so the old ciphertext goes too; returns how many events changed."""
    from aktivitetsplikt.storage.cipher import reencrypt
    from aktivitetsplikt.storage.repository import SqlAlchemyUnitOfWorkFactory

    if not isinstance(engine.uow, SqlAlchemyUnitOfWorkFactory):
        return 0
    changed = reencrypt(engine.uow.engine, engine.uow.cipher)
    compact_database(engine)
    return changed


def compact_database(engine: Engine) -> bool:
    """Rebuild the database files after erasures, so erased text is gone from them too (SQLite: VACUUM
    and an emptied WAL; PostgreSQL: VACUUM FULL of the rewritten tables, again while a transaction still
    open holds old row versions back). False when something was still held back. An embedder's own
    storage is its own business."""
    from aktivitetsplikt.storage.erasure import compact
    from aktivitetsplikt.storage.repository import SqlAlchemyUnitOfWorkFactory

    if isinstance(engine.uow, SqlAlchemyUnitOfWorkFactory):
        return compact(engine.uow.engine)
    return True


def schema_status(engine: Engine) -> tuple[str | None, str]:
    """The schema revision the engine's database is at and the one this code needs (a readiness check).
    Raises ConfigError when the database cannot be reached."""
    from sqlalchemy.exc import SQLAlchemyError

    from aktivitetsplikt.storage.repository import SqlAlchemyUnitOfWorkFactory
    from aktivitetsplikt.storage.schema import HEAD_REVISION, current_revision

    if not isinstance(engine.uow, SqlAlchemyUnitOfWorkFactory):
        return HEAD_REVISION, HEAD_REVISION  # an embedder's own storage has no alembic schema to check
    try:
        return current_revision(engine.uow.engine), HEAD_REVISION
    except SQLAlchemyError as exc:
        msg = f"The database cannot be reached ({type(exc).__name__}); check database.url and the server."
        raise ConfigError(msg) from None
