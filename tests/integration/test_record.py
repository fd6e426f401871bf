"""Issue 11: a record an insider with write access to the database cannot quietly rewrite.

Every kind of direct edit the issue lists, and every other column that carries a case's truth, is made
with raw SQL on SQLite and on PostgreSQL; then ``verify`` (the chain, the rows replayed from the log, the
numbering) and a signed checkpoint taken before the edit must catch it, each naming what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from aktivitetsplikt.engine import Engine, FixedClock
from aktivitetsplikt.engine.app import checkpoints
from aktivitetsplikt.engine.core.chain import event_hash
from aktivitetsplikt.engine.reports.audit import audit_school_year
from aktivitetsplikt.storage.repository import event_from_row
from aktivitetsplikt.storage.tables import CaseRow, EventRow, ObligationRow, OutboxRow, PartyRow
from tests.conftest import ADMIN, PRINCIPAL, TEACHER, drive_to, report_doc
from tests.integration.conftest import execute

YEAR = "2026-2027"


@dataclass
class Scene:
    """Three cases at Hellerud, numbered 1 to 3: ``a`` serious, planning, its duties escalated and
    messages queued; ``b`` investigating; ``c`` just reported (the last number)."""

    a: str
    b: str
    c: str
    open_duty: str
    met_duty: str
    message: str


def build(engine: Engine, clock: FixedClock) -> Scene:
    a = drive_to(engine, "planning")
    b = drive_to(engine, "investigating")
    c = drive_to(engine, "reported")
    clock.advance(days=1)
    engine.fire(a, "assess_seriousness", {"serious": True, "reason": "Vold."}, PRINCIPAL)
    clock.advance(days=30)
    assert engine.sweep()
    case = engine.get(a, actor=ADMIN)
    open_duty = next(o for o in case.obligations if o.open and o.escalation_level is not None)
    met_duty = next(o for o in case.obligations if not o.open)
    with engine.uow() as uow:
        message = uow.reports.outbox_of([a])[a][0]
    return Scene(a, b, c, open_duty.id, met_duty.id, message.id)


def update(db: sa.Engine, table: Any, where: Any, **values: Any) -> None:
    with db.begin() as conn:
        assert conn.execute(sa.update(table).where(where).values(**values)).rowcount >= 1


def delete_case(db: sa.Engine, case_id: str) -> None:
    """Every row of a case, the way an insider would remove it (the access log's rows are append-only,
    so the scene never reads the cases it deletes)."""
    for table in ("outbox", "obligations", "case_parties", "case_events"):
        execute(db, f"DELETE FROM {table} WHERE case_id = :id", id=case_id)
    execute(db, "DELETE FROM cases WHERE id = :id", id=case_id)


def rewrite_document(db: sa.Engine, case_id: str) -> None:
    """Edit event 2's documentation and recompute the whole chain from there, as one without the key can."""
    with db.begin() as conn:
        rows = conn.execute(sa.select(EventRow).where(EventRow.case_id == case_id).order_by(EventRow.seq)).all()
        prev = rows[0].hash
        for row in rows[1:]:
            event = event_from_row(row)
            document = event.document | {"summary": "Omskrevet."} if event.seq == 2 else event.document
            fields = {k: getattr(event, k) for k in ("seq", "at", "occurred_at", "actor_id", "actor_role")}
            digest = event_hash(
                prev,
                case_id=case_id,
                trigger=event.trigger,
                from_state=event.from_state,
                to_state=event.to_state,
                document=document,
                effects=event.effects,
                seal=event.seal,
                **fields,
            )
            conn.execute(
                sa.update(EventRow).where(EventRow.id == row.id).values(document=document, prev_hash=prev, hash=digest)
            )
            prev = digest
        conn.execute(sa.update(CaseRow).where(CaseRow.id == case_id).values(head_hash=prev))


Edit = Callable[[sa.Engine, Scene], None]
C, D, M = CaseRow, ObligationRow, OutboxRow


def _case(**values: Any) -> Edit:
    return lambda db, s: update(db, C, C.id == s.a, **values)


def _duty(which: str, **values: Any) -> Edit:
    return lambda db, s: update(db, D, D.id == getattr(s, which), **values)


def _message(**values: Any) -> Edit:
    return lambda db, s: update(db, M, M.id == s.message, **values)


