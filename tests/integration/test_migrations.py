"""The shipped alembic migrations against the SQLAlchemy models (design section 4).

``alembic.autogenerate.compare_metadata`` lists every difference between a migrated database and
``Base.metadata``: tables, columns, types (alembic compares types by default), nullability, indexes and
unique constraints. Nothing is filtered out: the UTCDateTime decorator compares through its ``impl``
(DateTime with time zone) and the partial indexes compare by name and columns, so an empty diff means
the migrations build exactly the models' schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from aktivitetsplikt.storage.database import create_db_engine
from aktivitetsplikt.storage.migrate import alembic_config, current_revision, head_revision, upgrade
from aktivitetsplikt.storage.tables import PLANNER_INDEXES, Base, UTCDateTime

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
MODEL_TABLES = {"cases", "case_events", "obligations", "outbox", "case_parties", "access_log"}


@pytest.fixture(params=BACKENDS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """A SQLAlchemy engine on an empty database: a new SQLite file, or a new PostgreSQL database."""
    url = f"sqlite:///{tmp_path / 'empty.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    bind = create_db_engine(url)
    yield bind
    bind.dispose()


def schema_diff(bind: sa.Engine) -> list[Any]:
    """Every difference, but for the planner-only indexes of ``PLANNER_INDEXES`` (kept outside the models
    on purpose; the test below checks they exist)."""
    planner = PLANNER_INDEXES.get(bind.dialect.name, frozenset())
    with bind.connect() as conn:
        found = list(compare_metadata(MigrationContext.configure(conn), Base.metadata))
    return [d for d in found if not (d[0] == "remove_index" and d[1].name in planner)]


def schema_snapshot(bind: sa.Engine) -> dict[str, Any]:
    """Tables with their columns, indexes and unique constraints, as the database reports them."""
    inspector = sa.inspect(bind)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted((str(i["name"]), tuple(i["column_names"])) for i in inspector.get_indexes(table)),
            sorted((str(u["name"]), tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
        )
        for table in sorted(inspector.get_table_names())
    }


def downgrade(bind: sa.Engine, revision: str) -> None:
    with bind.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


class TestUpgrade:
    def test_upgrade_builds_exactly_the_models_schema(self, empty_db: sa.Engine) -> None:
        """After upgrade on an empty database, autogenerate finds nothing to change."""
        upgrade(empty_db)

        assert [] == schema_diff(empty_db)

    def test_upgrade_reaches_head(self, empty_db: sa.Engine) -> None:
        """An empty database starts at no revision and ends at the newest one."""
        assert (None, head_revision()) == upgrade(empty_db)
        assert head_revision() == current_revision(empty_db)
        assert MODEL_TABLES | {"alembic_version"} == set(sa.inspect(empty_db).get_table_names())

    def test_an_empty_database_differs_from_the_models(self, empty_db: sa.Engine) -> None:
        """The comparison is not vacuous: before upgrade every model table is reported missing."""
        added = {diff[1].name for diff in schema_diff(empty_db) if diff[0] == "add_table"}

        assert MODEL_TABLES == added

    def test_upgrade_twice_is_a_no_op(self, empty_db: sa.Engine) -> None:
        """A second upgrade changes neither the revision nor the schema."""
        upgrade(empty_db)
        snapshot = schema_snapshot(empty_db)

        assert (head_revision(), head_revision()) == upgrade(empty_db)
        assert snapshot == schema_snapshot(empty_db)
        with empty_db.connect() as conn:
            assert 1 == conn.scalar(sa.text("SELECT count(*) FROM alembic_version"))

    @pytest.mark.postgres
    def test_instants_are_timestamptz_on_postgresql(self, pg_url: str) -> None:
        """On PostgreSQL every instant column of the models is timestamptz, never a naive timestamp."""
        bind = create_db_engine(pg_url)
        try:
            upgrade(bind)
            inspector = sa.inspect(bind)
            stored = {
                (table, c["name"]): getattr(c["type"], "timezone", None)
                for table in MODEL_TABLES
                for c in inspector.get_columns(table)
            }
        finally:
            bind.dispose()
        instants = [
            (table.name, column.name)
            for table in Base.metadata.sorted_tables
            for column in table.columns
            if isinstance(column.type, UTCDateTime)
        ]

        assert 12 == len(instants)  # 11 of the first schema, and access_log.at
        assert [True] * len(instants) == [stored[key] for key in instants]

    def test_partial_indexes_cover_only_open_duties(self, empty_db: sa.Engine) -> None:
        """The sweep's indexes on obligations are partial: WHERE satisfied_at IS NULL."""
        upgrade(empty_db)

        with empty_db.connect() as conn:
            if empty_db.dialect.name == "postgresql":
                rows = conn.execute(
                    sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'obligations'")
                )
            else:
                rows = conn.execute(
                    sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'obligations'")
                )
            partial = {name for name, sql in rows if sql and "satisfied_at IS NULL" in sql}

        expected = {"ix_obligations_next_escalation", "ix_obligations_open_due", "ix_obligations_open_level"}
        assert expected | PLANNER_INDEXES.get(empty_db.dialect.name, frozenset()) == partial


class TestDowngrade:
    def test_downgrade_to_base_removes_every_table(self, empty_db: sa.Engine) -> None:
        """Downgrading to base leaves only alembic's own table, at no revision."""
        upgrade(empty_db)

        downgrade(empty_db, "base")

        assert None is current_revision(empty_db)
        assert set() == set(sa.inspect(empty_db).get_table_names()) - {"alembic_version"}

    def test_downgrade_then_upgrade_rebuilds_the_schema(self, empty_db: sa.Engine) -> None:
        """base -> head -> base -> head ends with exactly the models' schema again."""
        upgrade(empty_db)
        snapshot = schema_snapshot(empty_db)

        downgrade(empty_db, "base")
        assert (None, head_revision()) == upgrade(empty_db)

        assert [] == schema_diff(empty_db)
        assert snapshot == schema_snapshot(empty_db)
