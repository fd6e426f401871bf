"""PostgreSQL: an index on an open duty's deadline as one expression, for its statistics.

PostgreSQL estimated ``due_at <= now AND satisfied_at IS NULL`` from the whole table's columns, where
most deadlines are past (of duties met long ago), so it expected most open duties to be overdue and read
every case for ``cases --overdue``. It keeps statistics of an indexed expression: on
``CASE WHEN satisfied_at IS NULL THEN due_at END`` the estimate is of the open duties alone, and the
overdue list starts from them. SQLite plans from the partial index ``ix_obligations_open_due`` and gets
nothing here.

Revision ID: 0007_open_due_stats
Revises: 0006_event_effects
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007_open_due_stats"
down_revision = "0006_event_effects"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_obligations_open_due_pg ON obligations ((CASE WHEN satisfied_at IS NULL THEN due_at END))"
        )
        op.execute("ANALYZE obligations")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_obligations_open_due_pg")
