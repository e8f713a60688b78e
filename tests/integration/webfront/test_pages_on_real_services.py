"""The web front's pages against the real services (in process, one SQLite log): the shapes and
status codes the pages rely on are the services' own, not a fake's. Each call of the web goes
through a WSGI transport to the service app it names; the browser tests cover the same site
under gunicorn and Chromium, this covers the answers they cannot provoke cheaply (409, 422,
429, a receipt nobody has, an identity nobody gave, the clock moved past a notice window)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from services.nomination.app import create_app as create_nomination
from services.notification.app import create_app as create_notification
from services.review.app import create_app as create_review
from services.supervision.app import create_app as create_supervision
from services.web.app import create_app as create_web
from services.web.config import DEFAULT_URLS, WebConfig
from shared.config import Config
from tests.support.apps import settle, wait_ready
from tests.support.people import Person
from tests.support.wsgi_adapter import WsgiAdapter
from tests.unit.webfront.conftest import Visitor

CLUES_PER_VISITOR = 3
ADMIN = Person("a-001", "admin", "city", "周强")


class TickingClock:
    """The services' clock: a millisecond later at every reading (so the newest case is the last
    one filed), moved on by days when a test needs a window to close."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


class Site:
    """The four services and the web front over them; a visitor per browser."""

    def __init__(self, workdir) -> None:
        self.clock = TickingClock()

        def config(service: str) -> Config:
            return Config(
                service=service,
                event_backend="sqlite",
                event_db=str(workdir / "events.db"),
                snapshot_dir=None,
                overdue_scan_interval_s=0,
                notice_scan_interval_s=0,
                key_dir=str(workdir / "keys"),
                receipt_hash_cost=2**10,
                clue_rate_limit=f"{CLUES_PER_VISITOR}/3600",
                receipt_rate_limit="0",
                submission_rate_limit="0",
                decision_rate_limit="0",
            )

        self.apps = {
            "nomination": create_nomination(config("nomination"), clock=self.clock),
            "review": create_review(config("review"), clock=self.clock),
            "notification": create_notification(config("notification"), clock=self.clock),
            "supervision": create_supervision(config("supervision"), clock=self.clock),
        }
        for app in self.apps.values():
            wait_ready(app)
        adapter = WsgiAdapter({urlsplit(DEFAULT_URLS[name]).netloc: app for name, app in self.apps.items()})
        web_config = WebConfig(dev_mode=True, session_dir=str(workdir / "sessions"), secure_cookies=False)
        self.web = create_web(web_config, adapter)

    def visitor(self, address: str = "198.51.100.1") -> Visitor:
        client = self.web.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return Visitor(client)

    def settle(self) -> None:
        settle(self.apps.values())

    def stop(self) -> None:
        for app in self.apps.values():
            app.extensions["runtime"].stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    running = Site(tmp_path_factory.mktemp("web-on-services"))
    yield running
    running.stop()


def text(response) -> str:
    return response.get_data(as_text=True)


CLUE = {
    "kind": "cadre",
    "category": "never-available",
    "subject.name": "王某",
    "subject.unit": "county-7",
    "subject.position": "科长",
    "description": "三次到办公室都找不到人。",
    "anonymous": "true",
}


def report(visitor: Visitor, **changes) -> str:
    """File a clue through /report; the receipt, from the receipt page."""
    visitor.get("/report")
    page = text(visitor.post("/report", {**CLUE, **changes}))
    receipt = re.search(r'data-receipt="(\d{16})"', page)
    assert receipt, page
    return receipt.group(1)


def newest_case(site: Site, officer: Visitor) -> str:
    site.settle()
    found = re.search(r'href="/cases/([0-9a-f]{32})"', text(officer.get("/cases")))
    assert found
    return found.group(1)


