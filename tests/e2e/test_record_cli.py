"""The record's commands as a person runs them: checkpoint keygen, checkpoint, verify --checkpoint, case
verify naming a changed field, and a sweep in the past that leaves a case alone (issue 11)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli
from tests.e2e.test_cli import ago, report

pytestmark = pytest.mark.e2e


@pytest.fixture
def keyed(cli: Cli, tmp_path: Path) -> dict[str, str]:
    """The environment of a deployment with a checkpoint key (made by keygen) and a checkpoint folder."""
    key = tmp_path / "secret" / "checkpoint.pem"
    key.parent.mkdir()
    made = cli("checkpoint", "keygen", "--out", str(key))
    assert made.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    return {
        "AKTIVITETSPLIKT_CHECKPOINT__KEY_FILE": str(key),
        "AKTIVITETSPLIKT_CHECKPOINT__FOLDER": str(tmp_path / "checkpoints"),
    }


def rechain_with_edit(db_path: Path) -> None:
    """What an insider without the key can do: edit a document and recompute every hash after it."""
    from aktivitetsplikt.engine.core.chain import GENESIS, event_hash

    db = sqlite3.connect(db_path)
    rows = db.execute(
        "SELECT id, case_id, seq, at, occurred_at, actor_id, actor_role, trigger, from_state, to_state, document, "
        "effects, seal FROM case_events ORDER BY case_id, seq"
    ).fetchall()
    prev = GENESIS
    from datetime import UTC, datetime

    for row_id, case_id, seq, at, occurred, actor, role, trigger, source, dest, document, effects, seal in rows:
        doc = json.loads(document) | ({"description": "Omskrevet."} if seq == 1 else {})
        digest = event_hash(
            prev if seq > 1 else GENESIS,
            case_id=case_id,
            seq=seq,
            at=datetime.fromisoformat(at).replace(tzinfo=UTC),
            occurred_at=datetime.fromisoformat(occurred).replace(tzinfo=UTC),
            actor_id=actor,
            actor_role=role,
            trigger=trigger,
            from_state=source,
            to_state=dest,
            document=doc,
            effects=json.loads(effects),
            seal=json.loads(seal) if seal else None,
        )
        db.execute(
            "UPDATE case_events SET document = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (json.dumps(doc), prev if seq > 1 else GENESIS, digest, row_id),
        )
        db.execute("UPDATE cases SET head_hash = ? WHERE id = ?", (digest, case_id))
        prev = digest
    db.commit()
    db.close()


class TestCheckpoint:
    def test_a_rechained_database_passes_case_verify_but_not_the_checkpoint(
        self, cli: Cli, tmp_path: Path, keyed: dict[str, str]
    ) -> None:
        """The chain is recomputed without the key: case verify sees nothing, verify --checkpoint exits 1."""
        case = report(cli, tmp_path)
        written = json.loads(cli("checkpoint", "--json", env=keyed).stdout)
        assert 1 == written["count"]
        path = Path(written["path"])
        assert 0o600 == path.stat().st_mode & 0o777
        assert 0 == cli("verify", "--checkpoint", str(path), env=keyed).returncode

        rechain_with_edit(tmp_path / "aktivitetsplikt.db")

        assert json.loads(cli("case", "verify", case["id"], "--json").stdout)["intact"]
        caught = cli("verify", "--checkpoint", str(path), "--json", env=keyed, check=1)
        assert [("rewritten", case["id"])] == [(f["code"], f["case_id"]) for f in json.loads(caught.stdout)["findings"]]
        assert "skrevet om" in cli("verify", "--checkpoint", str(path), env=keyed, check=1).stderr

    def test_without_a_key_the_checkpoint_is_refused(self, cli: Cli, tmp_path: Path) -> None:
        """No key configured: exit 5 and a sentence that says what to set; nothing written."""
        result = cli("checkpoint", env={"AKTIVITETSPLIKT_CHECKPOINT__FOLDER": str(tmp_path / "cp")}, check=5)
        assert "AKTIVITETSPLIKT_CHECKPOINT__KEY" in result.stderr
        assert not (tmp_path / "cp").exists()


class TestCaseVerify:
    def test_a_changed_responsible_is_named(self, cli: Cli, tmp_path: Path) -> None:
        """An UPDATE of the responsible: case verify exits 1 and names cases.responsible."""
        case = report(cli, tmp_path)
        db = sqlite3.connect(tmp_path / "aktivitetsplikt.db")
        db.execute("UPDATE cases SET responsible = 't-99'")
        db.commit()
        db.close()
        result = cli("case", "verify", case["id"], "--json", check=1)
        found = json.loads(result.stdout)
        assert (True, ["cases.responsible"]) == (found["chain_intact"], [d["field"] for d in found["differences"]])
        assert "cases.responsible" in cli("case", "verify", case["id"], check=1).stderr


class TestSweepInThePast:
    def test_a_sweep_before_the_latest_event_names_the_case_and_writes_nothing(self, cli: Cli, tmp_path: Path) -> None:
        """Reported now about an incident 40 days ago: a sweep as of 10 days ago, when the duty was already
        overdue, would write before the report itself; it leaves the case alone and says so."""
        case = report(cli, tmp_path, occurred_at=ago(days=40))
        result = json.loads(cli("sweep", "--now", ago(days=10), "--json").stdout)
        assert ([], [case["number"]]) == (result["queued"], result["skipped"])
        assert 1 == len(json.loads(cli("case", "show", case["id"], "--json").stdout)["events"])
        assert "loggen skrives aldri bakover" in cli("sweep", "--now", ago(days=10)).stdout
        assert json.loads(cli("sweep", "--json").stdout)["queued"]  # now: the ladder is taken
