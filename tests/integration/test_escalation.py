"""The escalation ladder of spec section 5 on a real SQLite engine with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime

from aktivitetsplikt.engine import Engine, FixedClock
from tests.conftest import ADMIN, PRINCIPAL, TEACHER, report_doc

# Thursday 24 September 2026, 10:00 Oslo; the autumn break (28 Sep - 2 Oct) is configured in TEST_CONFIG.
REPORTED = datetime(2026, 9, 24, 8, 0, tzinfo=UTC)
REMINDER = datetime(2026, 9, 24, 22, 0, tzinfo=UTC)  # end of Thu 24 Sep: one school day before the deadline
DUE = datetime(2026, 9, 25, 22, 0, tzinfo=UTC)  # end of Fri 25 Sep: 1sd after the report
OWNER_STEP = datetime(2026, 10, 5, 22, 0, tzinfo=UTC)  # end of Mon 5 Oct: 1sd after, across the break


def messages(engine: Engine) -> list[tuple[str, int | None, str]]:
    return sorted((m.kind, m.level, m.address) for m in engine.outbox(actor=ADMIN))


def sweep_at(engine: Engine, clock: FixedClock, at: datetime) -> list[tuple[str, int, tuple[str, ...]]]:
    clock.set(at)
    return [(s.obligation, s.level, s.recipients) for s in engine.sweep()]


class TestLadderAcrossHolidayWeek:
    def test_each_level_at_its_school_day_instant(self, engine: Engine, clock: FixedClock) -> None:
        """Reminder, escalation and school-owner step come at the right instants, each exactly once."""
        clock.set(REPORTED)
        case = engine.report(
            workflow="aktivitetsplikt",
            school="hellerud",
            pupil="elev-1",
            document=report_doc(occurred_at="2026-09-24T09:00"),
            actor=TEACHER,
        )
        duty = case.obligations[0]
        assert (DUE, REMINDER) == (duty.due_at, duty.next_escalation_at)

        assert [] == sweep_at(engine, clock, datetime(2026, 9, 24, 21, 59, tzinfo=UTC))
        assert [("notify_principal", 0, ("reporter",))] == sweep_at(engine, clock, REMINDER)
        assert [] == sweep_at(engine, clock, REMINDER)
        assert [("notify_principal", 1, ("reporter", "principal"))] == sweep_at(engine, clock, DUE)
        assert [] == sweep_at(engine, clock, datetime(2026, 10, 5, 21, 59, tzinfo=UTC))
        assert [("notify_principal", 2, ("school_owner",))] == sweep_at(engine, clock, OWNER_STEP)
        assert [] == sweep_at(engine, clock, datetime(2026, 12, 1, tzinfo=UTC))

        assert [
            ("escalation", 1, "laerer17@hellerud.example"),
            ("escalation", 1, "rektor@hellerud.example"),
            ("escalation", 2, "skoleeier@kommune.example"),
            ("reminder", 0, "laerer17@hellerud.example"),
        ] == messages(engine)
        stored = engine.get(case.id, actor=ADMIN)
        assert ["report", "escalated", "escalated", "escalated"] == [e.trigger for e in stored.events or []]
        assert [0, 1, 2] == [e.document["level"] for e in (stored.events or [])[1:]]
        assert {"system"} == {e.actor_role for e in (stored.events or [])[1:]}
        assert engine.verify(case.id, actor=ADMIN).intact
        assert [case.id] == [c.id for c in engine.list_cases(stuck=True, actor=ADMIN)]

    def test_catch_up_after_downtime_takes_each_level_once(self, engine: Engine, clock: FixedClock) -> None:
        """A sweep a month late takes levels 1 and 2 once each and skips the stale reminder."""
        clock.set(REPORTED)
        engine.report(
            workflow="aktivitetsplikt",
            school="hellerud",
            pupil="elev-1",
            document=report_doc(occurred_at="2026-09-24T09:00"),
            actor=TEACHER,
        )
        late = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
        assert [
            ("notify_principal", 1, ("reporter", "principal")),
            ("notify_principal", 2, ("school_owner",)),
        ] == (sweep_at(engine, clock, late))
        assert [] == sweep_at(engine, clock, late)

    def test_a_satisfied_duty_stops_escalating(self, engine: Engine, clock: FixedClock) -> None:
        """Once the principal is notified, the notify_principal ladder stops."""
        clock.set(REPORTED)
        case = engine.report(
            workflow="aktivitetsplikt",
            school="hellerud",
            pupil="elev-1",
            document=report_doc(occurred_at="2026-09-24T09:00"),
            actor=TEACHER,
        )
        sweep_at(engine, clock, REMINDER)
        engine.fire(
            case.id,
            "notify_principal",
            {"notified_at": "2026-09-24T23:30", "channel": "muntlig", "summary": "Melding."},
            TEACHER,
        )
        steps = sweep_at(engine, clock, OWNER_STEP)
        assert ["start_investigation"] == sorted({s[0] for s in steps})

    def test_principal_responsible_escalates_to_school_owner_at_level_one(
        self, engine: Engine, clock: FixedClock
    ) -> None:
        """When the principal holds the duty, the deadline step already tells the school owner."""
        clock.set(REPORTED)
        case = engine.report(
            workflow="aktivitetsplikt",
            school="hellerud",
            pupil="elev-1",
            document=report_doc(occurred_at="2026-09-24T09:00"),
            actor=TEACHER,
        )
        engine.fire(
            case.id,
            "notify_principal",
            {"notified_at": "2026-09-24T09:30", "channel": "muntlig", "summary": "Melding."},
            TEACHER,
        )
        steps = sweep_at(engine, clock, datetime(2026, 10, 7, 12, 0, tzinfo=UTC))
        assert ("start_investigation", 1, ("principal", "school_owner")) in steps


class TestAccusedLeadership:
    def test_principal_never_receives_anything(self, engine: Engine, clock: FixedClock) -> None:
        """§ 12-5 with an accused leadership: every notice and escalation avoids the principal."""
        clock.set(REPORTED)
        case = engine.report(
            workflow="skjerpa_aktivitetsplikt",
            school="hellerud",
            pupil="elev-2",
            actor=TEACHER,
            document=report_doc(occurred_at="2026-09-24T09:00", accused_staff="rektor", accused_is_leadership=True),
        )
        sweep_at(engine, clock, datetime(2026, 9, 24, 12, 0, tzinfo=UTC))
        engine.fire(
            case.id,
            "notify_principal",
            {"notified_at": "2026-09-24T13:00", "channel": "e-post", "summary": "Varsel."},
            TEACHER,
        )
        sweep_at(engine, clock, datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
        addresses = {address for _, _, address in messages(engine)}
        assert "rektor@hellerud.example" not in addresses
        assert "skoleeier@kommune.example" in addresses
        roles = {m.recipient_role for m in engine.outbox(actor=ADMIN)}
        assert "principal" not in roles
        assert engine.verify(case.id, actor=ADMIN).intact

    def test_ordinary_skjerpa_case_notifies_principal(self, engine: Engine, clock: FixedClock) -> None:
        """§ 12-5 about an ordinary employee: the principal gets the notice as usual."""
        clock.set(REPORTED)
        case = engine.report(
            workflow="skjerpa_aktivitetsplikt",
            school="hellerud",
            pupil="elev-2",
            actor=TEACHER,
            document=report_doc(occurred_at="2026-09-24T09:00", accused_staff="t-20", accused_is_leadership=False),
        )
        engine.fire(
            case.id,
            "notify_principal",
            {"notified_at": "2026-09-24T09:30", "channel": "muntlig", "summary": "Varsel."},
            TEACHER,
        )
        assert [("notice", None, "rektor@hellerud.example")] == messages(engine)
        engine.fire(case.id, "start_investigation", {"responsible": "t-18", "plan": "Samtaler."}, PRINCIPAL)
