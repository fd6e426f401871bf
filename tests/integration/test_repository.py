"""The SQL store under the engine, on SQLite and on PostgreSQL (design sections 3 and 4).

Every test runs on both backends through ``any_engine``; ``db`` gives raw SQL access to the rows.
"""

from __future__ import annotations

import gc
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import (
    Actor,
    AktivitetspliktError,
    ConcurrencyConflict,
    DocumentationMissing,
    Engine,
    FixedClock,
    NotPermitted,
    SchemaOutdated,
    Settings,
    TransitionNotAllowed,
    bootstrap,
    upgrade_database,
)
from aktivitetsplikt.storage.tables import UTCDateTime
from tests.conftest import ADMIN, HANDLER, PRINCIPAL, T0, TEACHER, drive_to, plan_doc, pupil_heard, report_doc
from tests.integration.conftest import execute, row_counts, sql_engine

FURUSET_TEACHER = Actor(id="f-1", role="staff", school="furuset")
NOTIFY = {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"}


def open_case(engine: Engine, school: str = "hellerud", actor: Actor = TEACHER, **report: Any) -> str:
    case = engine.report(
        workflow="aktivitetsplikt", school=school, pupil="elev-4711", document=report_doc(**report), actor=actor
    )
    return case.id


def events_of(db: sa.Engine, case_id: str) -> list[int]:
    with db.connect() as conn:
        rows = conn.execute(sa.text("SELECT seq FROM case_events WHERE case_id = :id ORDER BY seq"), {"id": case_id})
        return [int(r.seq) for r in rows]


def set_document(db: sa.Engine, case_id: str, seq: int, document: dict[str, Any]) -> int:
    """Overwrite an event's stored documentation behind the engine's back."""
    value = "CAST(:doc AS JSONB)" if db.dialect.name == "postgresql" else ":doc"
    return execute(
        db,
        f"UPDATE case_events SET document = {value} WHERE case_id = :id AND seq = :seq",
        doc=json.dumps(document),
        id=case_id,
        seq=seq,
    )


@contextmanager
def outbox_refusing(db: sa.Engine) -> Iterator[None]:
    """A database trigger that makes every INSERT into outbox fail, removed on the way out."""
    if db.dialect.name == "postgresql":
        execute(
            db,
            "CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$",
        )
        execute(
            db, "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()"
        )
    else:
        execute(
            db, "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox refused'); END"
        )
    try:
        yield
    finally:
        if db.dialect.name == "postgresql":
            execute(db, "DROP TRIGGER refuse_outbox ON outbox")
            execute(db, "DROP FUNCTION refuse_outbox()")
        else:
            execute(db, "DROP TRIGGER refuse_outbox")


class TestRoundTrip:
    def test_case_reads_back_by_id_and_by_number(self, any_engine: Engine) -> None:
        """A stored case reads back the same by its id and by its human number."""
        case_id = drive_to(any_engine, "planning")

        by_id = any_engine.get(case_id, actor=ADMIN)
        by_number = any_engine.get(by_id.number, actor=ADMIN)

        assert by_id == by_number
        assert ("HEL-2026-0001", "planning", 4, 4) == (by_id.number, by_id.state, by_id.version, by_id.last_seq)

    def test_events_come_back_in_order(self, any_engine: Engine) -> None:
        """The log reads back in seq order with every step's trigger and states."""
        case_id = drive_to(any_engine, "measures_active")

        events = any_engine.get(case_id, actor=ADMIN).events or []

        expected = [
            (1, "report", None, "reported"),
            (2, "notify_principal", "reported", "principal_notified"),
            (3, "start_investigation", "principal_notified", "investigating"),
            (4, "conclude_investigation", "investigating", "planning"),
            (5, "adopt_plan", "planning", "measures_active"),
        ]
        assert expected == [(e.seq, e.trigger, e.from_state, e.to_state) for e in events]

    def test_obligations_equal_what_was_decided(self, any_engine: Engine) -> None:
        """Every duty reads back exactly as the step decided it, instants as aware UTC."""
        case_id = drive_to(any_engine, "planning")
        decided = any_engine.fire(case_id, "adopt_plan", plan_doc(), HANDLER)

        stored = any_engine.get(case_id, actor=ADMIN)

        assert sorted(decided.obligations, key=lambda o: o.id) == sorted(stored.obligations, key=lambda o: o.id)
        instants = [
            value
            for o in stored.obligations
            for value in (o.due_at, o.satisfied_at, o.next_escalation_at)
            if value is not None
        ]
        assert len(instants) >= len(stored.obligations)
        assert {UTC} == {value.tzinfo for value in instants}

    def test_the_evaluation_duty_is_due_at_the_plans_date(self, any_engine: Engine) -> None:
        """The plan's evaluation date (Oslo time) is stored as the UTC instant of the evaluate duty."""
        case_id = drive_to(any_engine, "measures_active")

        evaluate = any_engine.get(case_id, actor=ADMIN).open_obligations("evaluate")

        assert [datetime(2026, 9, 16, 10, 0, tzinfo=UTC)] == [o.due_at for o in evaluate]

    def test_case_instants_are_aware_utc(self, any_engine: Engine) -> None:
        """opened_at, occurred_at and closed_at, and every event's instants, come back as aware UTC."""
        case = any_engine.get(drive_to(any_engine, "closed"), actor=ADMIN)

        instants = [case.opened_at, case.occurred_at, case.closed_at]
        instants += [i for e in case.events or [] for i in (e.at, e.occurred_at)]

        assert [T0, datetime(2026, 9, 2, 7, 0, tzinfo=UTC), T0] == instants[:3]
        assert {UTC} == {i.tzinfo for i in instants if i is not None}

    def test_documents_are_stored_exactly(self, any_engine: Engine) -> None:
        """The validated documentation (instants in UTC, defaults filled in) is what the log holds."""
        case_id = open_case(any_engine, pupils_involved=["elev-12"])
        any_engine.fire(
            case_id, "add_note", {"text": "  Samtale med «foresatte» \u2013 æøå ÆØÅ 😀\n", "corrects": 1}, TEACHER
        )

        events = any_engine.get(case_id, actor=ADMIN).events or []

        assert [
            {
                "source": "pupil",
                "occurred_at": "2026-09-02T07:00:00Z",
                "description": "Eleven forteller om utestenging i friminuttene.",
                "kinds": ["exclusion"],
                "pupils_involved": ["elev-12"],
                "intervention": None,
            },
            {"text": "Samtale med «foresatte» \u2013 æøå ÆØÅ 😀", "corrects": 1},
        ] == [e.document for e in events]

    def test_nested_documents_survive_the_round_trip(self, any_engine: Engine) -> None:
        """Nested objects and lists in the documentation come back unchanged and the chain holds."""
        case_id = drive_to(any_engine, "measures_active")
        measures = [{"description": f"Tiltak {n}", "when": "Hver dag", "responsible": f"t-{n}"} for n in range(1, 4)]
        revised = plan_doc(evaluation_at="2026-09-20T08:30", measures=measures) | {"reason": "Ny kunnskap."}
        any_engine.fire(case_id, "revise_plan", revised, HANDLER)

        last = (any_engine.get(case_id, actor=ADMIN).events or [])[-1]

        assert measures == last.document["measures"]
        assert "2026-09-20T06:30:00Z" == last.document["evaluation_at"]
        assert any_engine.verify(case_id, actor=ADMIN).intact

    @pytest.mark.parametrize("text", ["a\x00b", "\x00"], ids=["inner-nul", "only-nul"])
    def test_a_nul_character_is_refused_or_stored_never_a_database_error(self, any_engine: Engine, text: str) -> None:
        """Text with U+0000 (which PostgreSQL's jsonb cannot hold) is refused as documentation or stored
        exactly; it never surfaces as a database error."""
        case_id = open_case(any_engine)

        try:
            any_engine.fire(case_id, "add_note", {"text": text}, TEACHER)
        except DocumentationMissing as refused:
            assert ["text"] == [p.field for p in refused.fields]
        else:
            assert {"text": text, "corrects": None} == (any_engine.get(case_id, actor=ADMIN).events or [])[-1].document
        assert any_engine.verify(case_id, actor=ADMIN).intact


class TestOutbox:
    def test_notice_is_written_with_the_step(self, any_engine: Engine, db: sa.Engine) -> None:
        """notify_principal queues one pending notice to the principal for the case."""
        case_id = open_case(any_engine)
        assert 0 == row_counts(db)["outbox"]

        any_engine.fire(case_id, "notify_principal", NOTIFY, TEACHER)

        with db.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT case_id, kind, recipient_role, address, status, attempts, payload FROM outbox")
            ).all()
        assert 1 == len(rows)
        row = rows[0]
        payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
        assert (case_id, "notice", "principal", "rektor@hellerud.example", "pending", 0) == tuple(row[:6])
        assert ("HEL-2026-0001", "principal_notified") == (payload["case_number"], payload["state"])

    def test_a_failing_outbox_write_rolls_back_the_whole_step(self, any_engine: Engine, db: sa.Engine) -> None:
        """When the outbox INSERT fails, the case, its event and its duties are as they were."""
        case_id = open_case(any_engine)
        before_case = any_engine.get(case_id, actor=ADMIN)
        before_rows = row_counts(db)

        with outbox_refusing(db), pytest.raises(Exception) as refused:  # the class depends on the backend
            any_engine.fire(case_id, "notify_principal", NOTIFY, TEACHER)

        # SQLite reports a trigger's RAISE as an IntegrityError, which the repository reads as a lost race.
        assert "outbox refused" in f"{refused.value} {refused.value.__cause__}"
        assert before_rows == row_counts(db)
        assert before_case == any_engine.get(case_id, actor=ADMIN)


