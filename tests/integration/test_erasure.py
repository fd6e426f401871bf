"""Retention and erasure on SQLite and PostgreSQL: the text is gone from every table and from the raw
database files, every chain still verifies, and every erasure is an event of its case."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import Engine, FixedClock, NotPermitted, TransitionNotAllowed
from aktivitetsplikt.engine.core.chain import GENESIS, event_hash, verify_chain
from aktivitetsplikt.engine.core.seal import ERASED
from aktivitetsplikt.storage.erasure import compact
from tests.conftest import ADMIN, OWNER, PRINCIPAL, TEACHER, drive_to, report_doc
from tests.integration.conftest import execute, sql_engine

SECRETS = (
    "elev-4711",
    "Eleven forteller om utestenging i friminuttene.",
    "Samtaler med eleven og klassen.",
    "Eleven vil ha voksne i friminuttene.",
    "kontaktlærer",
    "Voksen i friminuttene",
    "Eleven valgte tiltakene sammen med kontaktlærer.",
    "Eleven er trygg.",
)
"""Every pupil ref and free text ``drive_to`` documents: none of it may survive an erasure."""
LATER = timedelta(days=4 * 366)


def closed_case(engine: Engine, pupil_note: str = "") -> str:
    return drive_to(engine, "closed", description=f"Eleven forteller om utestenging i friminuttene.{pupil_note}")


def table_text(bind: sa.Engine) -> str:
    """Every row of every table, as text: what a SELECT of the whole database shows."""
    with bind.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
        return "\n".join(str(row) for t in tables for row in conn.execute(sa.text(f"SELECT * FROM {t}")))


def sqlite_bytes(bind: sa.Engine) -> bytes:
    """The raw database file and its -wal and -shm, as they lie on disk."""
    path = Path(str(bind.url.database))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def pg_bytes(bind: sa.Engine) -> bytes:
    """The raw files of every table, TOAST table and index of the schema, read by the server."""
    sql = """
        SELECT pg_relation_filepath(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 't', 'i') AND pg_relation_filepath(c.oid)
        IS NOT NULL
    """
    chunks = []
    with bind.connect() as conn:
        conn.execute(sa.text("CHECKPOINT"))
        for (path,) in conn.execute(sa.text(sql)).all():
            chunks.append(conn.scalar(sa.text("SELECT pg_read_binary_file(CAST(:p AS text))"), {"p": path}) or b"")
    return b"".join(chunks)


def raw_bytes(bind: sa.Engine) -> bytes:
    return sqlite_bytes(bind) if bind.dialect.name == "sqlite" else pg_bytes(bind)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def own_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on a database of its own (the raw files then hold this test's rows only)."""
    engine: Engine = request.getfixturevalue("engine" if request.param == "sqlite" else "pg_engine")
    yield engine


class TestRetention:
    def test_a_school_year_of_cases_leaves_no_text_in_any_table_or_file(
        self, own_engine: Engine, clock: FixedClock
    ) -> None:
        """After retention, no pupil ref or free text of an erased case is in any table, index or raw file
        (the database's own files: SQLite's file, -wal and -shm; PostgreSQL's tables, TOAST and indexes),
        an open case keeps its own, and every chain verifies."""
        engine, bind = own_engine, sql_engine(own_engine)
        ids = [closed_case(engine, f" Merke-{n:03d}.") for n in range(12)]
        kept = engine.report(
            workflow="aktivitetsplikt",
            school="hellerud",
            pupil="elev-open",
            document=report_doc(description="Apen sak, Merke-open."),
            actor=TEACHER,
        )
        marks = [f"Merke-{n:03d}".encode() for n in range(12)]
        assert all(mark in raw_bytes(bind) for mark in marks)  # the check can fail

        clock.set(clock.now() + LATER)
        due = engine.due_for_erasure()
        for step in due:
            engine.erase_expired(step.case_id)
        assert compact(bind)

        assert sorted(ids) == sorted(step.case_id for step in due)
        found, raw = table_text(bind), raw_bytes(bind)
        assert [] == [s for s in SECRETS if s in found]
        assert [] == [s for s in SECRETS if s.encode() in raw]
        assert [] == [m for m in marks if m in raw]
        assert (b"elev-open" in raw, "Merke-open" in found) == (True, True)
        for case_id in ids:
            case = engine.get(case_id, actor=ADMIN)
            assert (ERASED, "erased") == (case.pupil, (case.events or [])[-1].trigger)
            assert engine.verify(case_id, actor=ADMIN).intact
        assert engine.verify(kept.id, actor=ADMIN).intact

    def test_nothing_is_due_before_the_period_ends(self, engine: Engine, clock: FixedClock) -> None:
        """A case closed less than its workflow's years ago is kept."""
        closed_case(engine)
        clock.set(clock.now() + timedelta(days=2 * 365))

        assert [] == engine.due_for_erasure()


