"""Free text encrypted at rest (AES-GCM), on SQLite and PostgreSQL alike, when a key is configured.

Only the free-text values of an event (the paths its seal names while their text is there) are
encrypted, each on its own as ``enc:1:<key id>:<base64 nonce + ciphertext>``, bound by its associated
data to its case, event and path, so a ciphertext moved elsewhere does not decrypt. Dates, choices and
staff refs stay readable to the database, as the queries and the audit need them. The hash chain is
computed over the plain text (``engine.core.seal``), so encryption, rotation and erasure leave it as it
is. Events recorded before seals (chain format 1) are not encrypted: their free text is not marked.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from aktivitetsplikt.engine.core.model import Event
from aktivitetsplikt.engine.core.seal import SALT, parent_of
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.storage.database import IMMEDIATE
from aktivitetsplikt.storage.tables import EventRow

__all__ = ["PLAIN", "PREFIX", "FieldCipher", "reencrypt"]

PREFIX = "enc:1:"
NONCE_BYTES = 12


def key_id(key: bytes) -> str:
    """A short public name of a key (not the key): the first 8 hex digits of its sha256."""
    return hashlib.sha256(key).hexdigest()[:8]


def _aead(key: bytes) -> Any:
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:  # pragma: no cover - the extra is part of the test install
        msg = "An encryption key is set but 'cryptography' is not installed; pip install 'aktivitetsplikt[encryption]'."
        raise ConfigError(msg) from None
    return AESGCM(key)


class FieldCipher:
    """Encrypts with the current key (if any) and decrypts with any configured key."""

    def __init__(self, key: bytes | None = None, old_keys: Sequence[bytes] = ()) -> None:
        self.current = None if key is None else (key_id(key), _aead(key))
        self.keys = {key_id(k): _aead(k) for k in (*old_keys, *([key] if key else []))}

    def _paths(self, seal: dict[str, str] | None) -> list[str]:
        return [path for path, mark in (seal or {}).items() if mark.startswith(SALT)]

    def encrypt(self, case_id: str, seq: int, document: dict[str, Any], seal: dict[str, str] | None) -> dict[str, Any]:
        """The document as stored: each free-text value encrypted with the current key (none: as it is)."""
        paths = self._paths(seal)
        if self.current is None or not paths:
            return document
        kid, aead = self.current
        stored = copy.deepcopy(document)
        for path in paths:
            node, key = parent_of(stored, path)
            value = node[key]
            if isinstance(value, str) and not value.startswith(PREFIX):
                nonce = os.urandom(NONCE_BYTES)
                sealed = aead.encrypt(nonce, value.encode("utf-8"), _aad(case_id, seq, path))
                node[key] = f"{PREFIX}{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"
        return stored

    def decrypt(self, case_id: str, seq: int, document: dict[str, Any], seal: dict[str, str] | None) -> dict[str, Any]:
        """The document as the engine sees it: every encrypted value in plain text again."""
        plain = document
        for path in self._paths(seal):
            node, key = parent_of(plain, path)
            value = node[key]
            if not (isinstance(value, str) and value.startswith(PREFIX)):
                continue
            if plain is document:
                plain = copy.deepcopy(document)
                node, key = parent_of(plain, path)
            node[key] = self._open(value, _aad(case_id, seq, path))
        return plain

    def _open(self, value: str, aad: bytes) -> str:
        kid, _, body = value[len(PREFIX) :].partition(":")
        aead = self.keys.get(kid)
        if aead is None:
            msg = (
                f"Free text is encrypted with key {kid}, which is not configured; set it as "
                "AKTIVITETSPLIKT_ENCRYPTION__KEY or in AKTIVITETSPLIKT_ENCRYPTION__OLD_KEYS."
            )
            raise ConfigError(msg)
        try:
            raw = base64.b64decode(body)
            text: str = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad).decode("utf-8")
        except Exception:  # cryptography's InvalidTag, bad base64: a changed or moved ciphertext
            return value  # left as stored, so the chain check finds the event changed
        return text

    def stored(self, event: Event) -> Event:
        """The event as the database keeps it."""
        return replace(event, document=self.encrypt(event.case_id, event.seq, event.document, event.seal))

    def plain(self, event: Event) -> Event:
        """The event as the engine sees it. Without any key, as stored: a value encrypted under a key no
        longer configured then fails the chain check of its event (the audit reads on, at full speed)."""
        if not self.keys:
            return event
        document = self.decrypt(event.case_id, event.seq, event.document, event.seal)
        return event if document is event.document else replace(event, document=document)


PLAIN = FieldCipher()
"""No key: free text stored and read as it is."""


def reencrypt(engine: Engine, cipher: FieldCipher, batch: int = 500) -> int:
    """Every sealed event's free text decrypted with any configured key and written again with the
    current one (or in plain text when no current key is set), ``batch`` events a transaction; returns
    how many events changed. Run ``compact`` afterwards so the old ciphertext leaves the files too."""
    changed, last = 0, 0
    columns = (EventRow.id, EventRow.case_id, EventRow.seq, EventRow.document, EventRow.seal)
    while True:
        with Session(engine.execution_options(**{IMMEDIATE: True})) as session, session.begin():
            stmt = select(*columns).where(EventRow.seal.is_not(None), EventRow.id > last).order_by(EventRow.id)
            rows = session.execute(stmt.limit(batch)).all()
            if not rows:
                return changed
            for row_id, case_id, seq, document, seal in rows:
                plain = cipher.decrypt(case_id, seq, document, seal)
                again = cipher.encrypt(case_id, seq, plain, seal)
                if again != document:
                    session.execute(update(EventRow).where(EventRow.id == row_id).values(document=again))
                    changed += 1
            last = rows[-1][0]


def _aad(case_id: str, seq: int, path: str) -> bytes:
    return f"{case_id}:{seq}:{path}".encode()