class TestThePublicAndTheOfficer:
    def test_a_clue_is_followed_with_its_receipt_and_answered(self, site) -> None:
        public = site.visitor("198.51.100.10")
        receipt = report(public, anonymous="", **{"reporter.name": "李四", "reporter.phone": "13800138000"})
        public.get("/report/status")
        page = text(public.post("/report/status", {"receipt": " ".join(re.findall("....", receipt))}))
        assert "已收到" in page and receipt not in page.replace(f'value="{receipt}"', "")

        officer = site.visitor().sign_in("v-001")
        case_id = newest_case(site, officer)
        officer.get(f"/cases/{case_id}")
        assert (
            officer.post(f"/cases/{case_id}/actions", {"action": "message", "text": "哪间办公室？"}).status_code == 303
        )

        page = text(public.post("/report/messages", {"receipt": receipt, "text": "三楼302。"}))
        assert "哪间办公室？" in page and "三楼302。" in page and "留言已发送" in page

    def test_a_receipt_nobody_has_or_that_is_no_receipt_is_said_beside_the_field(self, site) -> None:
        public = site.visitor()
        public.get("/report/status")
        unknown = public.post("/report/status", {"receipt": "0000 0000 0000 0000"})
        assert unknown.status_code == 404 and "没有与此查询码对应的反映" in text(unknown)
        assert public.post("/report/status", {"receipt": "1234"}).status_code == 422

    def test_the_officer_takes_a_case_through_the_loop(self, site) -> None:
        report(site.visitor("198.51.100.11"))
        officer = site.visitor().sign_in("v-001")
        case_id = newest_case(site, officer)
        officer.get(f"/cases/{case_id}")

        def act(form: dict, status: int = 303):
            response = officer.post(f"/cases/{case_id}/actions", form)
            assert response.status_code == status, text(response)
            return text(response)

        act({"action": "accept", "cadre_id": "c-001"})
        assert "调查中" in text(officer.get(f"/cases/{case_id}"))
        stale = act({"action": "accept"}, 409)  # a second tab still showed "received"
        assert "您查看期间案件已发生变化" in stale and "调查中" in stale
        page = act({"action": "finding", "summary": "属实"}, 422)  # no result chosen
        assert 'id="finding-result-error"' in page and "属实" in page
        act({"action": "finding", "result": "substantiated", "outcome": "warn", "summary": "属实"})
        page = act({"action": "order", "unit": "county-7", "due_days": "0", "requirement": "限期整改"}, 422)
        assert 'id="order-due_days-error"' in page and "请输入 1 到 365 之间的数字" in page
        act({"action": "order", "unit": "county-7", "due_days": "10", "requirement": "限期整改"})

        unit = site.visitor().sign_in("u-001")
        assert f"/cases/{case_id}" in text(unit.get("/cases"))
        unit.get(f"/cases/{case_id}")
        assert (
            unit.post(f"/cases/{case_id}/actions", {"action": "report", "what_was_done": "排班值守"}).status_code == 303
        )

        officer.get(f"/cases/{case_id}")
        act({"action": "evaluate", "effective": "true", "note": "回访满意"})
        page = text(officer.get(f"/cases/{case_id}"))
        assert "已办结" in page and "排班值守" in page and "回访满意" in page

    def test_the_custodian_reveals_a_named_reporter_and_is_told_when_there_is_none(self, site) -> None:
        named = {"anonymous": "", "reporter.name": "王五", "reporter.phone": "010-12345678"}
        report(site.visitor("198.51.100.12"), **named)
        custodian = site.visitor().sign_in("k-001")
        case_id = newest_case(site, custodian)
        custodian.get(f"/cases/{case_id}")
        assert custodian.post(f"/cases/{case_id}/identity", {"reason": ""}).status_code == 422
        page = text(custodian.post(f"/cases/{case_id}/identity", {"reason": "依法核查诬告"}))
        assert "王五" in page and "010-12345678" in page

        report(site.visitor("198.51.100.13"))
        anonymous = newest_case(site, custodian)
        page = text(custodian.get(f"/cases/{anonymous}"))
        assert "反映人为匿名" in page and f"/cases/{anonymous}/identity" not in page
        response = custodian.post(f"/cases/{anonymous}/identity", {"reason": "核查"})
        assert response.status_code == 404 and "本案件没有保存反映人身份" in text(response)


