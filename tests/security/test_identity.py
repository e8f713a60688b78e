"""Identity: no start on the public development secret; OpenID Connect tokens against a JWKS on loopback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from services.nomination.app import create_app as create_nomination
from services.notification.app import create_app as create_notification
from services.review.app import create_app as create_review
from shared.config import DEVELOPMENT_JWT_SECRET, Config, ConfigError
from shared.web.auth import TokenVerifier
from shared.web.errors import ApiError
from tests.support.identity_provider import AUDIENCE, ISSUER, IdentityProvider, SigningKey, claims

LIST = "/api/v1/nominations"
STRONG_SECRET = "a-production-secret-of-more-than-32-bytes"


class TestStartup:
    @pytest.mark.parametrize("create", [create_nomination, create_review, create_notification])
    def test_a_service_refuses_to_start_with_the_development_secret_outside_development_mode(
        self, tmp_path, create
    ) -> None:
        config = Config.from_env("x", env={"EVENT_DB": str(tmp_path / "events.db")}, start_follower=False)
        assert config.jwt_secret == DEVELOPMENT_JWT_SECRET and not config.dev_mode

        with pytest.raises(ConfigError, match="development JWT secret.*JWT_SECRET.*CADREFLOW_DEV_MODE=1"):
            create(config)

    def test_the_development_secret_set_explicitly_is_refused_too(self) -> None:
        config = Config.from_env("x", env={"JWT_SECRET": DEVELOPMENT_JWT_SECRET})
        with pytest.raises(ConfigError):
            config.check()

    @pytest.mark.parametrize(
        "env",
        [
            {"CADREFLOW_DEV_MODE": "1"},
            {"JWT_SECRET": STRONG_SECRET},
            {"JWT_JWKS_URL": "https://idp/jwks", "JWT_ISSUER": ISSUER, "JWT_AUDIENCE": AUDIENCE},
        ],
    )
    def test_development_mode_a_secret_of_its_own_or_a_jwks_may_start(self, env) -> None:
        Config.from_env("x", env=env).check()

    @pytest.mark.parametrize(
        "env",
        [
            {"JWT_SECRET": "short-secret"},
            {"JWT_JWKS_URL": "https://idp/jwks"},
            {"JWT_JWKS_URL": "https://idp/jwks", "JWT_ISSUER": ISSUER},
        ],
    )
    def test_a_short_secret_or_a_jwks_without_issuer_and_audience_is_refused(self, env) -> None:
        with pytest.raises(ConfigError):
            Config.from_env("x", env=env).check()


@pytest.fixture(scope="module")
def provider():
    idp = IdentityProvider([SigningKey.ec()]).start()
    yield idp
    idp.stop()


@pytest.fixture(scope="module")
def oidc_app(provider, tmp_path_factory):
    config = Config(
        service="nomination",
        event_db=str(tmp_path_factory.mktemp("oidc") / "events.db"),
        dev_mode=False,
        jwks_url=provider.jwks_url,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        jwt_max_lifetime_s=3600,
        jwks_refresh_cooldown_s=0,
        start_follower=False,
    )
    app = create_nomination(config)
    yield app
    app.extensions["runtime"].stop()


def status(app, token: str) -> int:
    return app.test_client().get(LIST, headers={"Authorization": f"Bearer {token}"}).status_code


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


CLAIM_CASES = {
    "other audience": {"aud": "another-app"},
    "no audience": {"aud": None},
    "other issuer": {"iss": "https://evil.example"},
    "no issuer": {"iss": None},
    "no iat": {"iat": None},
    "lives too long": {"exp": int(time.time()) + 7200},
    "expired": {"exp": int(time.time()) - 120, "iat": int(time.time()) - 600},
    "unit reviewer without unit": {"role": "unit_reviewer", "unit": None},
    "cadre without unit": {"role": "cadre", "unit": ""},
    "unknown role": {"role": "mayor"},
}


class TestOpenIdConnectTokens:
    def test_a_provider_token_with_issuer_and_audience_is_accepted(self, oidc_app, provider) -> None:
        key = provider.keys[0]
        assert status(oidc_app, key.sign(claims())) == 200
        assert status(oidc_app, key.sign(claims(aud=["account", AUDIENCE]))) == 200

    @pytest.mark.parametrize("case", list(CLAIM_CASES))
    def test_a_token_failing_a_claim_check_is_401(self, oidc_app, provider, case) -> None:
        given = claims(**CLAIM_CASES[case])
        token = provider.keys[0].sign({k: v for k, v in given.items() if v is not None})
        assert status(oidc_app, token) == 401

    def test_a_rotated_key_is_fetched_and_a_removed_key_refused(self, oidc_app, provider) -> None:
        old = provider.keys[0]
        assert status(oidc_app, old.sign(claims())) == 200
        new = SigningKey.ec()
        provider.keys = [new]  # the provider rotates: the old key is removed from the set

        assert status(oidc_app, new.sign(claims())) == 200  # unknown kid: the set is fetched again
        assert status(oidc_app, old.sign(claims())) == 401  # not in the set any more

    def test_a_token_signed_by_a_stranger_under_a_known_kid_is_401(self, oidc_app, provider) -> None:
        stranger = SigningKey.ec()
        assert status(oidc_app, stranger.sign(claims(), kid=provider.keys[0].kid)) == 401

    def test_algorithm_confusion_and_none_are_refused(self, oidc_app, provider) -> None:
        rsa_key = SigningKey.rsa()
        provider.keys = [*provider.keys, rsa_key]
        assert status(oidc_app, rsa_key.sign(claims())) == 200
        public_pem = rsa_key.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        for alg in ("HS256", "none"):
            header = b64(json.dumps({"alg": alg, "kid": rsa_key.kid, "typ": "JWT"}).encode())
            payload = b64(json.dumps(claims(role="admin")).encode())
            signing_input = f"{header}.{payload}".encode()
            signature = b64(hmac.new(public_pem, signing_input, hashlib.sha256).digest()) if alg == "HS256" else ""
            assert status(oidc_app, f"{header}.{payload}.{signature}") == 401, alg

    def test_the_development_secret_means_nothing_to_a_provider_configured_service(self, oidc_app) -> None:
        token = jwt.encode(claims(), DEVELOPMENT_JWT_SECRET, algorithm="HS256")
        assert status(oidc_app, token) == 401


class TestKeyFetching:
    def test_unknown_kids_refetch_the_set_at_most_once_per_cooldown(self) -> None:
        idp = IdentityProvider([SigningKey.ec()]).start()
        try:
            verifier = TokenVerifier.from_config(
                Config(service="x", jwks_url=idp.jwks_url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
            )
            verifier.verify(f"Bearer {idp.keys[0].sign(claims())}")
            fetched = idp.fetches
            for _ in range(5):
                with pytest.raises(ApiError):
                    verifier.verify(f"Bearer {idp.keys[0].sign(claims(), kid=uuid.uuid4().hex)}")
            assert idp.fetches == fetched  # within the cooldown (30 s) no fetch at all
        finally:
            idp.stop()

    def test_a_provider_that_cannot_be_reached_is_503_not_401(self) -> None:
        verifier = TokenVerifier.from_config(
            Config(service="x", jwks_url="http://127.0.0.1:9/jwks", jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
        )
        with pytest.raises(ApiError) as refused:
            verifier.verify(f"Bearer {SigningKey.ec().sign(claims())}")
        assert refused.value.status == 503


class TestRoleClaim:
    def verifier(self, role_claim: str) -> TokenVerifier:
        return TokenVerifier(STRONG_SECRET, role_claim=role_claim, max_lifetime_s=3600)

    def token(self, **changes) -> str:
        now = int(time.time())
        base = {"sub": "p1", "unit": "county-7", "iat": now, "exp": now + 600}
        return "Bearer " + jwt.encode({**base, **changes}, STRONG_SECRET, algorithm="HS256")

    def test_roles_from_an_array_or_a_nested_claim(self) -> None:
        assert (
            self.verifier("roles").verify(self.token(roles=["offline_access", "unit_reviewer"])).role == "unit_reviewer"
        )
        nested = self.token(realm_access={"roles": ["uma_authorization", "secretary"]})
        assert self.verifier("realm_access.roles").verify(nested).role == "secretary"

    def test_two_cadreflow_roles_in_one_token_are_refused(self) -> None:
        with pytest.raises(ApiError) as refused:
            self.verifier("roles").verify(self.token(roles=["cadre", "admin"]))
        assert refused.value.status == 401
