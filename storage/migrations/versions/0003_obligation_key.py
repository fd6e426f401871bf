"""Obligations get a key: the item of its step's documentation a per-item duty is for.

Version 2026-12 of the school workflows owes one duty per measure Statsforvaltaren imposes, each met by
the report on that measure. Existing duties have no key (NULL), which is what they mean.

Revision ID: 0003_obligation_key
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_obligation_key"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("obligations") as batch:
        batch.add_column(sa.Column("key", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("obligations") as batch:
        batch.drop_column("key")
