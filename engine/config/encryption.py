"""``[encryption]``: the optional AES-GCM key for free text at rest, only from the environment.

``AKTIVITETSPLIKT_ENCRYPTION__KEY`` (32 random bytes, base64: ``openssl rand -base64 32``) encrypts
every free-text value of new events on SQLite and PostgreSQL alike; ``AKTIVITETSPLIKT_ENCRYPTION__OLD_KEYS``
(a JSON list of such keys) still decrypts what older keys encrypted, until ``aktivitetsplikt db
reencrypt`` has moved everything to the current key (README, "Encryption at rest").
"""

from __future__ import annotations

import base64
import binascii

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

KEY_BYTES = 32


def key_bytes(value: SecretStr) -> bytes:
    """The 32 bytes of a base64 key (checked when the settings load)."""
    return base64.b64decode(value.get_secret_value().strip(), validate=True)


def _checked(value: SecretStr) -> SecretStr:
    try:
        raw = key_bytes(value)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        msg = f"expected {KEY_BYTES} random bytes in base64 (openssl rand -base64 32)"
        raise ValueError(msg)
    return value


class EncryptionSettings(BaseModel):
    """Keys only from the environment; none set: free text is stored as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: SecretStr | None = None
    """The current key: encrypts what is written from now on, and decrypts it."""
    old_keys: list[SecretStr] = Field(default_factory=list)
    """Earlier keys: decrypt only, until ``db reencrypt`` has run."""

    @field_validator("key")
    @classmethod
    def _key(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None else _checked(value)

    @field_validator("old_keys")
    @classmethod
    def _old(cls, value: list[SecretStr]) -> list[SecretStr]:
        return [_checked(key) for key in value]

    def keys(self) -> tuple[bytes | None, tuple[bytes, ...]]:
        """The current key's bytes (or None) and the old keys' bytes."""
        return (None if self.key is None else key_bytes(self.key)), tuple(key_bytes(k) for k in self.old_keys)
