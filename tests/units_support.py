"""A kindergarten beside the test schools, and a test workflow pack that serves kindergartens.

The pack is the § 12-4 machine under an id of its own, so the engine's handling of units can be tested
without any kindergarten law. The kindergarten is closed on Thursday 3 and Friday 4 September and on
Tuesday 8 September 2026; the schools' autumn break (28 September to 2 October) is not its holiday.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aktivitetsplikt.engine import Actor, Engine, Settings, load_settings
from aktivitetsplikt.engine.core.pack import WorkflowPack
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.workflows import AKTIVITETSPLIKT_PACK, SKJERPA_PACK
from tests.conftest import TEST_CONFIG, report_doc

KINDERGARTEN_WORKFLOW = "kindergarten_duty"
OFFENCE_WORKFLOW = "kindergarten_offence"
KINDERGARTEN = """
[kindergartens.solsikken]
name = "Solsikken barnehage"
code = "SOL"
director = "styrer@solsikken.example"
owner = "eier@kommune.example"
deputies = ["assisterende@solsikken.example"]
[kindergartens.solsikken.staff]
"styrer" = "styrer@solsikken.example"
"b-03" = "pedagog03@solsikken.example"
"b-11" = "fagarbeider11@solsikken.example"
[[kindergartens.solsikken.closed_days]]
name = "Planleggingsdager"
start = 2026-09-03
end = 2026-09-04
[[kindergartens.solsikken.closed_days]]
name = "Planleggingsdag"
start = 2026-09-08
end = 2026-09-08
"""
DEADLINES = """
[deadlines.kindergarten_duty]
notify_principal = "1wd"
"""
STAFF = Actor(id="b-03", role="staff", school="solsikken")
CHILD = "barn-0815"


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def kindergarten_pack() -> WorkflowPack:
    """The § 12-4 pack under another id, serving kindergartens."""
    spec = AKTIVITETSPLIKT_PACK.latest.model_copy(update={"id": KINDERGARTEN_WORKFLOW})
    return replace(AKTIVITETSPLIKT_PACK, id=KINDERGARTEN_WORKFLOW, institution="kindergarten", versions=(spec,))


def offence_pack() -> WorkflowPack:
    """The § 12-5 pack under another id and section ("§ 99"), serving kindergartens."""
    spec = SKJERPA_PACK.latest.model_copy(update={"id": OFFENCE_WORKFLOW})
    labels = {language: words.model_copy(update={"section": "§ 99"}) for language, words in SKJERPA_PACK.labels.items()}
    return replace(SKJERPA_PACK, id=OFFENCE_WORKFLOW, institution="kindergarten", versions=(spec,), labels=labels)


def unit_registry() -> WorkflowRegistry:
    """The two school packs and the test kindergarten packs."""
    registry = WorkflowRegistry()
    for pack in (AKTIVITETSPLIKT_PACK, SKJERPA_PACK, kindergarten_pack(), offence_pack()):
        registry.register_pack(pack)
    return registry


def write_unit_config(folder: Path, deadlines: str = DEADLINES) -> Path:
    """The test config with the kindergarten and ``deadlines`` (the test pack's, in working days)."""
    path = folder / "config.toml"
    database = f'[database]\nurl = "sqlite:///{folder / "aktivitetsplikt.db"}"\n'
    path.write_text(database + TEST_CONFIG + KINDERGARTEN + deadlines, encoding="utf-8")
    return path


def load_unit_settings(folder: Path, monkeypatch: pytest.MonkeyPatch, deadlines: str = DEADLINES) -> Settings:
    """The settings of :func:`write_unit_config`, with no AKTIVITETSPLIKT_* variable of the shell."""
    for key in list(os.environ):
        if key.startswith("AKTIVITETSPLIKT_"):
            monkeypatch.delenv(key)
    return load_settings(write_unit_config(folder, deadlines))


def report_at_kindergarten(engine: Engine, occurred_at: str = "2026-09-02T09:00") -> str:
    """A case of the test pack at the kindergarten; returns its id."""
    doc = report_doc(occurred_at=occurred_at)
    case = engine.report(workflow=KINDERGARTEN_WORKFLOW, school="solsikken", pupil=CHILD, document=doc, actor=STAFF)
    return case.id