def _shift(column: str, which: str = "open_duty", days: int = 7) -> Edit:
    def edit(db: sa.Engine, s: Scene) -> None:
        table, row_id = (C, s.a) if which == "case" else (D, getattr(s, which))
        with db.begin() as conn:
            value = conn.scalar(sa.select(getattr(table, column)).where(table.id == row_id))
            conn.execute(sa.update(table).where(table.id == row_id).values({column: value + timedelta(days=days)}))

    return edit


def _met_on_time(db: sa.Engine, s: Scene) -> None:
    with db.begin() as conn:
        due = conn.scalar(sa.select(D.due_at).where(D.id == s.open_duty))
        conn.execute(
            sa.update(D)
            .where(D.id == s.open_duty)
            .values(satisfied_at=due - timedelta(hours=1), satisfied_by_seq=3, next_escalation_at=None)
        )


def _add_party(db: sa.Engine, s: Scene) -> None:
    with db.begin() as conn:
        conn.execute(sa.insert(PartyRow).values(case_id=s.a, relation="responsible", person="innsider"))


def _closed_at(db: sa.Engine, s: Scene) -> None:
    with db.begin() as conn:
        opened = conn.scalar(sa.select(C.opened_at).where(C.id == s.a))
        conn.execute(sa.update(C).where(C.id == s.a).values(closed_at=opened))


def _created_at(db: sa.Engine, s: Scene) -> None:
    with db.begin() as conn:
        at = conn.scalar(sa.select(M.created_at).where(M.id == s.message))
        conn.execute(sa.update(M).where(M.id == s.message).values(created_at=at - timedelta(days=1)))


def _reuse_last_number(db: sa.Engine, s: Scene, engine: Engine) -> None:
    delete_case(db, s.c)
    engine.report(workflow="aktivitetsplikt", school="hellerud", pupil="elev-1", document=report_doc(), actor=TEACHER)


