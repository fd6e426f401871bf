"""``[retention.<workflow>]`` and ``[archive]`` in config.toml: how long closed cases keep their content,
and the folder the archive receives their dossiers in before erasure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from aktivitetsplikt.engine.core.pack import Retention, WorkflowPack
from aktivitetsplikt.engine.errors import ConfigError


class RetentionSettings(BaseModel):
    """One workflow's retention; a key left out keeps the pack's default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    years: int | None = Field(default=None, ge=1, le=100)
    """Whole years after closing before the case's content is erased."""
    archive: bool | None = None
    """Whether the dossier goes to ``[archive] folder`` before erasure."""


class ArchiveSettings(BaseModel):
    """Where ``retention run`` hands each case to the archive: its dossier as JSON and HTML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    folder: Path | None = None


def retention_rules(configured: Mapping[str, RetentionSettings], packs: Iterable[WorkflowPack]) -> dict[str, Retention]:
    """Each workflow's retention: its pack's default with ``[retention.<workflow>]`` over it."""
    rules = {pack.id: pack.retention for pack in packs}
    for workflow, section in configured.items():
        default = rules.get(workflow)
        if default is None:
            names = ", ".join(sorted(rules)) or "none"
            msg = f"[retention.{workflow}] names no known workflow; use one of: {names}."
            raise ConfigError(msg)
        rules[workflow] = Retention(
            years=default.years if section.years is None else section.years,
            archive=default.archive if section.archive is None else section.archive,
        )
    return rules
