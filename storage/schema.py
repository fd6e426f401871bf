"""The schema check the engine runs at start, without importing alembic (it costs a CLI start ~0.2 s).

``HEAD_REVISION`` must name the newest migration; a test compares it with alembic's own head.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from aktivitetsplikt.engine.errors import SchemaOutdated

HEAD_REVISION = "0007_open_due_stats"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_schema(engine: Engine) -> None:
    """Raise SchemaOutdated unless the database is at the newest migration."""
    current = current_revision(engine)
    if current != HEAD_REVISION:
        raise SchemaOutdated(current, HEAD_REVISION)
