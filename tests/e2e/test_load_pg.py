"""Load on PostgreSQL (issue 12, item 4): 3 daemons and 2 writers for about a minute.

The harness is ``bench/load.py`` (the benchmark prints the same run's throughput and error count): real
``aktivitetsplikt daemon`` processes sweeping and dispatching every second, and two writer processes
opening overdue cases, adding notes and meeting the duties the sweeps are escalating. Nothing that is not
a rule's typed answer may reach a writer, no daemon job may fail, PostgreSQL must count no deadlock, and
every escalation step and its messages must be queued exactly once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import load

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.load]

WRITE_S = 30
"""How long the writers write; with seeding, start-up and the daemons' drain the test takes about a minute."""


def test_three_daemons_and_two_writers_no_deadlock_no_untyped_error_every_escalation_once(
    pg_url: str, tmp_path: Path
) -> None:
    result = load.run(pg_url, tmp_path, WRITE_S)
    summary = result.summary()
    print(f"load: {summary}")

    assert result.outcomes["ok"] > 0 and result.escalations > 0, summary
    assert (0, []) == (result.outcomes["untyped"], result.untyped), summary
    assert (0, 0) == (result.outcomes["busy"], result.outcomes["conflict"]), summary
    assert ([], []) == (result.job_failures, result.not_json), summary
    assert 0 == result.deadlocks, summary
    assert (0, 0) == (result.repeated_steps, result.repeated_messages), summary
    assert 0 == result.left_due, summary
    assert 0 == result.errors
