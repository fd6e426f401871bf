"""How the HTTP face reads a caller from token claims, and its development mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from aktivitetsplikt.engine import Actor, load_settings
from aktivitetsplikt.engine.config.http import AuthSettings
from aktivitetsplikt.engine.errors import ConfigError, InvalidInput, NotAuthenticated, NotPermitted
from aktivitetsplikt.engine.http.auth import Identity, TokenVerifier, dev_token, identity_of
from aktivitetsplikt.engine.http.context import expected_version

SECRET = "s" * 40
MAPPED = AuthSettings(
    issuer="https://idp.example",
    audience="aktivitetsplikt",
    jwks_url="https://idp.example/jwks",
    groups={"rektorer": "principal", "ansatte": "staff"},
    unit_groups={"skole-hellerud": "hellerud"},
)


class TestIdentity:
    def test_the_first_mapped_group_in_config_order_gives_the_role(self) -> None:
        """A principal who is also staff is a principal: the config lists rektorer first."""
        claims = {"sub": "r-1", "groups": ["ansatte", "rektorer"], "school": "hellerud"}

        assert Identity("r-1", "principal", ("hellerud",)) == identity_of(claims, MAPPED)

    def test_a_role_claim_wins_over_groups(self) -> None:
        """With role_claim set, the claim names the role."""
        auth = MAPPED.model_copy(update={"role_claim": "role"})
        claims = {"sub": "t-1", "role": "case_handler", "groups": ["rektorer"]}

        assert "case_handler" == identity_of(claims, auth).role

    def test_units_come_from_the_claim_and_from_groups(self) -> None:
        """A list claim and a unit group add up, each unit once."""
        claims = {"sub": "t-1", "groups": ["ansatte", "skole-hellerud"], "school": ["furuset", "hellerud"]}

        assert ("furuset", "hellerud") == identity_of(claims, MAPPED).units

    def test_a_token_without_the_id_claim_is_not_authenticated(self) -> None:
        """No sub: NotAuthenticated naming the claim."""
        with pytest.raises(NotAuthenticated, match="'sub' claim"):
            identity_of({"groups": ["ansatte"]}, MAPPED)

    def test_a_token_without_a_role_is_not_permitted(self) -> None:
        """The system role is never a person's: a token claiming it has no role."""
        auth = MAPPED.model_copy(update={"role_claim": "role"})

        with pytest.raises(NotPermitted, match="no role"):
            identity_of({"sub": "x", "role": "system"}, auth)

    def test_the_actor_stands_at_the_case_unit_when_the_token_names_it(self) -> None:
        """Several units: the case's; one unit: that one; none: no school (the engine refuses)."""
        two = Identity("t-1", "staff", ("furuset", "hellerud"))

        assert [
            Actor("t-1", "staff", "hellerud"),
            Actor("t-1", "staff", None),
            Actor("t-1", "staff", "furuset"),
        ] == [two.actor("hellerud"), two.actor("majorstuen"), Identity("t-1", "staff", ("furuset",)).actor("hellerud")]


class TestDevelopmentMode:
    def test_a_development_token_verifies(self) -> None:
        """dev_token signs what the development verifier accepts."""
        auth = AuthSettings(mode="development", dev_secret=SECRET)
        token = dev_token(auth, actor_id="t-17", role="staff", units=["hellerud"])

        assert Identity("t-17", "staff", ("hellerud",)) == TokenVerifier(auth).verify(token)

    def test_a_development_token_is_refused_by_an_oidc_service(self) -> None:
        """The development issuer is not the configured one: 401."""
        token = dev_token(AuthSettings(mode="development", dev_secret=SECRET), actor_id="t", role="staff", units=[])
        verifier = TokenVerifier(AuthSettings(mode="development", dev_secret=SECRET, issuer="https://idp.example"))

        with pytest.raises(NotAuthenticated, match="issuer"):
            verifier.verify(token)

    def test_the_dev_secret_is_refused_in_the_file(self, tmp_path: Path) -> None:
        """Like every secret, dev_secret comes only from the environment."""
        path = tmp_path / "config.toml"
        path.write_text(f'[http.auth]\nmode = "development"\ndev_secret = "{SECRET}"\n', encoding="utf-8")

        with pytest.raises(ConfigError, match="AKTIVITETSPLIKT_HTTP__AUTH__DEV_SECRET"):
            load_settings(path)

    def test_an_oidc_service_needs_its_issuer_audience_and_keys(self) -> None:
        """serve refuses to start on the defaults, naming what is missing."""
        with pytest.raises(ConfigError, match="issuer, audience, jwks_url"):
            TokenVerifier(AuthSettings())


class TestIfMatch:
    @pytest.mark.parametrize(("header", "expected"), [(None, None), ("*", None), ('"7"', 7), (' "12" ', 12)])
    def test_a_quoted_version_is_the_expected_version(self, header: str | None, expected: int | None) -> None:
        """If-Match carries the ETag as sent; * and no header ask for no version."""
        assert expected == expected_version(header)

    @pytest.mark.parametrize("header", ["7", 'W/"7"', '"seven"', '"²"'])
    def test_anything_else_is_invalid(self, header: str) -> None:
        """An unquoted, weak or non-numeric tag is a 400, not a guess."""
        with pytest.raises(InvalidInput, match="If-Match"):
            expected_version(header)
