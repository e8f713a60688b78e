"""Production sign-in: OpenID Connect, authorization code flow with PKCE (S256), against a small
provider served on loopback; the tokens stay in the server-side session."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from services.web.config import OidcConfig, WebConfig
from tests.unit.webfront.conftest import Visitor, web_app

CLIENT_ID = "cadreflow-web"


class FakeProvider:
    """Discovery, JWKS and a token endpoint that checks the PKCE verifier against the challenge."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.access_claims = {"role": "cadre", "unit": "county-9"}
        self.app = Flask("fake-provider")
        self.server = make_server("127.0.0.1", 0, self.app)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self._routes()

    def _routes(self) -> None:
        app = self.app

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }

        @app.get("/jwks")
        def jwks():
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return {"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}

        @app.post("/token")
        def token():
            grant = self.codes.pop(request.form.get("code", ""), None)
            verifier = request.form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant is None or challenge != grant["code_challenge"]:
                return jsonify({"error": "invalid_grant"}), 400
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "sub": "c-777",
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 600,
                "name": "李娜",
            }
            sign = lambda extra: jwt.encode({**claims, **extra}, self.key, algorithm="RS256", headers={"kid": "k1"})  # noqa: E731
            return {
                "access_token": sign(self.access_claims),
                "id_token": sign({"nonce": grant["nonce"]}),
                "token_type": "Bearer",
                "expires_in": 600,
            }

    def grant(self, authorize_url: str) -> tuple[str, str]:
        """What the provider does after the person signs in there: a code for the web's callback."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        self.codes["code-1"] = query
        return "code-1", query["state"]

    def __enter__(self) -> FakeProvider:
        serve = lambda: self.server.serve_forever(poll_interval=0.02)  # noqa: E731 - shutdown waits one poll
        threading.Thread(target=serve, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()


@pytest.fixture
def provider():
    with FakeProvider() as running:
        yield running


@pytest.fixture
def production(provider, tmp_path) -> Visitor:
    oidc = OidcConfig(f"{provider.issuer}/.well-known/openid-configuration", CLIENT_ID, "s3cret")
    config = WebConfig(dev_mode=False, secret_key="k" * 32, session_dir=str(tmp_path), oidc=oidc)
    return Visitor(web_app(config).test_client())


def test_the_code_flow_with_pkce_signs_the_person_in(production, provider) -> None:
    start = production.get("/signin/oidc?next=/nominations/new")
    authorize = start.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{provider.issuer}/authorize")
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID] and query["nonce"][0]
    code, state = provider.grant(authorize)
    back = production.get(f"/signin/callback?code={code}&state={state}")
    assert back.status_code == 302 and back.headers["Location"] == "/nominations/new"
    page = production.get("/").get_data(as_text=True)
    assert "李娜" in page and "干部" in page
    cookie = production.client.get_cookie("cadreflow_session")
    assert cookie.secure and cookie.http_only and "." not in cookie.value  # only a session id travels
    with production.client.session_transaction() as session:
        assert session["person"] == {"id": "c-777", "role": "cadre", "unit": "county-9", "name": "李娜"}
        assert session["token"].count(".") == 2  # the access token, kept on the server


def test_a_forged_state_is_refused(production, provider) -> None:
    authorize = production.get("/signin/oidc").headers["Location"]
    code, _ = provider.grant(authorize)
    response = production.get(f"/signin/callback?code={code}&state=forged")
    assert response.status_code == 400 and "登录失败" in response.get_data(as_text=True)
    assert "李娜" not in production.get("/").get_data(as_text=True)


def test_a_role_scoped_by_a_unit_needs_its_unit_as_the_services_do(production, provider) -> None:
    provider.access_claims = {"role": "cadre"}  # the services would refuse this token
    authorize = production.get("/signin/oidc").headers["Location"]
    code, state = provider.grant(authorize)
    response = production.get(f"/signin/callback?code={code}&state={state}")
    assert response.status_code == 403 and "a cadre token needs a unit claim" in response.get_data(as_text=True)
    assert "李娜" not in production.get("/").get_data(as_text=True)


@pytest.fixture
def keycloak_style(provider, tmp_path) -> Visitor:
    oidc = OidcConfig(f"{provider.issuer}/.well-known/openid-configuration", CLIENT_ID, "s3cret")
    oidc = replace(oidc, role_claim="realm_access.roles")
    config = WebConfig(dev_mode=False, secret_key="k" * 32, session_dir=str(tmp_path), oidc=oidc)
    return Visitor(web_app(config).test_client())


def test_a_role_in_a_list_at_a_dotted_path_signs_in(keycloak_style, provider) -> None:
    provider.access_claims = {"realm_access": {"roles": ["offline_access", "cadre"]}, "unit": "county-9"}
    authorize = keycloak_style.get("/signin/oidc").headers["Location"]
    code, state = provider.grant(authorize)
    assert keycloak_style.get(f"/signin/callback?code={code}&state={state}").status_code == 302
    with keycloak_style.client.session_transaction() as session:
        assert session["person"] == {"id": "c-777", "role": "cadre", "unit": "county-9", "name": "李娜"}
