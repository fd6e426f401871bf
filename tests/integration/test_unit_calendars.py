"""The escalation ladder of spec section 5 on each case's own unit calendar, on a real SQLite engine.

The test kindergarten (``tests/units_support.py``) is closed on Thursday 3, Friday 4 and Tuesday 8
September 2026. A report there on Wednesday 2 September is due at the end of Monday 7 (1wd), and the
owner step comes one working day later: at the end of Wednesday 9, since Tuesday 8 is closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aktivitetsplikt.engine import Engine, FixedClock, bootstrap
from tests.conftest import ADMIN
from tests.units_support import load_unit_settings, report_at_kindergarten, unit_registry, utc


@pytest.fixture
def unit_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, FixedClock]]:
    clock = FixedClock(utc(9, 2, 8))  # Wednesday 2 September 2026, 10:00 in Oslo
    settings = load_unit_settings(tmp_path, monkeypatch)
    built = bootstrap(settings, clock=clock, registry=unit_registry(), upgrade=True)
    yield built, clock
    built.uow.engine.dispose()  # type: ignore[attr-defined]


def sweep_at(engine: Engine, clock: FixedClock, *at: int) -> list[tuple[int, tuple[str, ...]]]:
    clock.set(utc(*at))
    return [(s.level, s.recipients) for s in engine.sweep()]


class TestEscalationOnTheUnitsCalendar:
    def test_each_level_at_its_working_day_instant(self, unit_engine: tuple[Engine, FixedClock]) -> None:
        """The reminder at the end of Wednesday 2, the director at the deadline, the owner at the end of
        Wednesday 9 (not of Tuesday 8, a closed day), each exactly once."""
        engine, clock = unit_engine
        case_id = report_at_kindergarten(engine)
        assert [(0, ("reporter",))] == sweep_at(engine, clock, 9, 2, 22)
        assert [] == sweep_at(engine, clock, 9, 7, 21, 59)
        assert [(1, ("reporter", "principal"))] == sweep_at(engine, clock, 9, 7, 22)
        assert [] == sweep_at(engine, clock, 9, 9, 21, 59)
        assert [(2, ("school_owner",))] == sweep_at(engine, clock, 9, 9, 22)
        assert [] == sweep_at(engine, clock, 12, 1)
        assert engine.verify(case_id, actor=ADMIN).intact

    def test_the_kindergartens_addresses_hear_of_it(self, unit_engine: tuple[Engine, FixedClock]) -> None:
        """The reporter's staff address, the director and then the owner of the kindergarten get the mails."""
        engine, clock = unit_engine
        report_at_kindergarten(engine)
        sweep_at(engine, clock, 9, 10)
        expected = [
            ("escalation", 1, "pedagog03@solsikken.example"),
            ("escalation", 1, "styrer@solsikken.example"),
            ("escalation", 2, "eier@kommune.example"),
        ]
        assert expected == sorted((m.kind, m.level, m.address) for m in engine.outbox(actor=ADMIN))

    def test_next_at_counts_on_the_calendar_it_is_given(self, unit_engine: tuple[Engine, FixedClock]) -> None:
        """Without a calendar next_at counts on the default (school) one: the end of Tuesday 8."""
        engine, _ = unit_engine
        [duty] = engine.get(report_at_kindergarten(engine), actor=ADMIN).obligations
        kindergarten = engine.escalator.policy.calendar_of("solsikken")
        expected = (utc(9, 8, 22), utc(9, 9, 22))
        assert expected == (engine.escalator.next_at(duty, 1), engine.escalator.next_at(duty, 1, kindergarten))
