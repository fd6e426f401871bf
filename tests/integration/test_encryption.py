"""Free text encrypted at rest with a key from the environment (AES-GCM), on SQLite and PostgreSQL:
the raw files hold no free text, the engine reads it back, the chain verifies, and a key rotation with
``reencrypt`` moves everything to the new key."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from aktivitetsplikt.engine import Engine, FixedClock, bootstrap, load_settings
from aktivitetsplikt.engine.bootstrap import compact_database, reencrypt_database
from aktivitetsplikt.storage.cipher import key_id
from tests.conftest import ADMIN, OWNER, drive_to
from tests.integration.conftest import execute, sql_engine
from tests.integration.test_erasure import raw_bytes

FIRST, SECOND = os.urandom(32), os.urandom(32)
Keyed = Callable[..., Engine]
TEXTS = ("Eleven forteller om utestenging i friminuttene.", "Eleven vil ha voksne i friminuttene.", "Utestenging.")


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, config_file: Path) -> str:
    """A database of the test's own (the raw files then hold this test's rows only)."""
    if request.param == "postgres":
        pg: str = request.getfixturevalue("pg_url")
        return pg
    return f"sqlite:///{config_file.parent / 'encrypted.db'}"


@pytest.fixture
def keyed(
    url: str, config_file: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, settings: object
) -> Iterator[Keyed]:
    """Build an engine on ``url`` with the given current and old keys (as the environment gives them)."""
    built: list[Engine] = []

    def engine(key: bytes | None, *old: bytes) -> Engine:
        monkeypatch.setenv("AKTIVITETSPLIKT_DATABASE__URL", url)
        if key is None:
            monkeypatch.delenv("AKTIVITETSPLIKT_ENCRYPTION__KEY", raising=False)
        else:
            monkeypatch.setenv("AKTIVITETSPLIKT_ENCRYPTION__KEY", b64(key))
        monkeypatch.setenv("AKTIVITETSPLIKT_ENCRYPTION__OLD_KEYS", "[" + ",".join(f'"{b64(k)}"' for k in old) + "]")
        made = bootstrap(load_settings(config_file), clock=clock, upgrade=True)
        built.append(made)
        return made

    yield engine
    for made in built:
        sql_engine(made).dispose()


def kids(bind: sa.Engine) -> set[str]:
    """The key ids of every ciphertext stored in the events."""
    with bind.connect() as conn:
        text = " ".join(str(d) for (d,) in conn.execute(sa.text("SELECT document FROM case_events")))
    return {part.split(":")[0] for part in text.split("enc:1:")[1:]}


class TestEncryptionAtRest:
    def test_the_files_hold_no_free_text_and_the_engine_reads_it(self, keyed: Keyed) -> None:
        """With a key, no free text is in the raw database files; reads and the chain are as without."""
        engine = keyed(FIRST)
        case_id = drive_to(engine, "closed")
        bind = sql_engine(engine)
        compact_database(engine)

        raw = raw_bytes(bind)
        case = engine.get(case_id, actor=ADMIN)
        assert [] == [t for t in TEXTS if t.encode() in raw]
        assert b"2026-09-02" in raw  # dates stay readable to the database (the check can fail)
        assert TEXTS[0] == (case.events or [])[0].document["description"]
        assert engine.verify(case_id, actor=ADMIN).intact
        assert {key_id(FIRST)} == kids(bind)

    def test_a_rotated_key_reencrypts_everything(self, keyed: Keyed) -> None:
        """New key current, old key in old_keys: reads go on; reencrypt moves every value to the new
        key, after which the old key is no longer needed."""
        case_id = drive_to(keyed(FIRST), "closed")

        rotated = keyed(SECOND, FIRST)
        changed = reencrypt_database(rotated)
        alone = keyed(SECOND)

        assert changed > 0
        assert {key_id(SECOND)} == kids(sql_engine(alone))
        assert TEXTS[0] == (alone.get(case_id, actor=ADMIN).events or [])[0].document["description"]
        assert alone.verify(case_id, actor=ADMIN).intact

    def test_a_ciphertext_moved_to_another_event_fails_verification(self, keyed: Keyed) -> None:
        """Each ciphertext is bound to its case, event and field: a moved one does not decrypt."""
        engine = keyed(FIRST)
        case_id = drive_to(engine, "closed")
        bind = sql_engine(engine)
        with bind.connect() as conn:
            stored = conn.execute(
                sa.text("SELECT document FROM case_events WHERE case_id = :c AND seq = 2"), {"c": case_id}
            ).scalar_one()
        summary = (json.loads(stored) if isinstance(stored, str) else stored)["summary"]
        assert summary.startswith("enc:1:")
        doc = (engine.get(case_id, actor=ADMIN).events or [])[5].document
        moved = sa.text("UPDATE case_events SET document = :d WHERE case_id = :c AND seq = 6")
        with bind.begin() as conn:
            conn.execute(
                moved.bindparams(sa.bindparam("d", type_=sa.JSON)), {"d": doc | {"reason": summary}, "c": case_id}
            )

        verdict = engine.verify(case_id, actor=ADMIN)

        assert (False, 6) == (verdict.intact, verdict.broken_at)

    def test_an_encrypted_case_is_erased(self, keyed: Keyed) -> None:
        """Erasure works the same with encryption on, and the chain still verifies."""
        engine = keyed(FIRST)
        case_id = drive_to(engine, "closed")

        engine.erase(case_id, actor=OWNER, reason="Feil elev.")

        assert engine.verify(case_id, actor=ADMIN).intact
        assert execute(sql_engine(engine), "UPDATE cases SET version = version WHERE pupil = '(slettet)'") == 1
