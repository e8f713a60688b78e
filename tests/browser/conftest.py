"""Browser tests: the real services and the web front under gunicorn (SQLite log, development
mode), driven by Debian's chromium through chromium-driver and Selenium. One Chromium session
serves the whole module set. Every page visited is screenshotted to var/screenshots/ and checked
with axe-core (no serious or critical violation)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.support.stack import ROOT, ServiceProcess

os.environ.setdefault("SE_AVOID_STATS", "true")  # no usage statistics from Selenium
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "screenshots"
SUPERVISION = (ROOT / "services" / "supervision" / "app.py").exists()
needs_supervision = pytest.mark.skipif(
    not SUPERVISION, reason="needs the supervision service (issue 11, services/supervision) on this branch"
)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The services on one SQLite log, and the web front pointing at them: their URLs by name."""
    workdir = tmp_path_factory.mktemp("browser-stack")
    env = {
        "EVENT_BACKEND": "sqlite",
        "EVENT_DB": str(workdir / "cadreflow.db"),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        "CADREFLOW_DEV_MODE": "1",
        "OVERDUE_SCAN_INTERVAL_S": "3600",
    }
    names = ["nomination", "review", "notification"] + (["supervision"] if SUPERVISION else [])
    procs = {name: ServiceProcess(name, env, workdir).start() for name in names}
    urls = {f"WEB_{name.upper()}_URL": proc.url for name, proc in procs.items()}
    if not SUPERVISION:
        urls["WEB_SUPERVISION_URL"] = "http://127.0.0.1:9"  # nothing listens: the "service down" page
    web_env = {**env, **urls, "WEB_SESSION_DIR": str(workdir / "web-sessions")}
    procs["web"] = ServiceProcess("web", web_env, workdir).start()
    try:
        for proc in procs.values():
            proc.wait_ready()
        yield {"workdir": workdir, **{name: proc.url for name, proc in procs.items()}}
    finally:
        for proc in procs.values():
            proc.stop()


@pytest.fixture(scope="session")
def driver():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists() and AXE.exists()):
        pytest.skip("needs chromium, chromium-driver and axe-core: `make browser axe` installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=zh-CN",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    profile = ROOT / "var" / "chromium-profile"
    shutil.rmtree(profile, ignore_errors=True)
    options.add_argument(f"--user-data-dir={profile}")
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Pages:
    """The browser as a person uses it, plus a screenshot and an axe-core check of each page."""

    def __init__(self, driver, base: str) -> None:
        self.driver = driver
        self.base = base
        self.axe_source = AXE.read_text()
        self.report: dict[str, list] = {}

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def click(self, css: str) -> None:
        """Click what submits a form or follows a link, and wait until the next page has replaced this one."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.expected_conditions import staleness_of
        from selenium.webdriver.support.wait import WebDriverWait

        page = self.driver.find_element(By.TAG_NAME, "html")
        for attempt in range(3):  # a page just re-laid out (after a screenshot) may refuse the first click
            try:
                self.driver.find_element(By.CSS_SELECTOR, css).click()
                break
            except WebDriverException:
                if attempt == 2:
                    raise
                time.sleep(0.2)
        WebDriverWait(self.driver, 20).until(staleness_of(page))

    def sign_in(self, person_id: str) -> None:
        self.sign_out()
        self.open("/")
        self.click(f'button[data-person="{person_id}"]')

    def sign_out(self) -> None:
        from selenium.webdriver.common.by import By

        if self.driver.find_elements(By.CSS_SELECTOR, "form[action='/signout'] button"):
            self.click("form[action='/signout'] button")

    def check(self, name: str, width: int = 1280) -> list[dict]:
        """Screenshot the whole page as var/screenshots/<name>.png and run axe-core on it; the
        serious and critical violations are returned (and kept in var/screenshots/axe.json)."""
        self._screenshot(name, width)
        self.driver.execute_script(self.axe_source)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
        )
        assert isinstance(result, list), result
        self.report[name] = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result
        ]
        (SHOTS / "axe.json").write_text(json.dumps(self.report, indent=1, ensure_ascii=False))
        return [v for v in self.report[name] if v["impact"] in ("serious", "critical")]

    def _screenshot(self, name: str, width: int) -> None:
        """The whole page at `width` CSS pixels (a phone's, or a desktop's), through the DevTools protocol."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 8000), "scale": 1},
            },
        )
        (SHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture(scope="session")
def pages(site, driver):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    tour = Pages(driver, site["web"])
    yield tour
    print(f"\nscreenshots and axe results: {SHOTS} ({len(list(SHOTS.glob('*.png')))} pages)")


def wait_for(predicate, timeout_s: float = 20, every_s: float = 0.25):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError(f"not true after {timeout_s}s")
