"""SIGKILL of the daemon mid-dispatch (design section 8): no message lost, duplicates only for sends not
yet recorded.

300 notices wait in a SQLite outbox; the SMTP server takes 10 ms to answer each mail. The daemon is killed
(SIGKILL: no handler, no clean-up) once a third of the mails arrived, restarted, killed again at two thirds,
and restarted once more. The dispatcher records each message as sent right after the server took it, so a
kill can cost at most the one mail in flight: it is sent again, with the same Message-ID.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from structlog.testing import capture_logs

from tests.e2e.daemon_support import (
    DaemonProcess,
    Sink,
    ago,
    db_of,
    message_id,
    open_case,
    outbox_status,
    rows,
    seeding_engine,
    smtp_server,
    wait_until,
    write_config,
)

pytestmark = pytest.mark.e2e

MESSAGES = 300
KILL_AT = (MESSAGES // 3, 2 * MESSAGES // 3)


class TestSigkillMidDispatch:
    def test_no_message_is_lost_and_each_kill_costs_at_most_one_duplicate(self, tmp_path: Path) -> None:
        """After two SIGKILLs and restarts all 300 mails arrived, all 300 are sent, duplicates <= kills."""
        sink = Sink(delay=0.01)
        daemons: list[DaemonProcess] = []
        with smtp_server(sink) as smtp:
            config = write_config(tmp_path, database_url=f"sqlite:///{tmp_path / 'daemon.db'}", smtp_port=smtp.port)
            # Reported and notified minutes ago: the notices are due, the next duty (start_investigation,
            # two school days) is not, so the outbox holds exactly the 300 notices.
            engine = seeding_engine(config, ago(minutes=1))
            with capture_logs():
                for n in range(MESSAGES):
                    open_case(engine, pupil=f"elev-{n}", notify=True)
            db = db_of(engine)
            assert {"pending": MESSAGES} == outbox_status(db)
            expected = {message_id(row.id) for row in rows(db, "SELECT id FROM outbox WHERE kind = 'notice'")}
            try:
                for run, threshold in enumerate(KILL_AT, start=1):
                    daemon = DaemonProcess(config, tmp_path / f"daemon-{run}.log").start()
                    daemons.append(daemon)
                    wait_until(sink.at_least(threshold), what=f"{threshold} mails")
                    daemon.kill()
                    assert daemon.events("message_sent"), daemon.text()[-2000:]
                last = DaemonProcess(config, tmp_path / "daemon-last.log").start()
                daemons.append(last)
                wait_until(
                    lambda: expected <= sink.distinct() and {"sent": MESSAGES} == outbox_status(db),
                    what="every mail delivered and recorded as sent",
                )
            finally:
                for daemon in daemons:
                    daemon.stop()
            # Every daemon is gone now, so the figures below are final.
            status = outbox_status(db)
            attempts = {message_id(r.id): r.attempts for r in rows(db, "SELECT id, attempts FROM outbox")}
            db.dispose()

        duplicates = sink.received() - len(sink.distinct())
        print(f"duplicates after {len(KILL_AT)} SIGKILLs: {duplicates}")
        assert expected == sink.distinct()
        assert {"sent": MESSAGES} == status
        assert duplicates <= len(KILL_AT)
        resent = {mid for mid in sink.distinct() if sink.ids.count(mid) > 1}
        # A mail that arrived twice was claimed by a daemon that died before recording it: attempts >= 2.
        assert set() == {mid for mid in resent if attempts[mid] < 2}
