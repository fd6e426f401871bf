"""Signed checkpoints: take one over every case's head, sign it with an Ed25519 key that never enters the
database, keep it in a folder (and/or hand it to a webhook), and later check the database against it.

The key is a PEM file (``[checkpoint] key_file``) or PEM text in ``AKTIVITETSPLIKT_CHECKPOINT__KEY``;
make one with ``aktivitetsplikt checkpoint keygen`` or ``openssl genpkey -algorithm ed25519 -out key.pem``.
Verifying needs only the public key (``[checkpoint] public_key_file``, or derived from the private key).
A checkpoint reads identifiers and hashes only (no case content), so it is not an access-logged read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aktivitetsplikt.engine.core.checkpoint import CheckpointFinding, Head, body, check_file, compare, signed_bytes
from aktivitetsplikt.engine.errors import ConfigError, InvalidInput

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from aktivitetsplikt.engine.app.ports import UnitOfWorkFactory
    from aktivitetsplikt.engine.config.sections import CheckpointSettings

Publish = Callable[[Mapping[str, Any]], None]


def _private_from_pem(pem: bytes, where: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        msg = f"{where} is not an unencrypted Ed25519 private key in PEM; make one with 'checkpoint keygen'."
        raise ConfigError(msg)
    return key


def private_key(config: CheckpointSettings) -> Ed25519PrivateKey:
    """The signing key: from the environment, else the key file; ConfigError when neither is set."""
    if config.key is not None:
        return _private_from_pem(config.key.get_secret_value().encode(), "AKTIVITETSPLIKT_CHECKPOINT__KEY")
    if config.key_file is None:
        msg = "No checkpoint key: set [checkpoint] key_file or AKTIVITETSPLIKT_CHECKPOINT__KEY."
        raise ConfigError(msg)
    return _private_from_pem(_read(Path(config.key_file), "[checkpoint] key_file"), "[checkpoint] key_file")


def public_key(config: CheckpointSettings) -> Ed25519PublicKey:
    """The key signatures are checked with: ``public_key_file``, else the private key's."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    if config.public_key_file is None:
        return private_key(config).public_key()
    pem = _read(Path(config.public_key_file), "[checkpoint] public_key_file")
    try:
        key = load_pem_public_key(pem)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        msg = "[checkpoint] public_key_file is not an Ed25519 public key in PEM."
        raise ConfigError(msg)
    return key


def _read(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        msg = f"{name} {path} cannot be read ({exc.strerror}); check the path and its permissions."
        raise ConfigError(msg) from None


def key_id(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def take(uow: UnitOfWorkFactory, key: Ed25519PrivateKey, now: datetime) -> dict[str, Any]:
    """A signed checkpoint of every case's head as stored now."""
    with uow() as work:
        content = body(work.reports.heads(), now)
    signature = key.sign(signed_bytes(content))
    return content | {"key_id": key_id(key.public_key()), "signature": base64.b64encode(signature).decode()}


def write(content: Mapping[str, Any], folder: Path) -> Path:
    """Write a checkpoint as a new file of its own (0600; the folder 0700 when made); never overwrites."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = str(content["created_at"]).replace(":", "").replace("-", "").split(".")[0].split("+")[0]
    path = folder / f"checkpoint-{stamp}-{str(content['root'])[:12]}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(content, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    return path


def load(path: Path) -> dict[str, Any]:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"The checkpoint {path} cannot be read ({type(exc).__name__}); give a file 'checkpoint' wrote."
        raise InvalidInput(msg) from None
    if not isinstance(content, dict):
        msg = f"The checkpoint {path} is not a checkpoint object."
        raise InvalidInput(msg)
    return content


def signature_holds(content: Mapping[str, Any], key: Ed25519PublicKey) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(base64.b64decode(str(content.get("signature", ""))), signed_bytes(content))
    except (InvalidSignature, ValueError):
        return False
    return True


def verify(uow: UnitOfWorkFactory, content: Mapping[str, Any], key: Ed25519PublicKey) -> list[CheckpointFinding]:
    """Everything the database of now and the checkpoint disagree on that the log does not explain; a bad
    signature or a file that does not agree with itself is a finding on its own (nothing else is trusted)."""
    if not signature_holds(content, key):
        return [CheckpointFinding("signature", detail="the file was not signed with this key, or was changed")]
    problems = check_file(content)
    if problems:
        return problems
    then = [Head.from_json(h) for h in content["heads"]]
    taken_at = datetime.fromisoformat(str(content["created_at"]))
    with uow() as work:
        now = list(work.reports.heads())
        hashes = work.reports.hashes_at([(h.case_id, h.last_seq) for h in then])
    return compare(then, taken_at, now, hashes)


def keygen(path: Path) -> str:
    """Write a new Ed25519 private key (PEM, 0600, never over an existing file); returns the public PEM."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        msg = f"{path} already exists; a key is never overwritten. Choose another path."
        raise InvalidInput(msg) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def checkpoint_once(
    uow: UnitOfWorkFactory, config: CheckpointSettings, now: datetime, webhook: Publish | None = None
) -> tuple[dict[str, Any], Path | None]:
    """Take, sign and keep one checkpoint: in ``[checkpoint] folder`` and/or through ``webhook``."""
    if config.folder is None and webhook is None:
        msg = "A checkpoint needs somewhere to go outside the database: set [checkpoint] folder, or webhook = true."
        raise ConfigError(msg)
    content = take(uow, private_key(config), now)
    path = write(content, Path(config.folder)) if config.folder is not None else None
    if webhook is not None:
        webhook(content)
    return content, path