class TestCaseNumbers:
    def test_numbers_count_up_per_school(self, any_engine: Engine) -> None:
        """Each school numbers its cases from 0001 with its own code."""
        numbers = [
            any_engine.get(open_case(any_engine), actor=ADMIN).number,
            any_engine.get(open_case(any_engine), actor=ADMIN).number,
            any_engine.get(open_case(any_engine, school="furuset", actor=FURUSET_TEACHER), actor=ADMIN).number,
            any_engine.get(open_case(any_engine), actor=ADMIN).number,
        ]

        assert ["HEL-2026-0001", "HEL-2026-0002", "FUR-2026-0001", "HEL-2026-0003"] == numbers

    def test_a_new_school_year_starts_again_at_one(self, any_engine: Engine, clock: FixedClock) -> None:
        """The school year starts on 1 August Oslo time, and with it a new sequence."""
        first = any_engine.get(open_case(any_engine), actor=ADMIN)
        clock.set(datetime(2027, 7, 31, 21, 59, tzinfo=UTC))  # 23:59 on 31 July in Oslo
        late = any_engine.get(open_case(any_engine), actor=ADMIN)
        clock.set(datetime(2027, 7, 31, 22, 0, tzinfo=UTC))  # 00:00 on 1 August in Oslo
        next_year = any_engine.get(open_case(any_engine), actor=ADMIN)

        assert [("HEL-2026-0001", "2026-2027"), ("HEL-2026-0002", "2026-2027"), ("HEL-2027-0001", "2027-2028")] == [
            (c.number, c.school_year) for c in (first, late, next_year)
        ]


