"""Two daemons on one PostgreSQL (design section 8): every escalation queued exactly once, every mail sent
once, and the work shared between them.

1,000 cases with a notify_principal duty a month overdue: the first is reported through the engine, the
others are copies of its rows made with SQL (their hash chains name the first case's id, so only the first
case's chain is verified). Each duty owes two ladder steps: level 1 to the reporter and the principal (here
the principal reported, so one address), level 2 to the school owner. The two daemons must take 2,000 steps
and send 2,000 mails between them. (More mails would only make the test slower: SMTP is its bottleneck.)

A second test gives the dispatchers a lease shorter than a batch takes to send to a slow server.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from structlog.testing import capture_logs

from aktivitetsplikt.engine import Actor, Engine
from tests.conftest import ADMIN
from tests.e2e.daemon_support import (
    DaemonProcess,
    Sink,
    ago,
    db_of,
    message_id,
    open_case,
    rows,
    scalar,
    seeding_engine,
    smtp_server,
    stop_all,
    wait_until,
    write_config,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

CASES = 1000
PRINCIPAL = "rektor@hellerud.example"
OWNER = "skoleeier@kommune.example"
LADDER = {(1, PRINCIPAL), (2, OWNER)}
# A staff member who is the principal: the level-1 step to "reporter and principal" is one mail.
REPORTER = Actor(id=PRINCIPAL, role="staff", school="hellerud")

CLONE_SQL = (
    """
    INSERT INTO cases (id, number, workflow, workflow_version, school, school_year, sequence, pupil, state,
                       version, serious, responsible, opened_at, closed_at, occurred_at, last_seq, head_hash,
                       attributes)
    SELECT md5(c.id || n)::uuid::text, regexp_replace(c.number, '[0-9]+$', lpad(n::text, 4, '0')), c.workflow,
           c.workflow_version, c.school, c.school_year, n, c.pupil || '-' || n, c.state, c.version, c.serious,
           c.responsible, c.opened_at, c.closed_at, c.occurred_at, c.last_seq, c.head_hash, c.attributes
    FROM cases c, generate_series(2, :count) AS n WHERE c.id = :first
    """,
    """
    INSERT INTO case_events (case_id, seq, at, occurred_at, actor_id, actor_role, trigger, from_state, to_state,
                             document, prev_hash, hash)
    SELECT md5(e.case_id || n)::uuid::text, e.seq, e.at, e.occurred_at, e.actor_id, e.actor_role, e.trigger,
           e.from_state, e.to_state, e.document, e.prev_hash, e.hash
    FROM case_events e, generate_series(2, :count) AS n WHERE e.case_id = :first
    """,
    """
    INSERT INTO obligations (id, case_id, kind, due_at, responsible_role, created_seq, satisfied_at,
                             satisfied_by_seq, escalation_level, next_escalation_at)
    SELECT md5(o.id || n)::uuid::text, md5(o.case_id || n)::uuid::text, o.kind, o.due_at, o.responsible_role,
           o.created_seq, o.satisfied_at, o.satisfied_by_seq, o.escalation_level, o.next_escalation_at
    FROM obligations o, generate_series(2, :count) AS n WHERE o.case_id = :first
    """,
)


def seed(config: Path) -> tuple[Engine, str]:
    """CASES open cases, each with one notify_principal duty overdue for a month. Returns the seeding
    engine and the id of the case reported through it."""
    engine = seeding_engine(config, ago(days=30))
    with capture_logs():
        first = open_case(engine, pupil="elev", notify=False, reporter=REPORTER)
    db = db_of(engine)
    with db.begin() as conn:
        for statement in CLONE_SQL:
            conn.execute(sa.text(statement), {"count": CASES, "first": first})
    assert engine.verify(first, actor=ADMIN).intact
    return engine, first


def seed_notices(config: Path, count: int) -> sa.Engine:
    """``count`` pending notices: one queued by the engine, the others SQL copies of it (new ids)."""
    engine = seeding_engine(config, ago(minutes=1))
    with capture_logs():
        open_case(engine, pupil="elev", notify=True)
    db = db_of(engine)
    with db.begin() as conn:
        conn.execute(
            sa.text(
                """
                INSERT INTO outbox (id, case_id, kind, obligation, obligation_id, level, recipient_role, address,
                                    payload, status, attempts, created_at, next_attempt_at, sent_at, last_error)
                SELECT md5(o.id || n)::uuid::text, o.case_id, o.kind, o.obligation, o.obligation_id, o.level,
                       o.recipient_role, o.address, o.payload, o.status, o.attempts, o.created_at,
                       o.next_attempt_at, o.sent_at, o.last_error
                FROM outbox o, generate_series(2, :count) AS n
                """
            ),
            {"count": count},
        )
    return db


def unfinished(db: sa.Engine) -> int:
    """Duties due now plus messages not yet sent."""
    due = scalar(db, "SELECT count(*) FROM obligations WHERE satisfied_at IS NULL AND next_escalation_at <= now()")
    waiting = scalar(db, "SELECT count(*) FROM outbox WHERE status <> 'sent'")
    return int(due) + int(waiting)


class TestTwoDaemonsOnPostgres:
    def test_every_step_and_mail_exactly_once_and_both_daemons_work(self, pg_url: str, tmp_path: Path) -> None:
        """2,000 ladder steps, 2,000 outbox rows and mails, none twice, both daemons sweeping and sending."""
        sink = Sink()
        with smtp_server(sink) as smtp:
            config = write_config(tmp_path, database_url=pg_url, smtp_port=smtp.port, batch_size=100)
            engine, first = seed(config)
            db = db_of(engine)
            duties = {r.id for r in rows(db, "SELECT id FROM obligations")}
            assert CASES == len(duties)
            daemons = [DaemonProcess(config, tmp_path / f"daemon-{n}.log") for n in (1, 2)]
            try:
                for daemon in daemons:
                    daemon.start()
                wait_until(
                    lambda: alive(daemons) and sink.received() >= len(duties) * len(LADDER) and unfinished(db) == 0,
                    what="every duty escalated and every message sent",
                )
                logged = wait_until(
                    lambda: logged_work(daemons, len(duties)), timeout=10, what="every step and send in the logs"
                )
            finally:
                stop_all(daemons)

            steps = rows(
                db,
                "SELECT document->>'obligation_id' AS duty, (document->>'level')::int AS level, count(*) AS n "
                "FROM case_events WHERE trigger = 'escalated' GROUP BY 1, 2",
            )
            outbox = rows(db, "SELECT id, obligation_id, level, address, status FROM outbox")
            chain_intact = engine.verify(first, actor=ADMIN).intact
            db.dispose()

        assert {(duty, level) for duty in duties for level in (1, 2)} == {(s.duty, s.level) for s in steps}
        assert {1} == {s.n for s in steps}
        expected_rows = {(duty, level, address) for duty in duties for level, address in LADDER}
        assert len(expected_rows) == len(outbox)
        assert expected_rows == {(m.obligation_id, m.level, m.address) for m in outbox}
        assert {"sent"} == {m.status for m in outbox}
        received = Counter(sink.ids)
        assert {message_id(m.id) for m in outbox} == set(received)
        assert {1} == set(received.values())
        assert chain_intact

        # The dispatch job runs for many seconds, so the scheduler reports skipped runs: in JSON too.
        assert [[], []] == [d.not_json()[:5] for d in daemons]
        escalated, sent = logged
        print(f"two daemons: escalation steps {escalated}, mails sent {sent}")
        assert all(n > 0 for n in escalated), f"a daemon took no ladder step: {escalated}"
        assert all(n > 0 for n in sent), f"a daemon sent no mail: {sent}"


def alive(daemons: list[DaemonProcess]) -> bool:
    """True while every daemon runs; fails with the log of one that died."""
    for daemon in daemons:
        assert daemon.running(), f"daemon exited with {daemon.returncode()}:\n{daemon.text()[-3000:]}"
    return True


def logged_work(daemons: list[DaemonProcess], duties: int) -> tuple[list[int], list[int]] | None:
    """Per daemon the ladder steps (``escalated``) and mails (``message_sent``) it logged, once the sums
    account for all the work."""
    escalated = [len(d.events("escalated")) for d in daemons]
    sent = [len(d.events("message_sent")) for d in daemons]
    if sum(escalated) < duties * 2 or sum(sent) < duties * len(LADDER):
        return None
    return escalated, sent


class TestLeaseShorterThanABatch:
    def test_a_slow_server_does_not_make_two_daemons_send_one_mail_twice(self, pg_url: str, tmp_path: Path) -> None:
        """A batch that takes longer to send than its lease is not sent by both daemons: each mail once."""
        count = 100
        sink = Sink(delay=0.03)  # 100 mails take > 3 s, the lease is 1 s
        with smtp_server(sink) as smtp:
            config = write_config(
                tmp_path, database_url=pg_url, smtp_port=smtp.port, claim_lease="1s", batch_size=count
            )
            db = seed_notices(config, count)
            daemons = [DaemonProcess(config, tmp_path / f"daemon-{n}.log") for n in (1, 2)]
            try:
                for daemon in daemons:
                    daemon.start()
                wait_until(
                    lambda: alive(daemons) and unfinished(db) == 0 and sink.received() >= count,
                    what="every notice sent",
                )
            finally:
                stop_all(daemons)
            ids = {message_id(r.id) for r in rows(db, "SELECT id FROM outbox")}
            db.dispose()

        received = Counter(sink.ids)
        assert ids == set(received)
        assert {} == {mid: n for mid, n in received.items() if n > 1}
