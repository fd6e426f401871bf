"""The first schema: cases, case_events, obligations, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aktivitetsplikt.storage.tables import BigId, JsonDoc, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

OPEN = sa.text("satisfied_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False, unique=True),
        sa.Column("workflow", sa.String(64), nullable=False),
        sa.Column("workflow_version", sa.String(16), nullable=False),
        sa.Column("school", sa.String(64), nullable=False),
        sa.Column("school_year", sa.String(9), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("pupil", sa.String(200), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("serious", sa.Boolean(), nullable=False),
        sa.Column("responsible", sa.String(200), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("attributes", JsonDoc, nullable=False),
        sa.UniqueConstraint("school", "school_year", "sequence", name="uq_cases_school_year_sequence"),
    )
    op.create_index("ix_cases_school_state", "cases", ["school", "state"])
    op.create_index("ix_cases_school_year", "cases", ["school_year", "school"])
    op.create_index("ix_cases_state", "cases", ["state"])

    op.create_table(
        "case_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("trigger", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(64), nullable=True),
        sa.Column("to_state", sa.String(64), nullable=False),
        sa.Column("document", JsonDoc, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="uq_case_events_case_seq"),
    )

    op.create_table(
        "obligations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("responsible_role", sa.String(32), nullable=False),
        sa.Column("created_seq", sa.Integer(), nullable=False),
        sa.Column("satisfied_at", UTCDateTime(), nullable=True),
        sa.Column("satisfied_by_seq", sa.Integer(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=True),
        sa.Column("next_escalation_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_obligations_case", "obligations", ["case_id"])
    for name, column in (
        ("ix_obligations_next_escalation", "next_escalation_at"),
        ("ix_obligations_open_due", "due_at"),
        ("ix_obligations_open_level", "escalation_level"),
    ):
        op.create_index(name, "obligations", [column], sqlite_where=OPEN, postgresql_where=OPEN)

    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("obligation", sa.String(64), nullable=True),
        sa.Column("obligation_id", sa.String(36), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("recipient_role", sa.String(32), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("payload", JsonDoc, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.UniqueConstraint("obligation_id", "level", "address", name="uq_outbox_step_address"),
    )
    op.create_index("ix_outbox_status_next", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_case", "outbox", ["case_id"])


def downgrade() -> None:
    for table in ("outbox", "obligations", "case_events", "cases"):
        op.drop_table(table)
