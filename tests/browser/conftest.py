"""Browser tests: the real services and the web front under gunicorn (SQLite log, development
mode), driven by Debian's chromium through chromium-driver and Selenium. One Chromium session
serves the whole module set. Every page visited is screenshotted to var/screenshots/ and checked
with axe-core (no serious or critical violation).

Waiting: a click that leads to another page marks the page it leaves (a data attribute on the
document element) and waits until a document without the mark has loaded. Nothing is asked of
an element of the old document after the click: polling one (Selenium's `staleness_of`) races
the navigation, and chromedriver then answers "Node with given id does not belong to the
document", an error `staleness_of` does not expect."""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
from pathlib import Path

import pytest
import requests

from tests.support.people import Person, nomination_body
from tests.support.stack import ROOT, ServiceProcess

os.environ.setdefault("SE_AVOID_STATS", "true")  # no usage statistics from Selenium
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "screenshots"
WINDOW = (1280, 900)


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
        "NOTICE_SCAN_INTERVAL_S": "3600",
        "RECEIPT_HASH_COST": "1024",  # the production cost only slows the tests down
    }
    names = ["nomination", "review", "notification", "supervision"]
    procs = {name: ServiceProcess(name, env, workdir).start() for name in names}
    urls = {f"WEB_{name.upper()}_URL": proc.url for name, proc in procs.items()}
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
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
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
        """Click what submits a form or follows a link, and wait until the page it leads to has loaded."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.expected_conditions import element_to_be_clickable
        from selenium.webdriver.support.wait import WebDriverWait

        target = WebDriverWait(self.driver, 10).until(element_to_be_clickable((By.CSS_SELECTOR, css)))
        self.driver.execute_script("document.documentElement.dataset.left = 'yes'")
        target.click()
        self.wait_for_next_page()

    def wait_for_next_page(self) -> None:
        """Until a new document (one without the mark of the page left) has loaded."""
        from selenium.webdriver.support.wait import WebDriverWait

        loaded = "return document.readyState === 'complete' && !document.documentElement.dataset.left"
        WebDriverWait(self.driver, 20, poll_frequency=0.05).until(lambda d: d.execute_script(loaded))

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
        """The whole page at `width` CSS pixels (a phone's, or the window's), through the DevTools
        protocol; then wait until the page is laid out at the window's width again, so the next
        click lands where the page is."""
        if width != WINDOW[0]:
            self.driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": width < 600},
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
        if width != WINDOW[0]:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self._wait_for_layout()

    def _wait_for_layout(self) -> None:
        from selenium.webdriver.support.wait import WebDriverWait

        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return window.innerWidth") == WINDOW[0])
        self.driver.execute_async_script(  # two frames: the layout at that width has been done
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(done));"
        )


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


OFFICER = Person("v-902", "supervision_officer", "city", "另一位监督员")
REVIEWERS_OF_THE_ORG_ROUTE = (
    ("org_department", Person("o-901", "org_reviewer", "org-dept", "审核员")),
    ("secretary", Person("s-901", "secretary", "committee", "书记")),
)


OFFICER = Person("v-902", "supervision_officer", "city", "另一位监督员")
REVIEWERS_OF_THE_ORG_ROUTE = (
    ("org_department", Person("o-901", "org_reviewer", "org-dept", "审核员")),
    ("secretary", Person("s-901", "secretary", "committee", "书记")),
)


class Backdoor:
    """The services' APIs called directly, to set a scene the browser then works in."""

    def __init__(self, site: dict) -> None:
        self.site = site

    def clue(self, visitor: str = "192.0.2.1", **changes) -> dict:
        """A clue filed as a visitor at `visitor` (its own rate-limit bucket): {case_id, receipt}."""
        body = {
            "kind": "cadre",
            "category": "never-available",
            "subject": {"name": "赵某", "unit": "county-7", "position": "办公室主任"},
            "description": "窗口工作时间经常无人，电话也不接。",
            "anonymous": True,
            **changes,
        }
        answer = requests.post(
            f"{self.site['supervision']}/api/v1/clues", json=body, headers={"X-Forwarded-For": visitor}, timeout=10
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    def accept(self, case_id: str) -> None:
        """Another officer of the city accepts the case."""
        self.act(case_id, OFFICER, {"action": "accept"})

    def rectify(self, case_id: str, unit: str, effective: bool) -> None:
        """The loop through the API: found substantiated, ordered to `unit`, reported, evaluated."""
        self.accept(case_id)
        self.act(case_id, OFFICER, {"action": "finding", "result": "substantiated", "summary": "属实"})
        self.act(case_id, OFFICER, {"action": "order", "unit": unit, "due_days": 5, "requirement": "限期整改"})
        self.act(
            case_id, Person(f"u-{unit}", "unit_reviewer", unit, "单位"), {"action": "report", "what_was_done": "已整改"}
        )
        self.act(case_id, OFFICER, {"action": "evaluate", "effective": effective, "note": "回访核实"})

    def act(self, case_id: str, who: Person, body: dict) -> None:
        url = f"{self.site['supervision']}/api/v1/cases/{case_id}/actions"
        answer = requests.post(url, json=body, headers=who.headers, timeout=10)
        assert answer.status_code == 200, answer.text

    def on_notice(self, cadre: Person, title: str) -> str:
        """A nomination of `cadre` approved at every step (on public notice now): its id."""
        body = nomination_body("org_department", target_position={"title": title, "organization": "市商务局"})
        url = f"{self.site['nomination']}/api/v1/nominations"
        created = requests.post(url, json=body, headers=cadre.headers, timeout=10)
        assert created.status_code == 201, created.text
        nomination_id = created.json()["nomination_id"]
        for stage, reviewer in REVIEWERS_OF_THE_ORG_ROUTE:
            self.approve(reviewer, nomination_id, stage)
        wait_for(lambda: nomination_id in requests.get(f"{self.site['nomination']}/api/v1/notices", timeout=10).text)
        return nomination_id

    def approve(self, reviewer: Person, nomination_id: str, stage: str) -> None:
        """Approve `stage` (the review service catches up with the log before it refuses a step)."""
        url = f"{self.site['review']}/api/v1/reviews/{nomination_id}/decisions"
        answer = requests.post(url, json={"stage": stage, "decision": "approve"}, headers=reviewer.headers, timeout=10)
        assert answer.status_code == 200, answer.text


@pytest.fixture(scope="session")
def backdoor(site) -> Backdoor:
    return Backdoor(site)
