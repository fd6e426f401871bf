"""Arbitrary input against the library and the CLI (issue 12): only typed errors or success, nothing
stored on a refusal, never a traceback.

Unlike ``test_properties.py`` (random trigger sequences with well-formed documents), these tests throw
what a careless or hostile caller might send: any JSON value as documentation, refs of any text, dates
anywhere in the datetime range, and random command lines.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aktivitetsplikt.engine import Actor, AktivitetspliktError, Engine, FixedClock, bootstrap, load_settings
from aktivitetsplikt.engine.cli import app
from tests.conftest import T0, TEACHER, TEST_CONFIG, report_doc
from tests.integration.conftest import row_counts, sql_engine

FIELDS = ("source", "occurred_at", "description", "kinds", "pupils_involved", "intervention", "at", "x")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
documents = st.one_of(
    json_values,
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6),
    st.builds(lambda extra: report_doc() | extra, st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=2)),
)
# Naive on purpose: documentation instants without an offset are Oslo time, the edge of the range included.
EARLIEST, LATEST = datetime(1, 1, 2), datetime(9999, 12, 30)  # noqa: DTZ001
instants = st.datetimes(min_value=EARLIEST, max_value=LATEST).map(lambda d: d.isoformat())
refs = st.text(max_size=300) | st.integers() | st.none()


@pytest.fixture(scope="module")
def fuzz_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder = tmp_path_factory.mktemp("fuzz")
    config = folder / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{folder / "fuzz.db"}"\n' + TEST_CONFIG, encoding="utf-8")
    return bootstrap(load_settings(config), clock=FixedClock(T0), upgrade=True)


def attempt(engine: Engine, call: Any) -> None:
    """Run ``call``; only the engine's typed errors may escape, and a refusal stores nothing."""
    before = row_counts(sql_engine(engine))
    try:
        call()
    except AktivitetspliktError:
        assert before == row_counts(sql_engine(engine))


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class TestLibrary:
    @FUZZ
    @given(document=documents)
    def test_any_documentation(self, fuzz_engine: Engine, document: Any) -> None:
        """Any JSON value as a report's documentation: a case or a typed refusal."""
        attempt(
            fuzz_engine,
            lambda: fuzz_engine.report(
                workflow="aktivitetsplikt", school="hellerud", pupil="p-1", document=document, actor=TEACHER
            ),
        )

    @FUZZ
    @given(pupil=refs, school=refs, workflow=refs)
    def test_any_refs(self, fuzz_engine: Engine, pupil: Any, school: Any, workflow: Any) -> None:
        """Any pupil ref, school id and workflow id: a case or a typed refusal."""
        attempt(
            fuzz_engine,
            lambda: fuzz_engine.report(
                workflow=workflow, school=school, pupil=pupil, document=report_doc(), actor=TEACHER
            ),
        )

    @FUZZ
    @given(occurred=instants)
    def test_any_date(self, fuzz_engine: Engine, occurred: str) -> None:
        """A report dated anywhere in the datetime range: a case or a typed refusal."""
        attempt(
            fuzz_engine,
            lambda: fuzz_engine.report(
                workflow="aktivitetsplikt",
                school="hellerud",
                pupil="p-1",
                document=report_doc(occurred_at=occurred),
                actor=TEACHER,
            ),
        )

    @FUZZ
    @given(actor_id=refs, role=refs, school=refs)
    def test_any_actor(self, actor_id: Any, role: Any, school: Any) -> None:
        """An actor of any id, role and school is built or refused with InvalidInput."""
        with contextlib.suppress(AktivitetspliktError):
            Actor(id=actor_id, role=role, school=school)


COMMANDS = (
    ("cases",),
    ("case", "show"),
    ("case", "fire"),
    ("case", "report"),
    ("sweep", "--now"),
    ("outbox",),
    ("audit", "--school-year"),
    ("agenda", "--days"),
    ("workflow", "show"),
    ("case", "export"),
)
words = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """The CLI configures structlog for a process; running it in this one must not leak into other tests."""
    yield
    structlog.reset_defaults()


@pytest.mark.usefixtures("restored_logging")
class TestCommandLine:
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        command=st.sampled_from(COMMANDS),
        args=st.lists(
            words
            | st.sampled_from(
                ["--json", "--school", "--limit", "-1", "0001-01-01T00:00", "--format", "--actor-id", "--doc", "-"]
            ),
            max_size=6,
        ),
    )
    def test_any_arguments(self, tmp_path: Path, command: tuple[str, ...], args: list[str]) -> None:
        """Random arguments to the commands: a documented exit code, never an uncaught exception."""
        config = tmp_path / "config.toml"
        if not config.exists():
            config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "cli.db"}"\n' + TEST_CONFIG, "utf-8")
        result = CliRunner().invoke(app, ["--config", str(config), *command, *args], input="{}")
        assert result.exit_code in (0, 1, 2, 3, 4, 5), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
