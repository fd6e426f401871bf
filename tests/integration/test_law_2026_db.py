"""Version 2026-12 on a real SQLite file: the upgrade of a stored case, per-measure duties, and a duty
toward Statsforvaltaren that keeps escalating on a closed case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from aktivitetsplikt.engine import Engine, FixedClock, Settings, bootstrap
from tests.conftest import ADMIN, PRINCIPAL, drive_to, pupil_heard, unpinned
from tests.law2026 import DECISION, ENFORCEMENT, Law2026, closing


@pytest.fixture
def upgraded(settings: Settings, clock: FixedClock, engine: Engine) -> Iterator[Engine]:
    """A second engine on ``engine``'s database whose new cases start on 2026-12 (the upgrade)."""
    built = bootstrap(unpinned(settings), clock=clock)
    yield built
    built.uow.engine.dispose()  # type: ignore[attr-defined]


def sweep_at(engine: Engine, clock: FixedClock, at: datetime) -> list[tuple[str, int, tuple[str, ...]]]:
    clock.set(at)
    return [(s.obligation, s.level, s.recipients) for s in engine.sweep()]


class TestUpgrade:
    def test_a_stored_2024_08_case_runs_to_close_under_its_own_rules(
        self, engine: Engine, upgraded: Engine, clock: FixedClock
    ) -> None:
        """Opened before the upgrade, the case closes after it with 2024-08 documentation, while a new case
        starts on 2026-12."""
        case_id = drive_to(engine, "measures_active")
        closed = upgraded.fire(case_id, "close", {"reason": "Trygg.", "pupil_heard": pupil_heard(True)}, PRINCIPAL)
        fresh = Law2026(upgraded, clock).report()
        expected = (("2024-08", "closed"), "2026-12")
        assert expected == ((closed.workflow_version, closed.state), upgraded.get(fresh, actor=ADMIN).workflow_version)


class TestOnTheDatabase:
    def test_per_measure_duties_keep_their_keys(self, upgraded: Engine, clock: FixedClock) -> None:
        """Each imposed measure's duty is stored with its key, and a report meets the right one."""
        law = Law2026(upgraded, clock)
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_decision", DECISION)
        law.fire(case_id, "report_compliance", {"measure": "rutine", "reported_at": "2026-09-16T09:30", "summary": "S"})
        duties = [
            (o.key, o.open) for o in upgraded.get(case_id, actor=ADMIN).obligations if o.kind == "comply_with_decision"
        ]
        assert [("m-8-1", True), ("rutine", False)] == duties

    def test_statsforvaltarens_deadline_escalates_on_a_closed_case(self, upgraded: Engine, clock: FixedClock) -> None:
        """Rule 7: closing leaves the response open; at its deadline the sweep escalates it, then it is stuck."""
        law = Law2026(upgraded, clock)
        case_id = law.drive("evaluated")
        law.fire(case_id, "register_enforcement", ENFORCEMENT)
        law.fire(case_id, "close", closing())
        due = datetime(2026, 9, 23, 10, 0, tzinfo=UTC)  # 12:00 Oslo, the date Statsforvaltaren set
        steps = sweep_at(upgraded, clock, due) + sweep_at(upgraded, clock, datetime(2026, 9, 24, 22, tzinfo=UTC))
        expected = (
            [
                ("respond_to_statsforvalter", 1, ("principal", "school_owner")),
                ("respond_to_statsforvalter", 2, ("school_owner",)),
            ],
            "closed",
            [case_id],
        )
        assert expected == (
            steps,
            upgraded.get(case_id, actor=ADMIN).state,
            [c.id for c in upgraded.list_cases(stuck=True, actor=ADMIN)],
        )