class TestListCases:
    @pytest.fixture
    def three(self, any_engine: Engine) -> dict[str, str]:
        """Hellerud: one case just reported and one with measures; Furuset: one just reported."""
        return {
            "reported": open_case(any_engine),
            "active": drive_to(any_engine, "measures_active"),
            "furuset": open_case(any_engine, school="furuset", actor=FURUSET_TEACHER),
        }

    @staticmethod
    def numbers(cases: list[Any]) -> list[str]:
        return [c.number for c in cases]

    def test_without_filters_every_case_in_order(self, any_engine: Engine, three: dict[str, str]) -> None:
        """No filter lists every case, oldest first, then by number."""
        assert ["FUR-2026-0001", "HEL-2026-0001", "HEL-2026-0002"] == self.numbers(any_engine.list_cases(actor=ADMIN))

    def test_by_school(self, any_engine: Engine, three: dict[str, str]) -> None:
        """school= keeps only that school's cases."""
        assert ["HEL-2026-0001", "HEL-2026-0002"] == self.numbers(any_engine.list_cases(school="hellerud", actor=ADMIN))
        assert ["FUR-2026-0001"] == self.numbers(any_engine.list_cases(school="furuset", actor=ADMIN))

    def test_by_state(self, any_engine: Engine, three: dict[str, str]) -> None:
        """state= keeps only cases in that state, and may combine with school=."""
        assert ["FUR-2026-0001", "HEL-2026-0001"] == self.numbers(any_engine.list_cases(state="reported", actor=ADMIN))
        assert ["HEL-2026-0001"] == self.numbers(
            any_engine.list_cases(state="reported", school="hellerud", actor=ADMIN)
        )
        assert [] == any_engine.list_cases(state="closed", actor=ADMIN)

    def test_by_school_year(self, any_engine: Engine, three: dict[str, str], clock: FixedClock) -> None:
        """school_year= keeps only the cases opened in that school year."""
        clock.set(datetime(2027, 8, 16, 8, 0, tzinfo=UTC))
        open_case(any_engine, occurred_at="2027-08-16T09:00")

        assert ["HEL-2027-0001"] == self.numbers(any_engine.list_cases(school_year="2027-2028", actor=ADMIN))
        assert 3 == len(any_engine.list_cases(school_year="2026-2027", actor=ADMIN))

    def test_overdue_follows_the_clock(self, any_engine: Engine, three: dict[str, str], clock: FixedClock) -> None:
        """overdue=True lists cases with an open duty past its deadline at the clock's now."""
        assert [] == any_engine.list_cases(overdue=True, actor=ADMIN)

        clock.set(datetime(2026, 9, 3, 22, 0, tzinfo=UTC))  # notify_principal is due: end of the next school day
        assert ["FUR-2026-0001", "HEL-2026-0001"] == self.numbers(any_engine.list_cases(overdue=True, actor=ADMIN))

        clock.set(datetime(2026, 9, 16, 10, 0, tzinfo=UTC))  # the plan's evaluation date
        assert ["FUR-2026-0001", "HEL-2026-0001", "HEL-2026-0002"] == self.numbers(
            any_engine.list_cases(overdue=True, actor=ADMIN)
        )
        assert ["HEL-2026-0002"] == self.numbers(
            any_engine.list_cases(overdue=True, state="measures_active", actor=ADMIN)
        )

    def test_a_satisfied_duty_is_never_overdue(
        self, any_engine: Engine, three: dict[str, str], clock: FixedClock
    ) -> None:
        """Once notify_principal is met, its passed deadline no longer makes the case overdue."""
        any_engine.fire(three["reported"], "notify_principal", NOTIFY, TEACHER)
        clock.set(datetime(2026, 9, 4, 8, 0, tzinfo=UTC))

        assert ["FUR-2026-0001"] == self.numbers(any_engine.list_cases(overdue=True, actor=ADMIN))

    def test_stuck_means_an_open_duty_past_the_last_level(
        self, any_engine: Engine, db: sa.Engine, three: dict[str, str]
    ) -> None:
        """stuck=True lists cases with an open duty at escalation level 2; met duties do not count."""
        assert [] == any_engine.list_cases(stuck=True, actor=ADMIN)
        execute(
            db,
            "UPDATE obligations SET escalation_level = 2 WHERE case_id = :id AND satisfied_at IS NULL",
            id=three["reported"],
        )
        execute(
            db,
            "UPDATE obligations SET escalation_level = 2 WHERE case_id = :id AND satisfied_at IS NOT NULL",
            id=three["active"],
        )
        execute(db, "UPDATE obligations SET escalation_level = 1 WHERE case_id = :id", id=three["furuset"])

        assert ["HEL-2026-0001"] == self.numbers(any_engine.list_cases(stuck=True, actor=ADMIN))

    def test_limit(self, any_engine: Engine, three: dict[str, str]) -> None:
        """limit= caps the list, keeping the order."""
        assert ["FUR-2026-0001", "HEL-2026-0001"] == self.numbers(any_engine.list_cases(limit=2, actor=ADMIN))

    def test_listed_cases_carry_their_duties(self, any_engine: Engine, three: dict[str, str]) -> None:
        """A listed case has the same duties as the case read on its own."""
        listed = {c.id: c for c in any_engine.list_cases(actor=ADMIN)}

        for case_id in three.values():
            assert any_engine.get(case_id, events=False, actor=ADMIN).obligations == listed[case_id].obligations


