"""Who may read and who has read: case_parties (the read scope's people) and the append-only access_log.

Cases stored before this revision get their reporter and responsible as parties here, by the refs as
they were stored (the directory is configuration, which a migration does not read); the measure
holders and the accused of such cases are recorded from their next step on.

Revision ID: 0004_access_log
Revises: 0003_obligation_key
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aktivitetsplikt.storage.tables import BigId, JsonDoc, UTCDateTime

revision = "0004_access_log"
down_revision = "0003_obligation_key"
branch_labels = None
depends_on = None

APPEND_ONLY = {
    "sqlite": (
        "CREATE TRIGGER access_log_no_{op} BEFORE {OP} ON access_log "
        "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"
    ),
    "postgresql": (
        "CREATE TRIGGER access_log_no_{op} BEFORE {OP} ON access_log "
        "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
    ),
}
PG_FUNCTION = """
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only';
END $$
"""


def upgrade() -> None:
    op.create_table(
        "case_parties",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("relation", sa.String(16), primary_key=True),
        sa.Column("person", sa.String(200), primary_key=True),
    )
    op.create_index("ix_case_parties_person", "case_parties", ["person", "case_id"])
    op.create_table(
        "access_log",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("person", sa.String(200), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("face", sa.String(16), nullable=False),
    )
    op.create_index("ix_access_log_case", "access_log", ["case_id", "at"])
    _append_only()
    _backfill_parties()


def _append_only() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
    template = APPEND_ONLY.get(dialect)
    if template is not None:
        for verb in ("update", "delete"):
            op.execute(template.format(op=verb, OP=verb.upper()))


def _backfill_parties() -> None:
    cases = sa.table(
        "cases", sa.column("id", sa.String()), sa.column("responsible", sa.String()), sa.column("attributes", JsonDoc)
    )
    parties = sa.table("case_parties", sa.column("case_id"), sa.column("relation"), sa.column("person"))
    reporter = cases.c.attributes["reporter"].as_string()
    for relation, person in (("reporter", reporter), ("responsible", cases.c.responsible)):
        chosen = sa.select(cases.c.id, sa.literal(relation), person).where(person.is_not(None))
        op.execute(parties.insert().from_select(["case_id", "relation", "person"], chosen))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_table("access_log")  # its triggers go with it
    if dialect == "postgresql":
        op.execute("DROP FUNCTION access_log_append_only()")
    op.drop_table("case_parties")