# name, the edit, what verify of case a names (field prefixes; "numbering:<code>"; "chain"), checkpoint codes
EDITS: list[tuple[str, Edit, set[str], set[str]]] = [
    ("move to another pupil", _case(pupil="elev-999"), {"cases.pupil"}, set()),
    ("move to another school", _case(school="furuset"), {"cases.school"}, {"moved"}),
    ("change a duty's due date", _shift("due_at"), {"obligations.{open_duty}.due_at"}, set()),
    ("mark an overdue duty met on time", _met_on_time, {"obligations.{open_duty}.satisfied_at"}, set()),
    ("delete a duty", lambda db, s: execute(db, "DELETE FROM obligations WHERE id = :i", i=s.open_duty),
     {"obligations.{open_duty}"}, set()),
    ("delete outbox rows", lambda db, s: execute(db, "DELETE FROM outbox WHERE case_id = :i", i=s.a),
     {"outbox.{message}"}, set()),
    ("change serious", _case(serious=False), {"cases.serious"}, set()),
    ("change the responsible", _case(responsible="t-99"), {"cases.responsible"}, set()),
    ("delete a whole case", lambda db, s: delete_case(db, s.b), {"numbering:missing"}, {"removed"}),
    ("edit a document and recompute the chain", lambda db, s: rewrite_document(db, s.a), set(), {"rewritten"}),
    # every other column that carries the case's truth
    ("cases.number", _case(number="HEL-2026-0042"), {"cases.number", "numbering:duplicate"}, {"moved"}),
    ("cases.workflow", _case(workflow="skjerpa_aktivitetsplikt"), {"cases.workflow"}, set()),
    ("cases.workflow_version", _case(workflow_version="2026-12"), {"cases.workflow_version"}, set()),
    ("cases.school_year", _case(school_year="2025-2026"), {"cases.school_year"}, {"moved"}),
    ("cases.sequence", _case(sequence=7), {"numbering:duplicate"}, set()),
    ("cases.state", _case(state="closed"), {"cases.state"}, set()),
    ("cases.version", _case(version=99), {"cases.version"}, set()),
    ("cases.opened_at", _shift("opened_at", "case", -3), {"cases.opened_at"}, {"moved"}),
    ("cases.closed_at", _closed_at, {"cases.closed_at"}, set()),
    ("cases.occurred_at", _shift("occurred_at", "case", -3), {"cases.occurred_at"}, set()),
    ("cases.last_seq", _case(last_seq=3), {"cases.last_seq"}, set()),
    ("cases.head_hash", _case(head_hash="0" * 64), {"chain", "cases.head_hash"}, set()),
    ("cases.attributes", _case(attributes={"reporter": "t-99"}), {"cases.attributes.reporter"}, set()),
    ("obligations.kind", _duty("open_duty", kind="evaluate"), {"obligations.{open_duty}.kind"}, set()),
    ("obligations.responsible_role", _duty("open_duty", responsible_role="principal"),
     {"obligations.{open_duty}.responsible_role"}, set()),
    ("obligations.created_seq", _duty("open_duty", created_seq=1), {"obligations.{open_duty}.created_seq"}, set()),
    ("obligations.satisfied_at", _shift("satisfied_at", "met_duty", -1), {"obligations.{met_duty}.satisfied_at"},
     set()),
    ("obligations.satisfied_by_seq", _duty("met_duty", satisfied_by_seq=1),
     {"obligations.{met_duty}.satisfied_by_seq"}, set()),
    ("obligations.escalation_level", _duty("open_duty", escalation_level=0),
     {"obligations.{open_duty}.escalation_level"}, set()),
    ("obligations.next_escalation_at", _duty("open_duty", next_escalation_at=datetime(2027, 1, 1, tzinfo=UTC)),
     {"obligations.{open_duty}.next_escalation_at"}, set()),
    ("obligations.key", _duty("open_duty", key="x"), {"obligations.{open_duty}.key"}, set()),
    ("outbox.kind", _message(kind="forged"), {"outbox.{message}.kind"}, set()),
    ("outbox.obligation", _message(obligation="x"), {"outbox.{message}.obligation"}, set()),
    ("outbox.obligation_id", _message(obligation_id="x"), {"outbox.{message}.obligation_id"}, set()),
    ("outbox.level", _message(level=5), {"outbox.{message}.level"}, set()),
    ("outbox.recipient_role", _message(recipient_role="staff"), {"outbox.{message}.recipient_role"}, set()),
    ("outbox.address", _message(address="innsider@example.org"), {"outbox.{message}.address"}, set()),
    ("outbox.payload", _message(payload={"case_number": "HEL-2026-0099"}), {"outbox.{message}.payload"}, set()),
    ("outbox.created_at", _created_at, {"outbox.{message}.created_at"}, set()),
    ("case_parties", _add_party, {"case_parties"}, set()),
    ("case_events.actor_id", lambda db, s: update(db, EventRow, EventRow.case_id == s.a, actor_id="t-99"),
     {"chain"}, set()),
]  # fmt: skip


def caught_by_verify(engine: Engine, scene: Scene, case_id: str) -> set[str]:
    verdict = engine.verify(case_id, actor=ADMIN)
    named = {d.field for d in verdict.differences} | {f"numbering:{n.code}" for n in verdict.numbering}
    return named | ({"chain"} if not verdict.chain.intact else set())


def expected_names(names: set[str], scene: Scene) -> set[str]:
    return {n.format(**scene.__dict__) for n in names}


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


