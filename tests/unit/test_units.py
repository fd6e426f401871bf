"""Units of two kinds: a case's deadlines and reminders run on its own unit's calendar, and a workflow
is reported only at the kind of unit its pack serves (see ``tests/units_support.py``).

Oslo is UTC+2 in September 2026, so the end of Monday 7 September is 2026-09-07T22:00Z.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aktivitetsplikt.engine import Actor, ConfigError, DocumentationMissing, Engine, FixedClock, NotPermitted
from tests.conftest import ADMIN, TEACHER, report_doc
from tests.fakes import InMemoryUnitOfWorkFactory, make_engine
from tests.units_support import (
    CHILD,
    KINDERGARTEN_WORKFLOW,
    OFFENCE_WORKFLOW,
    STAFF,
    load_unit_settings,
    report_at_kindergarten,
    unit_registry,
    utc,
)


@pytest.fixture
def wired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]:
    clock = FixedClock(utc(9, 2, 8))  # Wednesday 2 September 2026, 10:00 in Oslo
    engine, factory = make_engine(load_unit_settings(tmp_path, monkeypatch), clock, unit_registry())
    return engine, factory, clock


class TestDeadlinesOnTheUnitsCalendar:
    def test_a_working_day_deadline_skips_the_kindergartens_closed_days(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """1wd from Wednesday 2 September skips the closed Thursday and Friday: due at the end of Monday 7."""
        engine, _, _ = wired
        [duty] = engine.get(report_at_kindergarten(engine), actor=ADMIN).obligations
        assert ("notify_principal", utc(9, 7, 22)) == (duty.kind, duty.due_at)

    def test_the_same_report_at_a_school_is_due_the_next_school_day(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """The school's 1sd from the same moment ends with Thursday 3 September: the closed days are not its."""
        engine, _, _ = wired
        case = engine.report(
            workflow="aktivitetsplikt", school="hellerud", pupil=CHILD, document=report_doc(), actor=TEACHER
        )
        assert [utc(9, 3, 22)] == [o.due_at for o in case.obligations]

    def test_the_school_holidays_do_not_close_the_kindergarten(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """From Friday 25 September, 1wd ends with Monday 28 September, the first day of the schools' break."""
        engine, _, clock = wired
        clock.set(utc(9, 25, 10))
        [duty] = engine.get(report_at_kindergarten(engine, "2026-09-25T09:00"), actor=ADMIN).obligations
        assert utc(9, 28, 22) == duty.due_at

    def test_the_reminder_is_counted_back_on_the_kindergartens_calendar(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """One open day before the end of Monday 7 September, past the closed days, is the end of Wednesday 2."""
        engine, _, _ = wired
        [duty] = engine.get(report_at_kindergarten(engine), actor=ADMIN).obligations
        assert utc(9, 2, 22) == duty.next_escalation_at


class TestWrongKindOfUnit:
    def test_a_school_workflow_is_refused_at_a_kindergarten(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """A school workflow reported at a kindergarten names the school field and the workflows that fit."""
        engine, factory, _ = wired
        before = factory.store.snapshot_all()
        with pytest.raises(DocumentationMissing) as caught:
            engine.report(
                workflow="aktivitetsplikt", school="solsikken", pupil=CHILD, document=report_doc(), actor=STAFF
            )
        problem = (
            "'solsikken' is a kindergarten, but aktivitetsplikt is a workflow for schools; report it at a school, "
            f"or use a workflow for kindergartens ({KINDERGARTEN_WORKFLOW}, {OFFENCE_WORKFLOW})"
        )
        assert [("school", problem)] == [(p.field, p.problem) for p in caught.value.fields]
        assert before == factory.store.snapshot_all()

    def test_a_kindergarten_workflow_is_refused_at_a_school(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """The refusal is one sentence that says what to do, and never repeats the pupil's reference."""
        engine, _, _ = wired
        with pytest.raises(DocumentationMissing) as caught:
            engine.report(
                workflow=KINDERGARTEN_WORKFLOW, school="hellerud", pupil=CHILD, document=report_doc(), actor=TEACHER
            )
        expected = (
            "The documentation for 'report' is incomplete or invalid; fix these fields and try again: school: "
            f"'hellerud' is a school, but {KINDERGARTEN_WORKFLOW} is a workflow for kindergartens; report it at a "
            "kindergarten, or use a workflow for schools (aktivitetsplikt, skjerpa_aktivitetsplikt)."
        )
        assert expected == caught.value.message
        assert CHILD not in caught.value.message

    def test_an_unknown_unit_names_both_tables(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """With kindergartens configured, an unknown unit is looked for in both tables."""
        engine, _, _ = wired
        expected = (
            "Unknown unit 'nowhere'; add [schools.nowhere] or [kindergartens.nowhere] to config.toml "
            "(known: furuset, hellerud, solsikken)."
        )
        with pytest.raises(ConfigError, match=f"^{re.escape(expected)}$"):
            engine.report(
                workflow="aktivitetsplikt", school="nowhere", pupil=CHILD, document=report_doc(), actor=TEACHER
            )


class TestConfigDirectory:
    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("principal", ["styrer@solsikken.example"]),
            ("school_owner", ["eier@kommune.example"]),
            ("deputies", ["assisterende@solsikken.example"]),
            ("reporter", ["pedagog03@solsikken.example"]),
            ("responsible", ["styrer@solsikken.example"]),
        ],
    )
    def test_a_kindergartens_roles_resolve_to_its_addresses(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock], role: str, expected: list[str]
    ) -> None:
        """The director is the head, the owner the owner; staff refs map through its staff table."""
        engine, _, _ = wired
        case = engine.get(report_at_kindergarten(engine), actor=ADMIN)
        assert expected == engine.directory.addresses(case, role)


class TestAccusedLeadership:
    def test_the_refusal_names_the_unit_and_the_packs_section(
        self, wired: tuple[Engine, InMemoryUnitOfWorkFactory, FixedClock]
    ) -> None:
        """The head kept out of a case is told so with the pack's own section, at a kindergarten too."""
        engine, _, _ = wired
        doc = report_doc(accused_staff="b-07", accused_is_leadership=True)
        case = engine.report(workflow=OFFENCE_WORKFLOW, school="solsikken", pupil=CHILD, document=doc, actor=STAFF)
        director = Actor(id="styrer", role="principal", school="solsikken")
        expected = (
            "The leadership is accused in this § 99 case, so the principal cannot act on it; the owner acts instead."
        )
        with pytest.raises(NotPermitted, match=f"^{re.escape(expected)}$"):
            engine.fire(case.id, "add_note", {"text": "Notat."}, director)
