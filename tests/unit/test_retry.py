"""Bounded, jittered retries of transient failures, and when a caller sees ConcurrencyConflict (issue 12).

The pauses go through an injected ``sleep`` that records them and returns at once: no test sleeps.
"""

from __future__ import annotations

from typing import Any

import pytest

from aktivitetsplikt.engine import Engine, FixedClock, Settings
from aktivitetsplikt.engine.app.retry import Retrying
from aktivitetsplikt.engine.errors import ConcurrencyConflict, DatabaseBusy
from tests.conftest import TEACHER, report_doc
from tests.fakes import InMemoryCaseRepository, InMemoryStore, InMemoryUnitOfWork, make_engine

NOTE = {"text": "Samtale med eleven."}


class Recorder:
    """An injected sleep: records every pause, sleeps none."""

    def __init__(self) -> None:
        self.pauses: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)


def failing(errors: list[Exception], result: str = "done") -> Any:
    """Work that raises ``errors`` one call after the other, then returns ``result``; counts its calls."""

    def work() -> str:
        work.calls += 1  # type: ignore[attr-defined]
        if errors:
            raise errors.pop(0)
        return result

    work.calls = 0  # type: ignore[attr-defined]
    return work


class TestRetrying:
    def test_a_transient_failure_is_run_again_after_a_pause(self) -> None:
        sleep = Recorder()
        work = failing([DatabaseBusy("deadlock", retryable=True), DatabaseBusy("locked", retryable=True)])

        assert "done" == Retrying(sleep=sleep, draw=lambda: 0.5)(work, what="test")
        assert 3 == work.calls
        assert [0.0075, 0.015] == sleep.pauses  # 10 ms then 20 ms of backoff, each 3/4 of it with draw 0.5

    def test_the_pause_is_jittered_in_the_upper_half_of_a_capped_backoff(self) -> None:
        low, high = Retrying(draw=lambda: 0.0), Retrying(draw=lambda: 0.999)

        assert [0.005, 0.01, 0.02] == [low.pause(n) for n in (1, 2, 3)]
        assert all(low.pause(n) < high.pause(n) <= 0.01 * 2 ** (n - 1) for n in (1, 2, 3))
        assert 0.25 == low.pause(60)  # half of the 0.5 s cap, however many attempts failed

    def test_a_lock_timeout_is_not_retried(self) -> None:
        """A lock wait that timed out already waited; it reaches the caller at once."""
        sleep = Recorder()
        work = failing([DatabaseBusy("lock_timeout", retryable=False)])

        with pytest.raises(DatabaseBusy) as raised:
            Retrying(sleep=sleep)(work, what="test")
        assert ("lock_timeout", 1, []) == (raised.value.reason, work.calls, sleep.pauses)

    def test_the_retries_are_bounded(self) -> None:
        sleep = Recorder()
        work = failing([DatabaseBusy("serialization", retryable=True) for _ in range(10)])

        with pytest.raises(DatabaseBusy, match="busy"):
            Retrying(attempts=4, sleep=sleep)(work, what="test")
        assert (4, 3) == (work.calls, len(sleep.pauses))

    def test_other_errors_pass_through_untouched(self) -> None:
        work = failing([ConcurrencyConflict("HEL-2026-0001", 1, 2)])

        with pytest.raises(ConcurrencyConflict):
            Retrying(sleep=Recorder())(work, what="test")
        assert 1 == work.calls


class Interference:
    """What another writer does to the store while a step is decided: on each of the first ``times``
    locked reads it commits a step of its own (the version moves), or the commit fails with ``error``."""

    def __init__(self, store: InMemoryStore, *, times: int, error: Exception | None = None) -> None:
        self.store, self.times, self.error = store, times, error

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original_get, original_commit = InMemoryCaseRepository.get_for_update, InMemoryUnitOfWork.commit

        def get_for_update(repo: InMemoryCaseRepository, ref: str) -> Any:
            case = original_get(repo, ref)
            if self.error is None and self.times > 0:
                self.times -= 1
                self.store.cases[case.id].version += 1
            return case

        def commit(uow: InMemoryUnitOfWork) -> None:
            if self.error is not None and self.times > 0:
                self.times -= 1
                raise self.error
            original_commit(uow)

        monkeypatch.setattr(InMemoryCaseRepository, "get_for_update", get_for_update)
        monkeypatch.setattr(InMemoryUnitOfWork, "commit", commit)


@pytest.fixture
def engine(settings: Settings, clock: FixedClock) -> tuple[Engine, InMemoryStore, Recorder]:
    built, factory = make_engine(settings, clock)
    sleep = Recorder()
    built.retrying = Retrying(sleep=sleep)
    return built, factory.store, sleep


def opened(engine: Engine) -> str:
    return engine.report(
        workflow="aktivitetsplikt", school="hellerud", pupil="elev-1", document=report_doc(), actor=TEACHER
    ).id


class TestFire:
    def test_a_deadlocked_step_is_decided_again_and_stored_once(
        self, engine: tuple[Engine, InMemoryStore, Recorder], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        built, store, sleep = engine
        case_id = opened(built)
        Interference(store, times=2, error=DatabaseBusy("deadlock", retryable=True)).install(monkeypatch)

        case = built.fire(case_id, "add_note", NOTE, TEACHER)

        assert (2, 2) == (case.version, len(store.events[case_id]))
        assert 2 == len(sleep.pauses)

    def test_without_an_expected_version_a_moved_case_is_decided_again(
        self, engine: tuple[Engine, InMemoryStore, Recorder], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The caller gave no version, so nothing it gave moved: the step is decided on the fresh case."""
        built, store, _ = engine
        case_id = opened(built)
        Interference(store, times=2).install(monkeypatch)

        case = built.fire(case_id, "add_note", NOTE, TEACHER)

        assert (4, 2) == (case.version, len(store.events[case_id]))

    def test_with_an_expected_version_a_moved_case_is_a_conflict_citing_it(
        self, engine: tuple[Engine, InMemoryStore, Recorder], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        built, store, _ = engine
        case_id = opened(built)
        Interference(store, times=1).install(monkeypatch)

        with pytest.raises(ConcurrencyConflict, match=r"expected version 1, found 2") as raised:
            built.fire(case_id, "add_note", NOTE, TEACHER, expected_version=1)
        assert (1, 2) == (raised.value.expected, raised.value.actual)
        assert 1 == len(store.events[case_id])

    def test_a_case_that_never_stops_moving_is_busy_not_a_conflict(
        self, engine: tuple[Engine, InMemoryStore, Recorder], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without an expected version no ConcurrencyConflict cites a version the caller never gave."""
        built, store, _ = engine
        case_id = opened(built)
        Interference(store, times=100).install(monkeypatch)

        with pytest.raises(DatabaseBusy) as raised:
            built.fire(case_id, "add_note", NOTE, TEACHER)
        assert "contended" == raised.value.reason
        assert "version" not in raised.value.message
        assert 1 == len(store.events[case_id])