def test_reports_are_limited_per_visitor_and_the_text_is_kept(site) -> None:
    """The web passes each visitor's address in X-Forwarded-For; the supervision service believes
    it from the web (a trusted proxy), so one visitor's limit is not everyone's."""
    busy = site.visitor("203.0.113.50")
    for _ in range(CLUES_PER_VISITOR):
        report(busy)
    busy.get("/report")
    refused = busy.post("/report", {**CLUE, "description": "第四条"})
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
    assert "秒后再试" in text(refused) and "第四条" in text(refused)
    assert report(site.visitor("203.0.113.51"))  # another visitor is not held back


def test_field_errors_of_a_report_are_beside_their_fields(site) -> None:
    """The service checks the form's shape first, then its sense: each refusal lands by its field."""
    public = site.visitor("198.51.100.20")
    public.get("/report")
    form = {"kind": "cadre", "description": "x", "anonymous": "", "reporter.name": "李四", "reporter.phone": "电话"}
    page = text(public.post("/report", form))
    assert 'id="reporter-phone-error"' in page and "请输入电话号码" in page
    page = text(public.post("/report", {**form, "reporter.phone": "13800138000"}))
    assert 'id="category-error"' in page and "此项为必填" in page, page


class TestNoticeAndAppointment:
    def test_a_direct_nomination_goes_on_notice_takes_an_objection_and_is_appointed(self, site) -> None:
        org = site.visitor().sign_in("o-001")
        org.get("/nominations/direct")
        form = {
            "cadre.id": "c-001",
            "cadre.name": "张敏",
            "cadre.unit": "county-7",
            "target_position.title": "开发区主任",
            "target_position.organization": "经济开发区",
            "justification": "提前两年建成港口项目。",
        }
        refused = org.post("/nominations/direct", {**form, "cadre.id": "o-001"})
        assert refused.status_code == 403 and "不能直接提名自己" in text(refused)
        created = org.post("/nominations/direct", form)
        assert created.status_code == 303
        nomination_id = created.headers["Location"].rsplit("/", 1)[1]

        site.settle()
        secretary = site.visitor().sign_in("s-001")
        secretary.get(f"/reviews/{nomination_id}")
        decided = secretary.post(
            f"/reviews/{nomination_id}/decision", {"stage": "secretary", "step": "0", "decision": "approve"}
        )
        assert decided.status_code == 303
        site.settle()

        notices = text(site.visitor().get("/notices"))
        assert "开发区主任" in notices and f"nomination_id={nomination_id}" in notices
        objector = site.visitor("198.51.100.30")
        page = text(objector.get(f"/report?kind=objection&nomination_id={nomination_id}"))
        assert "提出异议" in page and "开发区主任" in page
        assert "data-receipt" in text(
            objector.post(
                "/report",
                {
                    "kind": "objection",
                    "subject.nomination_id": nomination_id,
                    "description": "收过礼。",
                    "anonymous": "true",
                },
            )
        )

        cadre = site.visitor().sign_in("c-001")
        page = text(cadre.get(f"/nominations/{nomination_id}"))
        assert "公示中" in page and "公示截止" in page and "<h3>进入公示</h3>" in page

        officer = site.visitor().sign_in("v-001")
        case_id = newest_case(site, officer)
        officer.get(f"/cases/{case_id}")
        officer.post(f"/cases/{case_id}/actions", {"action": "dismiss", "reason": "查无实据"})
        site.clock.now += timedelta(days=14)
        scanned = site.apps["nomination"].test_client().post("/api/v1/notices/scan", headers=ADMIN.headers)
        assert scanned.json["appointed"] == 1, scanned.json
        site.settle()

        page = text(cadre.get(f"/nominations/{nomination_id}"))
        assert "已任用" in page and "<h3>已任用</h3>" in page
        inbox = text(cadre.get("/inbox"))
        assert "已被任用为“开发区主任”" in inbox and "is appointed" not in inbox
