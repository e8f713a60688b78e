"""The web front with the services faked at the HTTP boundary (tests/unit/webfront/fakes.py).

One web app serves every test of the session: building an app compiles its templates and loads
its catalogues again, which made each page test cost a second under load. What a test changes
lives in the fake services (reset before each test) and in its own client's session cookie.
Tests that need another configuration build their app with `web_app`, which shares the
compiled templates through one in-memory bytecode cache.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import BytecodeCache

from services.web.app import create_app
from services.web.config import DEFAULT_URLS, WebConfig
from tests.support.stack import ROOT
from tests.support.wsgi_adapter import WsgiAdapter
from tests.unit.webfront.fakes import FakeServices

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def catalogues() -> None:
    """Compile the message catalogues as `make web-i18n` does, when a test run finds them stale."""
    for po in (ROOT / "services" / "web" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, shared by every app of the test session."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()


def web_app(config: WebConfig, adapter=None):
    """The web front for a test, its templates compiled once per session."""
    app = create_app(config, adapter)
    app.config["TESTING"] = True
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


def adapter_for(apps: dict) -> WsgiAdapter:
    """The transport to the fake services that are up (by name)."""
    return WsgiAdapter({urlsplit(url).netloc: apps[name] for name, url in DEFAULT_URLS.items() if name in apps})


@pytest.fixture(scope="session")
def shared_services() -> FakeServices:
    return FakeServices()


@pytest.fixture
def services(shared_services) -> FakeServices:
    shared_services.reset()
    return shared_services


@pytest.fixture(scope="session")
def web_config(tmp_path_factory) -> WebConfig:
    sessions = tmp_path_factory.mktemp("web") / "sessions"
    return WebConfig(dev_mode=True, session_dir=str(sessions), secure_cookies=False)


@pytest.fixture(scope="session")
def app(shared_services, web_config):
    return web_app(web_config, adapter_for(shared_services.apps()))


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
def visitor(app, services) -> Visitor:
    return Visitor(app.test_client())


@pytest.fixture
def english(visitor) -> Visitor:
    visitor.client.set_cookie("lang", "en")
    return visitor


CADRE = {"sub": "c-001", "name": "张敏", "unit": "county-7"}
