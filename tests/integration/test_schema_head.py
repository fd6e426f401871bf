"""The quick start-up schema check knows the newest migration."""

from __future__ import annotations

from aktivitetsplikt.storage.migrate import head_revision
from aktivitetsplikt.storage.schema import HEAD_REVISION


class TestSchemaHead:
    def test_head_constant_is_alembic_head(self) -> None:
        """storage.schema.HEAD_REVISION names the newest shipped migration (update it with each one)."""
        assert head_revision() == HEAD_REVISION
