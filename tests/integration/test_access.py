"""Who may read, through SQL, on SQLite and on PostgreSQL (issue 10).

The read scope is one WHERE clause the storage applies to every list (cases, agenda, audit, outbox); here
it must give each role the same cases as the in-memory rule, keep a leadership case out of every one of
the principal's views, and leave a record of every read path in the append-only access log.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import Engine, NotPermitted
from aktivitetsplikt.engine.core.access import ReadKind
from aktivitetsplikt.engine.errors import MessageNotFound
from aktivitetsplikt.engine.reports.agenda import meeting_agenda
from aktivitetsplikt.engine.reports.audit import audit_school_year, count_audit_cases
from aktivitetsplikt.engine.reports.export import export_json, render_html
from aktivitetsplikt.storage.database import create_db_engine
from aktivitetsplikt.storage.migrate import upgrade
from tests.access_support import FURUSET_PRINCIPAL, HOLDER, READERS, SEES, school_cases, seen
from tests.conftest import ADMIN, OWNER, PRINCIPAL
from tests.integration.conftest import execute, sql_engine

YEAR = "2026-2027"


@pytest.fixture
def cases(any_engine: Engine) -> dict[str, str]:
    return school_cases(any_engine)


def logged(engine: Engine, case_id: str) -> list[tuple[str, str, str]]:
    """The access log rows of a case as stored: (actor, kind, face), oldest first."""
    with sql_engine(engine).connect() as conn:
        rows = conn.execute(
            sa.text("SELECT actor_id, kind, face FROM access_log WHERE case_id = :id ORDER BY id"), {"id": case_id}
        )
        return [(actor, kind, face) for actor, kind, face in rows]


class TestScope:
    def test_each_role_lists_what_the_rule_says(self, any_engine: Engine, cases: dict[str, str]) -> None:
        """Per role, the database returns exactly the cases ReadScope.admits would."""
        assert SEES == {name: seen(any_engine, reader, cases) for name, reader in READERS.items()}

    def test_the_scoped_queries_use_indexes_on_sqlite(self, engine: Engine) -> None:
        """Explained by SQLite, a principal's and a teacher's lists and agenda search through indexes."""
        ids = school_cases(engine)
        db = sql_engine(engine)
        seen_statements: list[tuple[str, object]] = []

        def record(conn: object, cursor: object, statement: str, parameters: object, *_: object) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                seen_statements.append((statement, parameters))

        sa.event.listen(db, "before_cursor_execute", record)
        try:
            for reader in (PRINCIPAL, READERS["reporting_staff"]):
                engine.list_cases(actor=reader, by_urgency=True, open_only=True)
                engine.get(ids["ordinary"], actor=reader)
                meeting_agenda(engine, "hellerud", actor=reader)
        finally:
            sa.event.remove(db, "before_cursor_execute", record)
        with db.connect() as conn:
            plans = [
                row[-1]
                for statement, parameters in seen_statements
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)  # type: ignore[arg-type]
            ]
        assert [] == [p for p in plans if p.startswith("SCAN") and "USING" not in p]


class TestLeadershipCase:
    def test_the_principal_sees_nothing_of_it_anywhere(self, any_engine: Engine, cases: dict[str, str]) -> None:
        """Not in the list, the agenda, the audit or the outbox; its export is refused."""
        leadership = cases["leadership"]
        agenda = meeting_agenda(any_engine, actor=PRINCIPAL)
        audit = audit_school_year(any_engine, YEAR, actor=PRINCIPAL)
        views = {
            "list": leadership in {c.id for c in any_engine.list_cases(actor=PRINCIPAL)},
            "agenda": leadership in {i.case_id for s in agenda.schools for i in s.items},
            "audit": leadership in {a.case_id for a in audit.cases},
            "outbox": leadership in {m.case_id for m in any_engine.outbox(actor=PRINCIPAL)},
        }
        assert dict.fromkeys(views, False) == views
        assert (1, ["hellerud"]) == (
            count_audit_cases(any_engine, YEAR, actor=PRINCIPAL),
            [s.school for s in agenda.schools],
        )
        with pytest.raises(NotPermitted, match="is not among the cases rektor may read as principal"):
            any_engine.get(leadership, actor=PRINCIPAL, read="export")

    def test_the_owner_sees_it_everywhere(self, any_engine: Engine, cases: dict[str, str]) -> None:
        """The owner, who acts for the principal in the case, finds it in every view."""
        leadership = cases["leadership"]
        agenda = meeting_agenda(any_engine, actor=OWNER)
        views = {
            "list": leadership in {c.id for c in any_engine.list_cases(actor=OWNER)},
            "agenda": leadership in {i.case_id for s in agenda.schools for i in s.items},
            "audit": leadership in {a.case_id for a in audit_school_year(any_engine, YEAR, actor=OWNER).cases},
            "outbox": leadership in {m.case_id for m in any_engine.outbox(actor=OWNER)},
            "export": export_json(any_engine, any_engine.get(leadership, actor=OWNER, read="export"))["id"]
            == leadership,
        }
        assert dict.fromkeys(views, True) == views


class TestAccessLog:
    def test_every_read_path_reaches_the_access_log(self, any_engine: Engine, cases: dict[str, str]) -> None:
        """show, JSON, export, list, agenda, audit, outbox, verify and the log itself: each leaves a record
        of its kind, by its reader, through the library."""
        ordinary = cases["ordinary"]
        any_engine.get(ordinary, actor=PRINCIPAL)
        any_engine.get(ordinary, actor=PRINCIPAL, read="json")
        exported = any_engine.get(ordinary, actor=PRINCIPAL, read="export")
        render_html(any_engine, exported)
        any_engine.list_cases(actor=PRINCIPAL)
        meeting_agenda(any_engine, actor=PRINCIPAL)
        audit_school_year(any_engine, YEAR, actor=PRINCIPAL)
        any_engine.outbox(actor=PRINCIPAL)
        any_engine.verify(ordinary, actor=PRINCIPAL)
        any_engine.access_log(ordinary, actor=PRINCIPAL)

        rows = logged(any_engine, ordinary)
        assert set(get_args(ReadKind)) == {kind for _, kind, _ in rows}
        assert {("rektor", "library")} == {(actor, face) for actor, _, face in rows}

    def test_the_dossier_ends_with_the_reads_its_own_included(self, any_engine: Engine, cases: dict[str, str]) -> None:
        """export_json's last key is the access log, whose last read is the export's own."""
        any_engine.list_cases(actor=OWNER)
        body = export_json(any_engine, any_engine.get(cases["ordinary"], actor=ADMIN, read="export"))
        expected = [("skoleeier@kommune.example", "list", "saksliste"), ("it-drift", "export", "eksport")]
        assert "access_log" == list(body)[-1]
        assert expected == [(r["actor_id"], r["kind"], r["kind_label"]) for r in body["access_log"]]

    @pytest.mark.parametrize("statement", ["UPDATE access_log SET actor_id = 'x'", "DELETE FROM access_log"])
    def test_the_log_is_append_only(self, any_engine: Engine, cases: dict[str, str], statement: str) -> None:
        """The database itself refuses to change or remove a record."""
        any_engine.get(cases["ordinary"], actor=OWNER)
        with pytest.raises(sa.exc.DatabaseError, match="access_log is append-only"):
            execute(sql_engine(any_engine), statement)
        assert [("skoleeier@kommune.example", "show", "library")] == logged(any_engine, cases["ordinary"])


class TestOutboxRetry:
    def park(self, engine: Engine, case_id: str) -> str:
        """Park the first message of a case as failed, as the dispatcher does after max_attempts."""
        [message, *_] = [m for m in engine.outbox(actor=ADMIN) if m.case_id == case_id]
        execute(sql_engine(engine), "UPDATE outbox SET status = 'failed', attempts = 5 WHERE id = :id", id=message.id)
        return message.id

    def test_only_operations_roles_within_their_scope_queue_a_message_again(
        self, any_engine: Engine, cases: dict[str, str]
    ) -> None:
        """Staff are refused; a principal of another school and the principal of a leadership case find no
        such message; the owner requeues it, and the requeue is logged as a read of the case's outbox."""
        leadership = self.park(any_engine, cases["leadership"])
        with pytest.raises(NotPermitted, match="cannot queue messages again"):
            any_engine.retry_message(leadership, actor=HOLDER)
        for outsider in (FURUSET_PRINCIPAL, PRINCIPAL):
            with pytest.raises(MessageNotFound):
                any_engine.retry_message(leadership, actor=outsider)
        assert "failed" == next(m.status for m in any_engine.outbox(actor=ADMIN) if m.id == leadership)

        requeued = any_engine.retry_message(leadership, actor=OWNER)
        assert ("pending", 0) == (requeued.status, requeued.attempts)
        assert (OWNER.id, "outbox", "library") == logged(any_engine, cases["leadership"])[-1]