class TestVerify:
    def test_an_untouched_log_is_intact(self, any_engine: Engine) -> None:
        """A log written by the engine verifies."""
        case_id = drive_to(any_engine, "closed")

        verdict = any_engine.verify(case_id, actor=ADMIN)

        assert (6, True, None, None) == (verdict.events, verdict.intact, verdict.broken_at, verdict.problem)

    def test_a_changed_document_breaks_the_chain_at_its_seq(self, any_engine: Engine, db: sa.Engine) -> None:
        """Editing an event's documentation in the database is caught at that event."""
        case_id = drive_to(any_engine, "measures_active")
        document = dict((any_engine.get(case_id, actor=ADMIN).events or [])[2].document)
        document["responsible"] = "t-20"

        assert 1 == set_document(db, case_id, 3, document)
        verdict = any_engine.verify(case_id, actor=ADMIN)

        assert (False, 3, "the event was changed after it was recorded") == (
            verdict.intact,
            verdict.broken_at,
            verdict.problem,
        )

    def test_a_changed_key_order_does_not_break_the_chain(self, any_engine: Engine, db: sa.Engine) -> None:
        """Rewriting the same documentation with its keys in another order still verifies (canonical JSON)."""
        case_id = drive_to(any_engine, "investigating")
        document = (any_engine.get(case_id, actor=ADMIN).events or [])[0].document

        set_document(db, case_id, 1, dict(reversed(list(document.items()))))

        assert any_engine.verify(case_id, actor=ADMIN).intact

    def test_a_deleted_last_event_breaks_the_chain(self, any_engine: Engine, db: sa.Engine) -> None:
        """Removing the newest event is caught through the head hash kept on the case."""
        case_id = drive_to(any_engine, "planning")

        assert 1 == execute(db, "DELETE FROM case_events WHERE case_id = :id AND seq = 4", id=case_id)
        verdict = any_engine.verify(case_id, actor=ADMIN)

        assert (False, 4, "events after the last one were removed") == (
            verdict.intact,
            verdict.broken_at,
            verdict.problem,
        )

    def test_a_deleted_middle_event_breaks_the_chain(self, any_engine: Engine, db: sa.Engine) -> None:
        """Removing an event in the middle is caught at the missing seq."""
        case_id = drive_to(any_engine, "planning")

        execute(db, "DELETE FROM case_events WHERE case_id = :id AND seq = 2", id=case_id)
        verdict = any_engine.verify(case_id, actor=ADMIN)

        assert (False, 2, "event 2 is missing") == (verdict.intact, verdict.broken_at, verdict.problem)

    def test_a_changed_instant_breaks_the_chain(self, any_engine: Engine, db: sa.Engine) -> None:
        """Back-dating when a step happened is caught at that event."""
        case_id = drive_to(any_engine, "investigating")
        with db.begin() as conn:
            conn.execute(
                sa.text("UPDATE case_events SET occurred_at = :at WHERE case_id = :id AND seq = 2").bindparams(
                    sa.bindparam("at", type_=UTCDateTime())
                ),
                {"at": datetime(2026, 9, 2, 6, 0, tzinfo=UTC), "id": case_id},
            )

        verdict = any_engine.verify(case_id, actor=ADMIN)

        assert (False, 2) == (verdict.intact, verdict.broken_at)


