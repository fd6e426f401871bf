"""``[http]`` and ``[http.auth]``: the HTTP service and how it reads who is calling from a bearer token.

The service never decides who may do what: it turns a verified token into an
:class:`~aktivitetsplikt.engine.core.model.Actor` (a staff ref, one role, the units named in the token)
and the engine checks that actor as it checks any other.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from aktivitetsplikt.engine.core.spec import Role

AuthMode = Literal["oidc", "development"]
DEV_ISSUER = "urn:aktivitetsplikt:development"
"""The issuer and audience of development tokens: no identity provider ever issues these."""
MIN_DEV_SECRET = 32
"""HS256 wants a key at least as long as its hash (RFC 7518 section 3.2)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthSettings(_Section):
    mode: AuthMode = "oidc"
    """``oidc``: tokens from the identity provider, verified against its JWKS. ``development``: tokens
    signed with ``dev_secret`` (HS256), for a laptop; the service says so in its log and on /healthz."""
    issuer: str | None = None
    """The ``iss`` every token must carry, e.g. ``https://auth.dataporten.no``."""
    audience: str | None = None
    """The ``aud`` every token must carry: this service's client id at the identity provider."""
    jwks_url: str | None = None
    """Where the identity provider publishes its signing keys (``jwks_uri`` in its discovery document)."""
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])
    leeway_seconds: int = Field(default=30, ge=0, le=300)
    """Clock skew allowed when checking ``exp``, ``nbf`` and ``iat``."""
    id_claim: str = "sub"
    """The claim holding the staff ref the engine knows the person by."""
    role_claim: str | None = None
    """A claim holding the role itself (staff, case_handler, principal, deputy, school_owner)."""
    groups_claim: str = "groups"
    groups: dict[str, Role] = Field(default_factory=dict)
    """Group -> role. When ``role_claim`` gives none, the first group listed here that the token has wins."""
    unit_claim: str | None = "school"
    """A claim holding the unit id (a string or a list of them) as in ``[schools.*]``/``[kindergartens.*]``."""
    unit_groups: dict[str, str] = Field(default_factory=dict)
    """Group -> unit id, for identity providers that express a school as a group."""
    dev_secret: SecretStr | None = None
    """The development key; only from ``AKTIVITETSPLIKT_HTTP__AUTH__DEV_SECRET``; refused in the file."""

    @model_validator(mode="after")
    def _complete(self) -> AuthSettings:
        weak = self.dev_secret is None or len(self.dev_secret.get_secret_value()) < MIN_DEV_SECRET
        if self.mode == "development" and weak:
            msg = (
                f"mode 'development' needs a dev_secret of at least {MIN_DEV_SECRET} characters "
                "from AKTIVITETSPLIKT_HTTP__AUTH__DEV_SECRET"
            )
            raise ValueError(msg)
        return self

    @property
    def expected_issuer(self) -> str | None:
        return DEV_ISSUER if self.mode == "development" and self.issuer is None else self.issuer

    @property
    def role_claim_used(self) -> str | None:
        """Development tokens carry the role in ``role`` unless ``role_claim`` names another claim."""
        return self.role_claim or ("role" if self.mode == "development" else None)

    @property
    def expected_audience(self) -> str | None:
        return DEV_ISSUER if self.mode == "development" and self.audience is None else self.audience

    def missing(self) -> list[str]:
        """The keys an OIDC service cannot start without (checked when ``serve`` starts, not on load:
        the CLI and the daemon run without them)."""
        if self.mode == "development":
            return []
        return [key for key in ("issuer", "audience", "jwks_url") if getattr(self, key) is None]


class HttpSettings(_Section):
    auth: AuthSettings = Field(default_factory=AuthSettings)
    metrics_token: SecretStr | None = None
    """A static bearer token for the Prometheus scraper on /metrics (identity providers' tokens expire);
    only from ``AKTIVITETSPLIKT_HTTP__METRICS_TOKEN``. Without it /metrics takes a verified token."""
