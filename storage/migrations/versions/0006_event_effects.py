"""Events get their effects: what each step did to the case's projection, hashed with the event.

From this revision on, every event records the case's identity (the first event), the fields it set,
the duties it created, met or escalated (deadlines and levels as computed at the time), the messages it
queued and the parties it added, so ``case verify`` and the audit can derive the whole case from its log
and name every stored field that differs. Events recorded before have no effects (NULL) and keep their
hashes; their cases are checked as far as the plain log shows (state, version, head, dates, escalation
levels), and say so ("partial" in the verdict).

Revision ID: 0006_event_effects
Revises: 0005_event_seal
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aktivitetsplikt.storage.tables import JsonDoc

revision = "0006_event_effects"
down_revision = "0005_event_seal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("effects", JsonDoc, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("effects")