class TestEveryEditIsCaught:
    @pytest.mark.parametrize(("name", "edit", "by_verify", "by_checkpoint"), EDITS, ids=[e[0] for e in EDITS])
    def test_the_edit_is_named(
        self,
        any_engine: Engine,
        db: sa.Engine,
        clock: FixedClock,
        key: Ed25519PrivateKey,
        name: str,
        edit: Edit,
        by_verify: set[str],
        by_checkpoint: set[str],
    ) -> None:
        """verify names every field the edit changed; the checkpoint names what it alone can see."""
        scene = build(any_engine, clock)
        assert set() == caught_by_verify(any_engine, scene, scene.a), "the scene itself must verify"
        checkpoint = checkpoints.take(any_engine.uow, key, clock.now())

        edit(db, scene)

        named = caught_by_verify(any_engine, scene, scene.a)
        expected = expected_names(by_verify, scene)
        assert all(any(n.startswith(e) for n in named) for e in expected)
        found = {f.code for f in checkpoints.verify(any_engine.uow, checkpoint, key.public_key())}
        assert by_checkpoint <= found
        assert named or found, f"{name} went unnoticed"

    def test_a_deleted_last_case_whose_number_is_reused_is_caught_by_the_checkpoint(
        self, any_engine: Engine, db: sa.Engine, clock: FixedClock, key: Ed25519PrivateKey
    ) -> None:
        """Remove the newest case and report again: the numbering has no gap, the checkpoint sees both."""
        scene = build(any_engine, clock)
        checkpoint = checkpoints.take(any_engine.uow, key, clock.now())

        _reuse_last_number(db, scene, any_engine)

        found = {f.code for f in checkpoints.verify(any_engine.uow, checkpoint, key.public_key())}
        assert {"removed", "number_reused"} <= found

    def test_a_case_added_back_dated_is_caught(
        self, any_engine: Engine, db: sa.Engine, clock: FixedClock, key: Ed25519PrivateKey
    ) -> None:
        """A case that appears after the checkpoint claiming an opening before it is back-dated."""
        scene = build(any_engine, clock)
        checkpoint = checkpoints.take(any_engine.uow, key, clock.now())
        clock.advance(days=1)
        late = drive_to(any_engine, "reported")
        update(db, C, C.id == late, opened_at=clock.now() - timedelta(days=40))

        found = checkpoints.verify(any_engine.uow, checkpoint, key.public_key())

        assert ["backdated"] == [f.code for f in found if f.case_id == late]
        assert scene.a not in {f.case_id for f in found}

    def test_steps_after_the_checkpoint_are_no_finding(
        self, any_engine: Engine, clock: FixedClock, key: Ed25519PrivateKey
    ) -> None:
        """Cases go on: new events and new cases after a checkpoint are what the log explains."""
        scene = build(any_engine, clock)
        checkpoint = checkpoints.take(any_engine.uow, key, clock.now())
        clock.advance(days=1)
        drive_to(any_engine, "reported")
        any_engine.fire(scene.b, "conclude_investigation", _conclusion(), ADMIN_HANDLER)

        assert [] == checkpoints.verify(any_engine.uow, checkpoint, key.public_key())

    def test_a_checkpoint_signed_with_another_key_proves_nothing(
        self, any_engine: Engine, clock: FixedClock, key: Ed25519PrivateKey
    ) -> None:
        """An insider who rewrites the checkpoint file too cannot sign it with the deployment's key."""
        build(any_engine, clock)
        forged = checkpoints.take(any_engine.uow, Ed25519PrivateKey.generate(), clock.now())

        found = checkpoints.verify(any_engine.uow, forged, key.public_key())

        assert ["signature"] == [f.code for f in found]

    def test_the_audit_names_the_edits_too(self, any_engine: Engine, db: sa.Engine, clock: FixedClock) -> None:
        """The audit replays every case: a changed due date and a deleted case are findings there."""
        scene = build(any_engine, clock)  # nothing read yet: the access log would keep case b's rows
        _shift("due_at")(db, scene)
        delete_case(db, scene.b)

        report = audit_school_year(any_engine, YEAR, actor=ADMIN)

        differs = [f.detail["field"] for a in report.cases for f in a.findings if f.code == "record_differs"]
        assert [f"obligations.{scene.open_duty}.due_at"] == differs
        assert [("missing", "HEL-2026-0002")] == [(n.code, n.number) for n in report.numbering]


ADMIN_HANDLER = replace(TEACHER, id="t-18", role="case_handler")


def _conclusion() -> dict[str, Any]:
    from tests.conftest import pupil_heard

    return {
        "pupil_heard": pupil_heard(),
        "others_heard": ["kontaktlærer"],
        "findings": "Utestenging.",
        "conclusion": "measures_needed",
    }


class TestSweepNeverWritesBackwards:
    def test_a_sweep_before_a_cases_latest_event_leaves_it_alone(self, any_engine: Engine, clock: FixedClock) -> None:
        """sweep --now in the past: the case whose log already goes further gets no step and no message."""
        case_id = drive_to(any_engine, "investigating")
        clock.advance(days=30)
        any_engine.fire(case_id, "assess_seriousness", {"serious": True, "reason": "Vold."}, PRINCIPAL)
        before = any_engine.get(case_id, actor=ADMIN)
        clock.advance(days=-5)  # before the assessment, but after the investigation's deadline

        skipped: list[str] = []
        steps = any_engine.sweep(skipped)

        assert ([], [before.number]) == (steps, skipped)
        assert before.last_seq == any_engine.get(case_id, actor=ADMIN).last_seq


