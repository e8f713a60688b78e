"""Signing in: demo people only in development mode, a server-side session, CSRF, safe cookies."""

from __future__ import annotations

import jwt
import pytest

from services.web.config import ConfigError, OidcConfig, WebConfig
from services.web.people import DEMO_PEOPLE, mint
from shared.config import DEVELOPMENT_JWT_SECRET
from tests.unit.webfront.conftest import web_app
from tools.mint_token import mint as tools_mint


class TestDevelopmentSignIn:
    def test_the_home_page_offers_one_demo_person_per_role(self, visitor) -> None:
        page = visitor.get("/").get_data(as_text=True)
        for person in DEMO_PEOPLE:
            assert f'data-person="{person.id}"' in page
        assert len({p.role for p in DEMO_PEOPLE}) == len(DEMO_PEOPLE)

    def test_signing_in_keeps_only_a_session_id_in_the_cookie(self, visitor) -> None:
        visitor.get("/")
        response = visitor.post("/signin/dev", {"person": "c-001"})
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        value = cookie.split(";")[0].split("=", 1)[1]
        assert "." not in value and len(value) < 60  # a random id, not a signed payload or a token
        assert "张敏" in visitor.get("/").get_data(as_text=True)

    def test_a_new_sign_in_gets_a_new_session_id(self, visitor) -> None:
        visitor.sign_in("c-001")
        first = visitor.client.get_cookie("cadreflow_session").value
        visitor.sign_in("u-001")
        assert visitor.client.get_cookie("cadreflow_session").value != first

    def test_cookies_are_secure_outside_development(self, services, tmp_path) -> None:
        config = WebConfig(dev_mode=True, session_dir=str(tmp_path), secure_cookies=True)
        visitor_client = web_app(config).test_client()
        page = visitor_client.get("/report")
        assert "Secure" in page.headers.get("Set-Cookie", "Secure")

    def test_the_demo_token_is_the_one_tools_mint_token_makes(self) -> None:
        person = DEMO_PEOPLE[0]
        ours = jwt.decode(mint(person, DEVELOPMENT_JWT_SECRET, 1), DEVELOPMENT_JWT_SECRET, algorithms=["HS256"])
        theirs = jwt.decode(
            tools_mint(person.id, person.role, person.unit, person.name, 1, DEVELOPMENT_JWT_SECRET),
            DEVELOPMENT_JWT_SECRET,
            algorithms=["HS256"],
        )
        assert ours.keys() == theirs.keys()
        assert {k: v for k, v in ours.items() if k != "exp"} == {k: v for k, v in theirs.items() if k != "exp"}

    def test_signing_out_ends_the_session(self, visitor) -> None:
        visitor.sign_in("c-001")
        visitor.post("/signout")
        assert visitor.get("/nominations").status_code == 302

    def test_next_never_leads_off_the_site(self, visitor) -> None:
        visitor.get("/")
        response = visitor.post("/signin/dev", {"person": "c-001", "next": "//evil.example/"})
        assert response.headers["Location"] == "/"


class TestProtection:
    def test_a_form_without_its_csrf_token_is_refused(self, visitor) -> None:
        response = visitor.client.post("/signin/dev", data={"person": "c-001"})
        assert response.status_code == 400
        assert "表单已过期" in response.get_data(as_text=True)

    def test_a_signed_in_page_sends_the_visitor_to_sign_in_first(self, visitor) -> None:
        response = visitor.get("/nominations/new")
        assert response.status_code == 302
        assert response.headers["Location"] == "/?next=/nominations/new"

    def test_a_page_of_another_role_is_forbidden(self, visitor) -> None:
        visitor.sign_in("c-001")
        response = visitor.get("/reviews")
        assert response.status_code == 403
        assert "无权访问" in response.get_data(as_text=True)

    def test_every_page_sends_the_security_headers(self, visitor) -> None:
        response = visitor.get("/board")
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"


class TestProduction:
    def test_there_is_no_demo_sign_in_outside_development(self, tmp_path) -> None:
        config = WebConfig(
            dev_mode=False,
            secret_key="s" * 32,
            session_dir=str(tmp_path),
            oidc=OidcConfig("http://idp/.well-known", "web"),
        )
        client = web_app(config).test_client()
        page = client.get("/").get_data(as_text=True)
        assert "data-person" not in page
        assert "/signin/oidc" in page

    def test_it_refuses_to_start_with_the_development_session_key(self, tmp_path) -> None:
        with pytest.raises(ConfigError):
            web_app(WebConfig(dev_mode=False, session_dir=str(tmp_path), oidc=OidcConfig("http://idp/x", "web")))

    def test_it_refuses_to_start_without_a_way_to_sign_in(self, tmp_path) -> None:
        with pytest.raises(ConfigError):
            web_app(WebConfig(dev_mode=False, secret_key="s" * 32, session_dir=str(tmp_path)))

    def test_the_environment_configures_it(self) -> None:
        config = WebConfig.from_env(
            {"CADREFLOW_DEV_MODE": "1", "WEB_REVIEW_URL": "http://r:1", "OIDC_DISCOVERY_URL": "x"}
        )
        assert config.dev_mode and not config.secure_cookies
        assert config.service_urls["review"] == "http://r:1"
        assert config.oidc is None  # no client id
