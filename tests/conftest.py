"""Shared fixtures: a test configuration, a frozen clock, engines on SQLite and on PostgreSQL.

PostgreSQL tests carry the ``postgres`` marker and run against AKTIVITETSPLIKT_TEST_PG_URL (CI sets it to
this machine's server); without that variable they are skipped. Each test gets its own database.
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import Actor, Engine, FixedClock, Settings, bootstrap, load_settings

OS_USER = getpass.getuser()
"""The operating-system user running the tests: the CLI reads as this IT admin without --actor-* options."""

TEST_CONFIG = f"""
[links]
case_url = "https://skole.example/saker/{{id}}"

[calendar]
timezone = "Europe/Oslo"
[[calendar.school_holidays]]
name = "Høstferie"
start = "2026-09-28"
end = "2026-10-02"

[schools.hellerud]
name = "Hellerud videregående skole"
code = "HEL"
principal = "rektor@hellerud.example"
school_owner = "skoleeier@kommune.example"
deputies = ["nestleder@hellerud.example"]
[schools.hellerud.staff]
"rektor" = "rektor@hellerud.example"
"t-17" = "laerer17@hellerud.example"
"t-18" = "laerer18@hellerud.example"
"t-20" = "laerer20@hellerud.example"

[schools.furuset]
name = "Furuset skole"
code = "FUR"
principal = "rektor@furuset.example"
school_owner = "skoleeier@kommune.example"

[access]
it_admins = ["it-drift", "{OS_USER}"]

# The tests written for version 2024-08 keep opening cases on it; tests of 2026-12 drop this table.
[versions]
aktivitetsplikt = "2024-08"
skjerpa_aktivitetsplikt = "2024-08"
"""

PG_ENV = "AKTIVITETSPLIKT_TEST_PG_URL"

# A Wednesday morning in term time, Oslo: 2026-09-02 10:00 +02:00.
T0 = datetime(2026, 9, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    db = tmp_path / "aktivitetsplikt.db"
    path.write_text(f'[database]\nurl = "sqlite:///{db}"\n' + TEST_CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def settings(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key in list(os.environ):
        if key.startswith("AKTIVITETSPLIKT_") and key != PG_ENV:
            monkeypatch.delenv(key)
    return load_settings(config_file)


def unpinned(settings: Settings) -> Settings:
    """The settings without TEST_CONFIG's [versions]: new cases start on each workflow's newest version,
    and an engine with other workflows than the built-in ones can start."""
    return settings.model_copy(update={"versions": {}})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def engine(settings: Settings, clock: FixedClock) -> Iterator[Engine]:
    """An engine on a fresh SQLite file."""
    built = bootstrap(settings, clock=clock, upgrade=True)
    yield built
    built.uow.engine.dispose()  # type: ignore[attr-defined]


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    base = _pg_admin_url()
    if base is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: set {PG_ENV}")
        pytest.skip(f"{PG_ENV} is not set")
    import sqlalchemy as sa

    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"akt_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_settings(pg_url: str, config_file: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("AKTIVITETSPLIKT_DATABASE__URL", pg_url)
    return load_settings(config_file)


@pytest.fixture
def pg_engine(pg_settings: Settings, clock: FixedClock) -> Iterator[Engine]:
    built = bootstrap(pg_settings, clock=clock, upgrade=True)
    yield built
    built.uow.engine.dispose()  # type: ignore[attr-defined]


# --- actors and documents ----------------------------------------------------------------------------

TEACHER = Actor(id="t-17", role="staff", school="hellerud")
PRINCIPAL = Actor(id="rektor", role="principal", school="hellerud")
HANDLER = Actor(id="t-18", role="case_handler", school="hellerud")
OWNER = Actor(id="skoleeier@kommune.example", role="school_owner", school=None)
ADMIN = Actor(id="it-drift", role="it_admin")
"""Reads every case for operations (``[access] it_admins``): the tests' view of what is stored."""


def report_doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "source": "pupil",
        "occurred_at": "2026-09-02T09:00",
        "description": "Eleven forteller om utestenging i friminuttene.",
        "kinds": ["exclusion"],
    }
    doc.update(overrides)
    return doc


def pupil_heard(feels_safe: bool = False, at: str = "2026-09-02T09:30") -> dict[str, Any]:
    return {"at": at, "feels_safe": feels_safe, "views": "Eleven vil ha voksne i friminuttene."}


def plan_doc(evaluation_at: str = "2026-09-16T12:00", **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "problem": "Eleven blir utestengt i friminuttene.",
        "measures": [{"description": "Voksen i friminuttene", "when": "Hver dag", "responsible": "t-18"}],
        "evaluation_at": evaluation_at,
        "pupil_participation": "Eleven valgte tiltakene sammen med kontaktlærer.",
    }
    doc.update(overrides)
    return doc


StepRunner = Callable[[Engine], str]


def drive_to(engine: Engine, state: str, *, workflow: str = "aktivitetsplikt", **report: Any) -> str:
    """Open a case and take it step by step to ``state``; returns the case id. The clock is T0."""
    doc = report_doc(**report)
    case = engine.report(workflow=workflow, school="hellerud", pupil="elev-4711", document=doc, actor=TEACHER)
    path = ["reported", "principal_notified", "investigating", "planning", "measures_active", "closed"]
    steps: list[tuple[str, dict[str, Any], Actor]] = [
        (
            "notify_principal",
            {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"},
            TEACHER,
        ),
        (
            "start_investigation",
            {"responsible": "t-18", "plan": "Samtaler med eleven og klassen."},
            PRINCIPAL,
        ),
        (
            "conclude_investigation",
            {
                "pupil_heard": pupil_heard(),
                "others_heard": ["kontaktlærer"],
                "findings": "Utestenging.",
                "conclusion": "measures_needed",
            },
            HANDLER,
        ),
        ("adopt_plan", plan_doc(), HANDLER),
        ("close", {"reason": "Eleven er trygg.", "pupil_heard": pupil_heard(True)}, PRINCIPAL),
    ]
    for target, (trigger, document, actor) in zip(path[1:], steps, strict=True):
        if path.index(state) < path.index(target):
            break
        engine.fire(case.id, trigger, document, actor)
    return case.id