class TestErasureOnRequest:
    def test_the_owner_erases_a_closed_case_and_the_chain_verifies(self, engine: Engine) -> None:
        """The owner's erasure keeps number, dates and hashes and appends an event saying why."""
        case_id = closed_case(engine)
        before = engine.get(case_id, actor=ADMIN)

        engine.erase(case_id, actor=OWNER, reason="Saken ble opprettet på feil elev.")

        after = engine.get(case_id, actor=ADMIN)
        erasure = (after.events or [])[-1]
        assert (before.number, before.opened_at, before.closed_at) == (after.number, after.opened_at, after.closed_at)
        assert [e.hash for e in before.events or []] == [e.hash for e in (after.events or [])[:-1]]
        assert ("erased", "request", "skoleeier@kommune.example") == (
            erasure.trigger,
            erasure.document["basis"],
            erasure.actor_id,
        )
        assert [e.seq for e in before.events or []] == [item["seq"] for item in erasure.document["events"]]
        assert engine.verify(case_id, actor=ADMIN).intact
        assert ERASED == (after.events or [])[0].document["description"]

    def test_the_dossier_of_an_erased_case_shows_the_erasure_and_no_text(self, engine: Engine) -> None:
        """The dossier still renders: the steps, the erasure step by its name, no erased text."""
        from aktivitetsplikt.engine.reports.export import render_html

        case_id = closed_case(engine)
        engine.erase(case_id, actor=OWNER, reason="Feil elev.")

        page = render_html(engine, engine.get(case_id, actor=ADMIN, read="export"))

        assert ("Innhold slettet" in page, ERASED in page) == (True, True)
        assert [] == [s for s in SECRETS if s in page]

    def test_only_the_owner_erases(self, engine: Engine) -> None:
        """The principal may not erase; nothing changes."""
        case_id = closed_case(engine)

        with pytest.raises(NotPermitted, match="owner"):
            engine.erase(case_id, actor=PRINCIPAL, reason="Feil elev.")

        assert "elev-4711" == engine.get(case_id, actor=ADMIN).pupil

    def test_an_open_case_is_refused(self, engine: Engine) -> None:
        """While the case runs, its documentation is owed."""
        case_id = drive_to(engine, "measures_active")

        with pytest.raises(TransitionNotAllowed, match="not closed"):
            engine.erase(case_id, actor=OWNER, reason="Feil elev.")

    def test_a_broken_chain_is_refused(self, any_engine: Engine) -> None:
        """Erasing a tampered log would hide the tampering."""
        case_id = closed_case(any_engine)
        execute(
            sql_engine(any_engine), "UPDATE case_events SET occurred_at = at WHERE case_id = :c AND seq = 2", c=case_id
        )

        with pytest.raises(TransitionNotAllowed, match="broken at event 2"):
            any_engine.erase(case_id, actor=OWNER, reason="Feil elev.")


class TestChain:
    def test_an_event_erased_without_an_erasure_event_is_found(self, any_engine: Engine) -> None:
        """Erasing text by hand (keeping the leaf hash, dropping the erasure event) breaks verification."""
        case_id = closed_case(any_engine)
        any_engine.erase(case_id, actor=OWNER, reason="Feil elev.")
        case = any_engine.get(case_id, actor=ADMIN)
        events = (case.events or [])[:-1]

        verdict = verify_chain(case.id, events, events[-1].hash)

        assert (False, 1, "text was erased without an erasure event") == (
            verdict.intact,
            verdict.broken_at,
            verdict.problem,
        )

    def test_events_recorded_before_seals_are_erased_and_still_verify(self, engine: Engine, clock: FixedClock) -> None:
        """A log of chain format 1 (no seals) verifies as before, is erased, and verifies after."""
        case_id = closed_case(engine)
        bind = sql_engine(engine)
        case = engine.get(case_id, actor=ADMIN)
        prev = GENESIS
        for e in case.events or []:
            old = replace(e, seal=None, prev_hash=prev)
            digest = event_hash(
                prev,
                case_id=old.case_id,
                seq=old.seq,
                at=old.at,
                occurred_at=old.occurred_at,
                actor_id=old.actor_id,
                actor_role=old.actor_role,
                trigger=old.trigger,
                from_state=old.from_state,
                to_state=old.to_state,
                document=old.document,
            )
            execute(
                bind,
                "UPDATE case_events SET seal = NULL, effects = NULL, prev_hash = :p, hash = :h "
                "WHERE case_id = :c AND seq = :s",
                p=prev,
                h=digest,
                c=case_id,
                s=e.seq,
            )
            prev = digest
        execute(bind, "UPDATE cases SET head_hash = :h WHERE id = :c", h=prev, c=case_id)
        assert engine.verify(case_id, actor=ADMIN).intact

        engine.erase(case_id, actor=OWNER, reason="Feil elev.")

        assert engine.verify(case_id, actor=ADMIN).intact
        assert [] == [s for s in SECRETS if s in table_text(bind)]
        assert TEACHER.id == engine.get(case_id, actor=ADMIN).attributes["reporter"]
