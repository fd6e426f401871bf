"""Who is calling: an OIDC bearer token (a JWT) verified against the issuer's keys, turned into an Actor.

PyJWT does the cryptography and the registered claims (``iss``, ``aud``, ``exp``, ``nbf``, ``iat``), and
its ``PyJWKClient`` fetches and caches the identity provider's JWKS, refetching once when a token names a
key it has not seen (a key rotation). Which claim is the staff ref and where the role and the units come
from is configuration (``[http.auth]``). What the actor may then do or read is decided by the engine alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, get_args

import jwt
import structlog

from aktivitetsplikt.engine.config.http import AuthSettings
from aktivitetsplikt.engine.core.model import Actor
from aktivitetsplikt.engine.core.spec import Role
from aktivitetsplikt.engine.errors import ConfigError, NotAuthenticated, NotPermitted

log = structlog.get_logger(__name__)

DEV_ALGORITHM = "HS256"
ROLES: tuple[str, ...] = tuple(r for r in get_args(Role) if r != "system")
"""Roles a token may carry; ``system`` is the engine's own (the sweep), never a person's."""


class IdentityProviderDown(ConfigError):
    """The identity provider's signing keys cannot be fetched: no token can be verified until they can."""


@dataclass(frozen=True)
class Identity:
    """A verified caller: a staff ref, one role, and the units the token names (possibly none)."""

    id: str
    role: Role
    units: tuple[str, ...]

    def actor(self, unit: str | None = None) -> Actor:
        """The Actor for acting at ``unit``: that unit when the token names it, else the token's only unit.

        Which unit the engine then accepts is the engine's rule; this only says where the caller stands.
        """
        if unit is not None and unit in self.units:
            school: str | None = unit
        else:
            school = self.units[0] if len(self.units) == 1 else None
        return Actor(id=self.id, role=self.role, school=school)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def identity_of(claims: dict[str, Any], auth: AuthSettings) -> Identity:
    """Read the staff ref, the role and the units from verified claims as ``[http.auth]`` says."""
    ref = claims.get(auth.id_claim)
    if not isinstance(ref, str) or not ref.strip():
        msg = f"The token has no '{auth.id_claim}' claim to know the person by; ask for a token that has it."
        raise NotAuthenticated(msg)
    groups = _as_list(claims.get(auth.groups_claim))
    role = claims.get(auth.role_claim_used) if auth.role_claim_used else None
    if role is None:
        role = next((mapped for group, mapped in auth.groups.items() if group in groups), None)
    if role not in ROLES:
        msg = "The token gives no role this service knows; map a claim or a group to a role in [http.auth]."
        raise NotPermitted(msg)
    units = _as_list(claims.get(auth.unit_claim)) if auth.unit_claim else []
    units += [unit for group, unit in auth.unit_groups.items() if group in groups and unit not in units]
    return Identity(id=ref.strip(), role=role, units=tuple(units))


class TokenVerifier:
    """Verifies bearer tokens: against the JWKS in ``oidc`` mode, against ``dev_secret`` in development."""

    def __init__(self, auth: AuthSettings) -> None:
        missing = auth.missing()
        if missing:
            msg = f"The HTTP service needs {', '.join(missing)} in [http.auth] (or mode = 'development')."
            raise ConfigError(msg)
        self.auth = auth
        self.development = auth.mode == "development"
        self._jwks = None if self.development else jwt.PyJWKClient(str(auth.jwks_url), cache_keys=True, timeout=5)

    def _key(self, token: str) -> Any:
        if self._jwks is None:
            return self.auth.dev_secret.get_secret_value() if self.auth.dev_secret else ""
        try:
            return self._jwks.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            log.error("jwks_unreachable", reason=type(exc).__name__)
            msg = "The identity provider's signing keys cannot be fetched now; try again shortly."
            raise IdentityProviderDown(msg) from None

    def verify(self, token: str) -> Identity:
        """The caller a token proves; raises NotAuthenticated for an expired, foreign or forged one."""
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=[DEV_ALGORITHM] if self.development else self.auth.algorithms,
                audience=self.auth.expected_audience,
                issuer=self.auth.expected_issuer,
                leeway=self.auth.leeway_seconds,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError) as exc:
            # The reason class (ExpiredSignatureError, InvalidAudienceError, ...) says enough to the log.
            log.info("token_refused", reason=type(exc).__name__)
            msg = f"The bearer token was refused ({_REASONS.get(type(exc).__name__, 'not valid')}); sign in again."
            raise NotAuthenticated(msg) from None
        return identity_of(claims, self.auth)


_REASONS = {
    "ExpiredSignatureError": "expired",
    "InvalidAudienceError": "meant for another service",
    "InvalidIssuerError": "from an issuer this service does not trust",
    "InvalidSignatureError": "its signature does not match",
    "PyJWKClientError": "signed with a key the issuer does not publish",
    "ImmatureSignatureError": "not valid yet",
    "MissingRequiredClaimError": "a required claim is missing",
    "DecodeError": "not a JWT",
}


def dev_token(auth: AuthSettings, *, actor_id: str, role: str, units: list[str], minutes: int = 60) -> str:
    """A development token for ``actor_id``; only in ``development`` mode, never for a real issuer."""
    if auth.mode != "development" or auth.dev_secret is None:
        msg = "Development tokens exist only with [http.auth] mode = 'development' and a dev_secret."
        raise ConfigError(msg)
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": auth.expected_issuer,
        "aud": auth.expected_audience,
        "iat": now,
        "exp": now + 60 * minutes,
        auth.id_claim: actor_id,
        auth.role_claim_used or "role": role,
    }
    if auth.unit_claim:
        claims[auth.unit_claim] = units
    return jwt.encode(claims, auth.dev_secret.get_secret_value(), algorithm=DEV_ALGORITHM)