class TestAuditOfReads:
    def test_reads_by_people_with_no_role_are_listed_on_request(
        self, any_engine: Engine, cases: dict[str, str]
    ) -> None:
        """An IT admin's read is a finding when the audit looks at reads; the principal's is not."""
        ordinary = cases["ordinary"]
        any_engine.get(ordinary, actor=ADMIN)
        any_engine.get(ordinary, actor=PRINCIPAL)
        plain = audit_school_year(any_engine, YEAR, "hellerud", actor=OWNER)
        with_reads = audit_school_year(any_engine, YEAR, "hellerud", actor=OWNER, reads=True)
        [case] = [a for a in with_reads.cases if a.case_id == ordinary]
        found = [
            (f.check, f.code, f.detail["actor_id"], f.detail["reads"]) for f in case.findings if f.check == "reads"
        ]
        assert [("reads", "read_without_role", "it-drift", 1)] == found
        assert (1, "") == (case.reads_without_role, next(iter(plain.cases)).csv_row()["reads_without_role"])


class TestMigration:
    def test_cases_stored_before_get_their_reporter_and_responsible(self, tmp_path: Path) -> None:
        """0001 -> 0004 records the reporter and the responsible of every stored case as parties."""
        db = create_db_engine(f"sqlite:///{tmp_path / 'old.db'}")
        upgrade(db, "0001")
        execute(
            db,
            "INSERT INTO cases (id, number, workflow, workflow_version, school, school_year, sequence, pupil, "
            "state, version, serious, responsible, opened_at, occurred_at, last_seq, head_hash, attributes) "
            "VALUES ('c-1', 'HEL-2026-0001', 'aktivitetsplikt', '2024-08', 'hellerud', '2026-2027', 1, 'p', "
            "'investigating', 3, 0, 't-18', '2026-09-02 08:00:00', '2026-09-02 08:00:00', 3, 'h', "
            """'{"reporter": "t-17"}')""",
        )
        upgrade(db)
        with db.connect() as conn:
            parties = set(conn.execute(sa.text("SELECT case_id, relation, person FROM case_parties")))
        db.dispose()
        assert {("c-1", "reporter", "t-17"), ("c-1", "responsible", "t-18")} == parties