REFUSALS: list[Any] = [
    pytest.param(
        "notify_principal", {"channel": "muntlig", "summary": "x"}, TEACHER, DocumentationMissing, id="missing"
    ),
    pytest.param("notify_principal", NOTIFY | {"extra": 1}, TEACHER, DocumentationMissing, id="unknown-field"),
    pytest.param(
        "notify_principal", NOTIFY | {"notified_at": "2026-09-03T09:00"}, TEACHER, DocumentationMissing, id="future"
    ),
    pytest.param("adopt_plan", plan_doc(), HANDLER, NotPermitted, id="not-responsible"),
    pytest.param("start_investigation", {"responsible": "t-18", "plan": "x"}, TEACHER, NotPermitted, id="role"),
    pytest.param(
        "close", {"reason": "x", "pupil_heard": pupil_heard(True)}, PRINCIPAL, TransitionNotAllowed, id="state"
    ),
    pytest.param("add_note", {"text": "x"}, FURUSET_TEACHER, NotPermitted, id="other-school"),
    pytest.param(
        "respond_to_statsforvalter",
        {"sent_at": "2026-09-02T09:00", "summary": "x"},
        PRINCIPAL,
        TransitionNotAllowed,
        id="rule",
    ),
]


class TestRefusals:
    @pytest.mark.parametrize(("trigger", "document", "actor", "error"), REFUSALS)
    def test_a_refused_trigger_leaves_no_row_behind(
        self,
        any_engine: Engine,
        db: sa.Engine,
        trigger: str,
        document: dict[str, Any],
        actor: Actor,
        error: type[AktivitetspliktError],
    ) -> None:
        """A refusal raises its typed error and changes no row in any table."""
        case_id = open_case(any_engine)
        before_rows = row_counts(db)
        before_case = any_engine.get(case_id, actor=ADMIN)

        with pytest.raises(error):
            any_engine.fire(case_id, trigger, document, actor)

        assert before_rows == row_counts(db)
        assert before_case == any_engine.get(case_id, actor=ADMIN)

    def test_a_refused_report_opens_no_case(self, any_engine: Engine, db: sa.Engine) -> None:
        """A report with bad documentation stores nothing and uses up no case number."""
        before = row_counts(db)

        with pytest.raises(DocumentationMissing, match="kinds"):
            open_case(any_engine, kinds=[])

        assert before == row_counts(db)
        assert "HEL-2026-0001" == any_engine.get(open_case(any_engine), actor=ADMIN).number


