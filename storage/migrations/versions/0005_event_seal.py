"""Events get their seal: each free-text value's salt, or its hash once erased (chain format 2).

From this revision on, the chain hashes each event's document with every free-text value by its own
salted hash (``engine.core.seal``), so retention and erasure on request can erase the text and leave
its hash behind. Events recorded before have no seal (NULL) and keep their hashes (chain format 1).

Revision ID: 0005_event_seal
Revises: 0004_access_log
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aktivitetsplikt.storage.tables import JsonDoc

revision = "0005_event_seal"
down_revision = "0004_access_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("seal", JsonDoc, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("seal")
