"""The CLI when PostgreSQL is busy or gone (issue 12, item 2): exit 5 with a Norwegian sentence that says
which it is; never "check database.url", never a traceback, never the driver's text or a pupil ref."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import report_doc
from tests.e2e.conftest import run_cli, write_doc

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

PUPIL = "elev-hemmelig-4711"
STAFF = ("--actor-id", "t-17", "--actor-role", "staff")


def quiet(result: subprocess.CompletedProcess[str]) -> None:
    """Nothing a person should not see: no traceback, no driver text, no pupil ref, no advice to fix a URL."""
    for leak in ("Traceback", "psycopg", "OperationalError", PUPIL, "database.url"):
        assert leak not in result.stdout + result.stderr, result.stderr


def test_an_unreachable_server_exits_5_saying_so(config_file: Path, pg_url: str) -> None:
    url = sa.engine.make_url(pg_url).set(host="127.0.0.1", port=1).render_as_string(hide_password=False)
    env = {"AKTIVITETSPLIKT_DATABASE__URL": url}

    plain = run_cli(config_file, "cases", env=env, check=5)
    machine = run_cli(config_file, "cases", "--json", env=env, check=5)

    assert plain.stderr.startswith("Feil: Databasen 127.0.0.1:1/")
    assert "svarer ikke" in plain.stderr
    assert "DatabaseUnavailable" == json.loads(machine.stderr)["error"]
    quiet(plain)


def test_a_lock_held_too_long_exits_5_as_busy_and_stores_nothing(
    config_file: Path, pg_url: str, tmp_path: Path
) -> None:
    env = {"AKTIVITETSPLIKT_DATABASE__URL": pg_url + "?options=-c%20lock_timeout%3D300ms"}
    run_cli(config_file, "db", "upgrade", env=env)
    args = ("case", "report", "--workflow", "aktivitetsplikt", "--school", "hellerud", "--pupil", PUPIL)
    case = json.loads(
        run_cli(config_file, *args, "--doc", write_doc(tmp_path, "r", report_doc()), *STAFF, "--json", env=env).stdout
    )
    note = write_doc(tmp_path, "note", {"text": "Samtale med eleven."})
    db = sa.create_engine(pg_url)
    try:
        with db.connect() as holder, holder.begin():
            holder.execute(sa.text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": case["id"]})
            fire = ("case", "fire", case["number"], "add_note", "--doc", note, *STAFF)
            plain = run_cli(config_file, *fire, env=env, check=5)
            machine = run_cli(config_file, *fire, "--json", env=env, check=5)
        with db.connect() as conn:
            events = conn.scalar(sa.text("SELECT count(*) FROM case_events WHERE case_id = :id"), {"id": case["id"]})
    finally:
        db.dispose()

    assert plain.stderr.startswith("Feil: Databasen er opptatt (en lås ble ikke ledig i tide)")
    assert "DatabaseBusy" == json.loads(machine.stderr)["error"]
    assert 1 == events
    quiet(plain)