def test_key_files_are_private(tmp_path: Path) -> None:
    """keygen writes the private key 0600 and never over an existing file."""
    path = tmp_path / "key.pem"
    public = checkpoints.keygen(path)
    assert public.startswith("-----BEGIN PUBLIC KEY-----")
    assert 0o600 == path.stat().st_mode & 0o777
    with pytest.raises(Exception, match="already exists"):
        checkpoints.keygen(path)


class TestDaemonCheckpoint:
    def test_the_daemon_job_writes_a_signed_checkpoint_to_the_folder(
        self, config_file: Path, monkeypatch: pytest.MonkeyPatch, clock: FixedClock, tmp_path: Path
    ) -> None:
        """[checkpoint] every/key_file/folder: the job writes a file the public key verifies, 0600."""
        from aktivitetsplikt.engine import bootstrap, load_settings
        from aktivitetsplikt.engine.daemon import Daemon
        from aktivitetsplikt.notifiers.console import ConsoleNotifier

        key, folder = tmp_path / "key.pem", tmp_path / "checkpoints"
        checkpoints.keygen(key)
        for name, value in (("EVERY", "1h"), ("KEY_FILE", str(key)), ("FOLDER", str(folder))):
            monkeypatch.setenv(f"AKTIVITETSPLIKT_CHECKPOINT__{name}", value)
        engine = bootstrap(load_settings(config_file), clock=clock, upgrade=True)
        drive_to(engine, "reported")

        assert {"cases": 1} == Daemon(engine, ConsoleNotifier(engine.settings)).checkpoint()

        (written,) = folder.glob("checkpoint-*.json")
        assert 0o600 == written.stat().st_mode & 0o777
        public = checkpoints.public_key(engine.settings.checkpoint)
        assert [] == checkpoints.verify(engine.uow, checkpoints.load(written), public)

    def test_a_key_in_the_config_file_is_refused(self, tmp_path: Path) -> None:
        """The signing key is a secret: only from the environment or a key file, never config.toml."""
        from aktivitetsplikt.engine import ConfigError, load_settings

        config = tmp_path / "config.toml"
        config.write_text('[checkpoint]\nkey = "-----BEGIN PRIVATE KEY-----"\n', encoding="utf-8")
        with pytest.raises(ConfigError, match="AKTIVITETSPLIKT_CHECKPOINT__KEY"):
            load_settings(config)


class TestCheckpointWebhook:
    def test_the_checkpoint_is_posted_signed_to_the_webhook(
        self, engine: Engine, clock: FixedClock, key: Ed25519PrivateKey
    ) -> None:
        """[checkpoint] webhook: the whole signed checkpoint, HMAC-signed like the messages."""
        import hashlib
        import hmac
        import json

        import httpx
        from pydantic import SecretStr

        from aktivitetsplikt.engine.config.settings import NotifierSettings, WebhookSettings
        from aktivitetsplikt.notifiers.checkpoint import CheckpointWebhook

        seen: list[httpx.Request] = []
        client = httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200)))
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        hook = WebhookSettings(url="https://tool.example/hooks/checkpoints", secret=SecretStr("hemmelig"))
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
        keyed = engine.settings.checkpoint.model_copy(update={"key": SecretStr(pem), "webhook": True})
        settings = engine.settings.model_copy(update={"notifiers": NotifierSettings(webhook=hook), "checkpoint": keyed})
        drive_to(engine, "reported")

        content, path = checkpoints.checkpoint_once(
            engine.uow, settings.checkpoint, clock.now(), CheckpointWebhook(settings, client=client).publish
        )

        [request] = seen
        digest = hmac.new(b"hemmelig", request.content, hashlib.sha256).hexdigest()
        assert (None, f"sha256={digest}") == (path, request.headers["X-Aktivitetsplikt-Signature"])
        posted = json.loads(request.content)["checkpoint"]
        assert (content, 1) == (posted, posted["count"])
        assert [] == checkpoints.verify(engine.uow, posted, key.public_key())
