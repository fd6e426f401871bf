"""alembic environment: runs on the connection handed in by ``aktivitetsplikt.storage.migrate``."""

from __future__ import annotations

from alembic import context

from aktivitetsplikt.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs the alembic CLI by hand
    msg = "Run migrations with 'aktivitetsplikt db upgrade'."
    raise RuntimeError(msg)

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