class TestOptimisticLock:
    def test_a_stale_expected_version_is_refused(self, any_engine: Engine) -> None:
        """Firing with an old expected_version raises ConcurrencyConflict and stores nothing."""
        case_id = drive_to(any_engine, "principal_notified")

        with pytest.raises(ConcurrencyConflict, match=r"\(expected version 1, found 2\); load it again and retry"):
            any_engine.fire(case_id, "add_note", {"text": "x"}, TEACHER, expected_version=1)

        assert (2, [1, 2]) == (
            any_engine.get(case_id, actor=ADMIN).version,
            [e.seq for e in any_engine.get(case_id, actor=ADMIN).events or []],
        )

    def test_the_current_expected_version_is_accepted(self, any_engine: Engine) -> None:
        """Firing with the version just read succeeds and moves the version on by one."""
        case_id = drive_to(any_engine, "principal_notified")

        case = any_engine.fire(case_id, "add_note", {"text": "x"}, TEACHER, expected_version=2)

        assert 3 == case.version

    def test_the_store_refuses_a_step_decided_on_a_stale_case(self, any_engine: Engine, db: sa.Engine) -> None:
        """The repository's own conditional UPDATE refuses a decision made on an old version of the case."""
        case_id = open_case(any_engine)
        stale = any_engine.get(case_id, events=False, actor=ADMIN)
        decision = any_engine.decider.fire(stale, "add_note", {"text": "gammel"}, TEACHER, any_engine.clock.now())
        any_engine.fire(case_id, "add_note", {"text": "ny"}, TEACHER)
        before = row_counts(db)

        with any_engine.uow(write=True) as uow, pytest.raises(ConcurrencyConflict, match="expected version 1, found 2"):
            uow.cases.save(decision, stale.version)

        assert before == row_counts(db)


@contextmanager
def leaks_collected() -> Iterator[None]:
    """Collect, silently, the connections a refused bootstrap leaves open (see test_a_refused_start_...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield
        gc.collect()


def other_connections(bind: sa.Engine) -> int:
    """Sessions connected to this PostgreSQL database, apart from the one asking."""
    with bind.connect() as conn:
        count = conn.scalar(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    return int(count or 0)


class TestSchemaCheck:
    def test_an_empty_database_is_refused(self, any_settings: Settings) -> None:
        """bootstrap without upgrade refuses a database with no schema and names the command to run."""
        with (
            leaks_collected(),
            pytest.raises(SchemaOutdated, match=r"revision empty .* run 'aktivitetsplikt db upgrade' first"),
        ):
            bootstrap(any_settings, clock=FixedClock(T0))

    def test_after_db_upgrade_the_engine_starts(self, any_settings: Settings) -> None:
        """upgrade_database brings an empty database to head, and bootstrap then accepts it."""
        before, after = upgrade_database(any_settings)
        engine = bootstrap(any_settings, clock=FixedClock(T0))
        try:
            assert None is before
            assert [] == engine.list_cases(actor=ADMIN)
            assert (after, after) == upgrade_database(any_settings)
        finally:
            sql_engine(engine).dispose()

    def test_a_database_at_an_unknown_revision_is_refused(self, any_settings: Settings) -> None:
        """A schema stamped with another revision than head is refused too."""
        upgrade_database(any_settings)
        bind = sa.create_engine(any_settings.database.url)
        try:
            execute(bind, "UPDATE alembic_version SET version_num = 'old'")
        finally:
            bind.dispose()

        with leaks_collected(), pytest.raises(SchemaOutdated, match=r"revision old but this version needs"):
            bootstrap(any_settings, clock=FixedClock(T0))

    @pytest.mark.postgres
    def test_a_refused_start_leaves_no_connection_open(self, pg_settings: Settings) -> None:
        """bootstrap closes the database connections it opened when it refuses the schema."""
        bind = sa.create_engine(pg_settings.database.url)
        try:
            with leaks_collected():
                with pytest.raises(SchemaOutdated):
                    bootstrap(pg_settings, clock=FixedClock(T0))
                left_open = other_connections(bind)
            assert 0 == left_open
        finally:
            bind.dispose()
