"""Concurrent writers in separate OS processes (design sections 3 and 8), on SQLite (WAL) and PostgreSQL.

Each writer is ``concurrency_worker.py`` run with this interpreter; the processes meet at a file barrier
after they have read what they need, so their writes overlap for real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import Engine
from tests.conftest import ADMIN, T0, TEACHER, report_doc

WORKER = Path(__file__).with_name("concurrency_worker.py")
TIMEOUT_S = 120


def run_workers(engine: Engine, tmp_path: Path, mode: str, parties: int, **options: Any) -> list[dict[str, Any]]:
    """Start ``parties`` worker processes on the engine's database, wait for all, return their results."""
    barrier = tmp_path / f"barrier-{mode}"
    barrier.mkdir()
    env = os.environ | {"AKTIVITETSPLIKT_DATABASE__URL": engine.settings.database.url}
    extra = [f"--{key}={value}" for key, value in options.items()]
    common = [
        f"--config={engine.settings.config_path}",
        f"--now={(T0 + timedelta(hours=1)).isoformat()}",
        f"--mode={mode}",
        f"--barrier={barrier}",
        f"--parties={parties}",
        *extra,
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), f"--index={index}", *common],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for index in range(parties)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=TIMEOUT_S)
        assert 0 == process.returncode, err
        lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
        assert 1 == len(lines), out + err
        results.append(json.loads(lines[0].removeprefix("RESULT ")))
    return results


def assert_consistent(engine: Engine, case_id: str, events: int) -> None:
    """The case has ``events`` events, seq 1..events, version and last_seq to match, and verifies."""
    case = engine.get(case_id, actor=ADMIN)
    seqs = [e.seq for e in case.events or []]

    assert list(range(1, events + 1)) == seqs
    assert (events, events) == (case.version, case.last_seq)
    assert engine.verify(case_id, actor=ADMIN).intact


@pytest.fixture
def case_id(any_engine: Engine) -> str:
    """A freshly reported case (one event, version 1)."""
    case = any_engine.report(
        workflow="aktivitetsplikt", school="hellerud", pupil="elev-4711", document=report_doc(), actor=TEACHER
    )
    return case.id


class TestRace:
    def test_one_of_two_writers_at_the_same_version_wins(
        self, any_engine: Engine, case_id: str, tmp_path: Path
    ) -> None:
        """Two processes that read version 1 and fire with expected_version=1: one wins, one conflicts."""
        results = run_workers(any_engine, tmp_path, "once", 2, case=case_id)

        assert [1, 1] == [r["read_version"] for r in results]
        assert ["conflict", "ok"] == sorted(outcome for r in results for outcome in r["outcomes"])
        assert_consistent(any_engine, case_id, 2)

    def test_the_winners_note_is_the_one_stored(self, any_engine: Engine, case_id: str, tmp_path: Path) -> None:
        """The single new event is the note of the process that was told it succeeded."""
        results = run_workers(any_engine, tmp_path, "once", 2, case=case_id)

        winner = next(index for index, r in enumerate(results) if r["outcomes"] == ["ok"])
        events = any_engine.get(case_id, actor=ADMIN).events or []
        assert {"text": f"Notat fra prosess {winner}", "corrects": None} == events[-1].document


class TestStress:
    def test_forty_unversioned_notes_from_two_processes(self, any_engine: Engine, case_id: str, tmp_path: Path) -> None:
        """2 x 20 add_notes: each succeeds or raises ConcurrencyConflict, and every success is one event."""
        results = run_workers(any_engine, tmp_path, "notes", 2, case=case_id, count=20)

        outcomes = [outcome for r in results for outcome in r["outcomes"]]
        assert 40 == len(outcomes)
        assert [] == [o for o in outcomes if o not in ("ok", "conflict")]
        assert_consistent(any_engine, case_id, 1 + outcomes.count("ok"))

    def test_concurrent_reports_all_open_with_distinct_numbers(self, any_engine: Engine, tmp_path: Path) -> None:
        """4 x 10 reports at one school: every report opens a case and the numbers run 0001 to 0040."""
        results = run_workers(any_engine, tmp_path, "reports", 4, count=10)

        outcomes = [outcome for r in results for outcome in r["outcomes"]]
        numbers = sorted(number for r in results for number in r["numbers"])
        assert [] == [message for r in results for message in r["conflicts"]]
        assert ["ok"] * 40 == outcomes
        assert [f"HEL-2026-{n:04d}" for n in range(1, 41)] == numbers
        assert numbers == sorted(c.number for c in any_engine.list_cases(actor=ADMIN))
