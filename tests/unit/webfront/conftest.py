"""The web front with the services faked at the HTTP boundary (tests/unit/webfront/fakes.py)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.web.app import create_app
from services.web.config import DEFAULT_URLS, WebConfig
from tests.support.stack import ROOT
from tests.unit.webfront.fakes import FakeServices
from tests.unit.webfront.wsgi_adapter import WsgiAdapter

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def catalogues() -> None:
    """Compile the message catalogues as `make web-i18n` does, when a test run finds them stale."""
    for po in (ROOT / "services" / "web" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


@pytest.fixture
def services() -> FakeServices:
    return FakeServices()


@pytest.fixture
def web_config(tmp_path) -> WebConfig:
    return WebConfig(dev_mode=True, session_dir=str(tmp_path / "sessions"), secure_cookies=False)


@pytest.fixture
def app(services, web_config):
    apps = services.apps()
    adapter = WsgiAdapter({urlsplit(url).netloc: apps[name] for name, url in DEFAULT_URLS.items() if name in apps})
    app = create_app(web_config, adapter)
    app.config["TESTING"] = True
    return app


class Visitor:
    """A test client that sends the CSRF token of the last page with every form, like a browser."""

    def __init__(self, client) -> None:
        self.client = client
        self.token = ""

    def get(self, path: str, **kwargs):
        response = self.client.get(path, **kwargs)
        self._remember(response)
        return response

    def post(self, path: str, data: dict | None = None, **kwargs):
        if not self.token:
            self.get("/")
        response = self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)
        self._remember(response)
        return response

    def _remember(self, response) -> None:
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.token = found.group(1)

    def sign_in(self, person_id: str) -> Visitor:
        self.get("/")
        response = self.post("/signin/dev", {"person": person_id})
        assert response.status_code == 302, response.get_data(as_text=True)
        self.get("/")  # a new session: the next form carries its new CSRF token
        return self


@pytest.fixture
def visitor(app) -> Visitor:
    return Visitor(app.test_client())


@pytest.fixture
def english(visitor) -> Visitor:
    visitor.client.set_cookie("lang", "en")
    return visitor


CADRE = {"sub": "c-001", "name": "张敏", "unit": "county-7"}
