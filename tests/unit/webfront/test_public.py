"""Public pages without sign-in: report a clue (the receipt shown once), follow it with the
receipt (only ever as the X-Receipt header), the board, the notices, the commitments."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.webfront.conftest import Visitor, adapter_for, web_app
from tests.unit.webfront.fakes import RECEIPT

CLUE = {
    "kind": "cadre",
    "category": "no-results",
    "subject.name": "王某",
    "subject.unit": "county-7",
    "subject.position": "科长",
    "subject.nomination_id": "ignored for a cadre",
    "description": "只开会不落实。",
    "anonymous": "true",
}


NOTICE = {
    "nomination_id": "n7",
    "cadre": {"name": "张敏", "unit": "county-7"},
    "target_position": {"title": "副县长", "organization": "淅川县"},
    "notice_starts_at": "2026-12-07T00:00:00+00:00",
    "notice_ends_at": "2026-12-11T16:00:00+00:00",
}


class TestReport:
    def test_the_form_has_the_apis_field_names_and_the_categories(self, visitor) -> None:
        page = visitor.get("/report").get_data(as_text=True)
        for name in (
            "kind",
            "category",
            "subject.name",
            "subject.unit",
            "subject.position",
            "description",
            "anonymous",
            "reporter.name",
        ):
            assert f'name="{name}"' in page
        assert '<optgroup label="干部“躺平”线索">' in page and "只开会不落实" in page

    def test_an_anonymous_report_shows_the_receipt_once_with_a_warning(self, visitor, services) -> None:
        visitor.get("/report")
        response = visitor.post("/report", CLUE)
        page = response.get_data(as_text=True)
        assert response.status_code == 200  # the answer itself, never a redirect that could carry the receipt
        assert "".join(RECEIPT[i : i + 4] for i in range(0, 16, 4)) in page.replace("</span><span>", "")
        assert "只显示这一次" in page
        assert response.headers["Cache-Control"] == "no-store"
        sent = services.calls_to("supervision")[-1]
        assert sent[3]["subject"] == {"name": "王某", "unit": "county-7", "position": "科长"}
        assert sent[3]["anonymous"] is True and "reporter" not in sent[3]
        assert "Authorization" not in sent[4]
        assert RECEIPT not in visitor.get("/report/status").get_data(as_text=True)

    def test_a_named_report_sends_the_reporter(self, visitor, services) -> None:
        visitor.get("/report")
        visitor.post("/report", {**CLUE, "anonymous": "", "reporter.name": "李四", "reporter.phone": "139"})
        assert services.calls_to("supervision")[-1][3]["reporter"] == {"name": "李四", "phone": "139"}

    def test_a_signed_in_cadre_reports_as_the_public(self, visitor, services) -> None:
        visitor.sign_in("c-001").get("/report")
        visitor.post("/report", CLUE)
        assert "Authorization" not in services.calls_to("supervision")[-1][4]

    def test_the_hotline_operator_records_a_call_with_their_token(self, visitor, services) -> None:
        page = visitor.sign_in("h-001").get("/report").get_data(as_text=True)
        assert "录入来电" in page
        visitor.post("/report", CLUE)
        assert services.calls_to("supervision")[-1][4]["Authorization"].startswith("Bearer ")

    def test_an_objection_is_prefilled_from_the_notice(self, visitor, services) -> None:
        services.notices = [NOTICE]
        page = visitor.get("/report?kind=objection&nomination_id=n7").get_data(as_text=True)
        assert 'value="n7"' in page and "提出异议" in page
        assert "张敏" in page and "副县长" in page  # whom the objection is about, from the notice
        assert 'name="category"' not in page and 'name="subject.name"' not in page
        visitor.post("/report", {"kind": "objection", "subject.nomination_id": "n7", "description": "有异议"})
        sent = services.calls_to("supervision")[-1][3]
        assert sent["subject"] == {"nomination_id": "n7"} and "category" not in sent

    def test_too_many_reports_from_here_is_said_politely_and_keeps_the_text(self, visitor, services) -> None:
        services.limited["/api/v1/clues"] = 42
        visitor.get("/report")
        response = visitor.post("/report", CLUE)
        page = response.get_data(as_text=True)
        assert response.status_code == 429 and response.headers["Retry-After"] == "42"
        assert "请等待 42 秒后再试" in page and "只开会不落实。" in page

    def test_the_visitors_address_goes_along_for_the_rate_limit_only(self, visitor, services) -> None:
        visitor.get("/report")
        visitor.post("/report", CLUE, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert services.calls_to("supervision")[-1][4]["X-Forwarded-For"] == "203.0.113.9"

    def test_behind_a_reverse_proxy_the_visitor_is_the_address_it_appended(self, services, web_config) -> None:
        proxied = Visitor(web_app(replace(web_config, proxy_hops=1), adapter_for(services.apps())).test_client())
        proxied.get("/report")
        forged_then_appended = {"X-Forwarded-For": "10.9.9.9, 203.0.113.7"}
        proxied.post("/report", CLUE, headers=forged_then_appended, environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert services.calls_to("supervision")[-1][4]["X-Forwarded-For"] == "203.0.113.7"

    def test_errors_are_shown_beside_the_fields(self, visitor) -> None:
        visitor.get("/report")
        response = visitor.post("/report", {**CLUE, "description": ""})
        assert response.status_code == 422 and 'id="description-error"' in response.get_data(as_text=True)


class TestFollow:
    def test_the_receipt_goes_only_as_a_header(self, visitor, services) -> None:
        services.add_case()
        visitor.get("/report/status")
        response = visitor.post("/report/status", {"receipt": "1234 5678 1234 5678"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "已收到" in page and "办理进展" in page
        [call] = [c for c in services.calls if c[2] == "/api/v1/clues/status"]
        assert call[4]["X-Receipt"] == RECEIPT
        assert all(RECEIPT not in c[2] for c in services.calls)
        assert response.headers["Cache-Control"] == "no-store"

    def test_a_wrong_receipt_is_told_so(self, visitor, services) -> None:
        services.add_case()
        visitor.get("/report/status")
        response = visitor.post("/report/status", {"receipt": "0000000000000000"})
        assert response.status_code == 404 and "没有与此查询码对应的反映" in response.get_data(as_text=True)
        assert 'id="receipt-error"' in response.get_data(as_text=True)
        assert visitor.post("/report/status", {"receipt": "12"}).status_code == 422

    def test_too_many_tries_are_said_beside_the_receipt(self, visitor, services) -> None:
        services.limited["/api/v1/clues/status"] = 60
        visitor.get("/report/status")
        response = visitor.post("/report/status", {"receipt": RECEIPT})
        page = response.get_data(as_text=True)
        assert response.status_code == 429 and response.headers["Retry-After"] == "60"
        assert 'id="receipt-error"' in page and "请等待 60 秒后再试" in page and RECEIPT not in page

    def test_a_message_refused_for_its_receipt_goes_back_to_the_receipt_form(self, visitor, services) -> None:
        visitor.get("/report/status")
        response = visitor.post("/report/messages", {"receipt": "9999999999999999", "text": "还在吗"})
        assert response.status_code == 404 and 'id="receipt-error"' in response.get_data(as_text=True)

    def test_the_reporter_answers_with_a_message(self, visitor, services) -> None:
        case_id = services.add_case()
        visitor.get("/report/status")
        visitor.post("/report/status", {"receipt": RECEIPT})
        page = visitor.post("/report/messages", {"receipt": RECEIPT, "text": "补充：每周都如此"}).get_data(as_text=True)
        assert "留言已发送" in page and "补充：每周都如此" in page
        assert services.cases[case_id]["messages"][-1]["from"] == "reporter"


class TestPublicLists:
    def test_the_board_draws_bars_and_shows_suppressed_cells_as_such(self, visitor) -> None:
        page = visitor.get("/board").get_data(as_text=True)
        assert "按类别和单位" in page and "只开会不落实 · county-7" in page  # the Chinese title, not the id
        assert 'class="m-received" x="0" y="0" height="7" width="100.0"' in page
        assert 'width="41.7"' in page  # 5 of 12
        assert "2 个不足 3 件的分组未显示" in page

    def test_the_notices_link_to_an_objection(self, visitor, services) -> None:
        services.notices = [NOTICE]
        page = visitor.get("/notices").get_data(as_text=True)
        assert "张敏" in page and "副县长" in page
        assert "2026-12-11 24:00" in page  # the end of the last day of the window, not 00:00 of the next
        assert 'href="/report?kind=objection&amp;nomination_id=n7"' in page

    def test_a_unit_reviewer_publishes_the_units_commitment(self, visitor, services) -> None:
        assert "还没有单位公开承诺" in visitor.get("/commitments").get_data(as_text=True)
        visitor.sign_in("u-001").get("/commitments")
        response = visitor.post("/commitments", {"text": "决不躺平", "supervision_phone": ""})
        assert response.status_code == 422 and 'id="supervision_phone-error"' in response.get_data(as_text=True)
        visitor.post("/commitments", {"text": "决不躺平", "supervision_phone": "0377-12345"})
        page = visitor.get("/commitments").get_data(as_text=True)
        assert "决不躺平" in page and "0377-12345" in page
        assert services.calls_to("supervision", "PUT")[-1][2] == "/api/v1/commitments/county-7"

    def test_a_long_list_of_notices_has_a_next_and_a_first_page(self, visitor, services) -> None:
        services.notices = [{**NOTICE, "nomination_id": f"n{i}"} for i in range(60)]
        page = visitor.get("/notices").get_data(as_text=True)
        assert page.count("提出异议</a>") == 0 and page.count('class="button secondary"') == 50
        assert 'href="/notices?cursor=50"' in page and "第一页" not in page
        page = visitor.get("/notices?cursor=50").get_data(as_text=True)
        assert page.count('class="button secondary"') == 10 and 'href="/notices"' in page and "下一页" not in page

    def test_a_page_that_is_no_longer_valid_leads_to_the_first_page(self, visitor) -> None:
        response = visitor.get("/notices?cursor=stale")
        assert response.status_code == 302 and response.headers["Location"] == "/notices"
        assert "现显示列表第一页" in visitor.get("/notices").get_data(as_text=True)
