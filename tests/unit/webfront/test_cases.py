"""Supervision pages: the case queue with filters, a case with the actions its status allows, the
custodian's identity reveal."""

from __future__ import annotations

import pytest


class TestQueue:
    def test_filters_go_to_the_service_as_query_parameters(self, visitor, services) -> None:
        services.add_case(status="received")
        services.add_case(status="closed")
        page = visitor.sign_in("v-001").get("/cases?status=closed&kind=").get_data(as_text=True)
        assert page.count('href="/cases/case-') == 1
        assert any(call[2] == "/api/v1/cases" for call in services.calls)

    def test_a_cadre_may_not_open_the_cases(self, visitor) -> None:
        assert visitor.sign_in("c-001").get("/cases").status_code == 403

    def test_a_filter_the_service_refuses_is_marked_beside_it(self, visitor, services) -> None:
        services.refuse_filter = {"unit": ["Length must be between 1 and 100."]}
        response = visitor.sign_in("v-001").get("/cases?unit=" + "x" * 101)
        assert response.status_code == 200 and 'id="unit-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("status", "person", "forms"),
    [
        ("received", "v-001", {"accept", "dismiss", "message"}),
        ("investigating", "v-001", {"finding", "message"}),
        ("found", "v-001", {"order", "message"}),
        ("rectifying", "u-001", {"report"}),
        ("evaluating", "v-001", {"evaluate", "message"}),
        ("closed", "k-001", set()),
    ],
)
def test_a_case_offers_the_actions_of_its_status_and_the_persons_role(visitor, services, status, person, forms) -> None:
    case_id = services.add_case(status=status)
    page = visitor.sign_in(person).get(f"/cases/{case_id}").get_data(as_text=True)
    offered = {
        a
        for a in ("accept", "dismiss", "finding", "order", "report", "evaluate", "message")
        if f'name="action" value="{a}"' in page
    }
    assert offered == forms


class TestTheLoop:
    def test_each_action_sends_its_fields_and_moves_the_case_on(self, visitor, services) -> None:
        case_id = services.add_case()
        visitor.sign_in("v-001").get(f"/cases/{case_id}")
        steps = [
            {"action": "accept", "cadre_id": "c-001"},
            {"action": "finding", "result": "substantiated", "outcome": "warn", "summary": "属实"},
            {"action": "order", "unit": "county-7", "due_days": "10", "requirement": "限期整改"},
        ]
        for form in steps:
            assert visitor.post(f"/cases/{case_id}/actions", form).status_code == 303
            visitor.get(f"/cases/{case_id}")
        assert services.calls_to("supervision")[-1][3] == {
            "action": "order",
            "unit": "county-7",
            "due_days": 10,
            "requirement": "限期整改",
        }
        visitor.sign_in("u-001").get(f"/cases/{case_id}")
        visitor.post(f"/cases/{case_id}/actions", {"action": "report", "what_was_done": "已整改"})
        visitor.sign_in("v-001").get(f"/cases/{case_id}")
        visitor.post(f"/cases/{case_id}/actions", {"action": "evaluate", "effective": "true", "note": "有效"})
        assert services.calls_to("supervision")[-1][3] == {"action": "evaluate", "effective": True, "note": "有效"}
        assert services.cases[case_id]["status"] == "closed"

    def test_a_finding_may_warn_a_batch_and_educate_a_piece(self, visitor, services) -> None:
        case_id = services.add_case(status="investigating")
        visitor.sign_in("v-001").get(f"/cases/{case_id}")
        form = {
            "action": "finding",
            "result": "partly",
            "summary": "部分属实",
            "outcome": "",
            "circular.units": "county-7, county-8、county-9",
            "circular.text": "通报",
            "education.units": "",
        }
        visitor.post(f"/cases/{case_id}/actions", form)
        assert services.calls_to("supervision")[-1][3] == {
            "action": "finding",
            "result": "partly",
            "summary": "部分属实",
            "circular": {"units": ["county-7", "county-8", "county-9"], "text": "通报"},
        }

    def test_the_unit_reports_its_education_done(self, visitor, services) -> None:
        case_id = services.add_case(
            status="found", education=[{"unit": "county-7", "requirement": "学习", "done": False}]
        )
        page = visitor.sign_in("u-001").get(f"/cases/{case_id}").get_data(as_text=True)
        assert 'name="action" value="education_done"' in page

    def test_a_missing_field_is_marked_in_the_form_of_its_action(self, visitor, services) -> None:
        case_id = services.add_case()
        visitor.sign_in("v-001").get(f"/cases/{case_id}")
        response = visitor.post(f"/cases/{case_id}/actions", {"action": "dismiss"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="dismiss-reason-error"' in page and "此项为必填。" in page

    def test_an_action_that_no_longer_fits_gets_a_clear_message(self, visitor, services) -> None:
        case_id = services.add_case(status="closed")
        visitor.sign_in("v-001").get(f"/cases/{case_id}")
        response = visitor.post(f"/cases/{case_id}/actions", {"action": "accept"})
        assert response.status_code == 409
        assert "您查看期间案件已发生变化" in response.get_data(as_text=True)


class TestIdentity:
    def test_the_custodian_sees_the_identity_once_for_a_reason(self, visitor, services) -> None:
        case_id = services.add_case()
        page = visitor.sign_in("k-001").get(f"/cases/{case_id}").get_data(as_text=True)
        assert "查看反映人身份" in page
        response = visitor.post(f"/cases/{case_id}/identity", {"reason": "依法核查诬告"})
        assert "13800000000" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"
        assert services.calls_to("supervision")[-1][3] == {"reason": "依法核查诬告"}

    def test_a_reason_is_required(self, visitor, services) -> None:
        case_id = services.add_case()
        visitor.sign_in("k-001").get(f"/cases/{case_id}")
        response = visitor.post(f"/cases/{case_id}/identity", {"reason": ""})
        assert response.status_code == 422 and 'id="identity-reason-error"' in response.get_data(as_text=True)

    def test_nobody_else_may_ask(self, visitor, services) -> None:
        case_id = services.add_case()
        visitor.sign_in("v-001").get(f"/cases/{case_id}")
        assert visitor.post(f"/cases/{case_id}/identity", {"reason": "x"}).status_code == 403


class TestPolitelyRefused:
    def test_the_custodian_is_told_when_no_identity_is_held(self, visitor, services) -> None:
        case_id = services.add_case(anonymous=True)
        page = visitor.sign_in("k-001").get(f"/cases/{case_id}").get_data(as_text=True)
        assert "反映人为匿名" in page and "cases/" + case_id + "/identity" not in page
        services.cases[case_id]["anonymous"] = False  # named, but the identity was erased since
        services.cases[case_id]["erased"] = True
        visitor.get(f"/cases/{case_id}")
        response = visitor.post(f"/cases/{case_id}/identity", {"reason": "依法核查"})
        assert response.status_code == 404 and "本案件没有保存反映人身份" in response.get_data(as_text=True)

    def test_too_many_actions_keep_the_form_and_say_how_long_to_wait(self, visitor, services) -> None:
        case_id = services.add_case()
        services.limited[f"/api/v1/cases/{case_id}/actions"] = 30
        visitor.sign_in("v-001").get(f"/cases/{case_id}")
        response = visitor.post(f"/cases/{case_id}/actions", {"action": "dismiss", "reason": "重复反映"})
        page = response.get_data(as_text=True)
        assert response.status_code == 429 and response.headers["Retry-After"] == "30"
        assert "请等待 30 秒后再试" in page and "重复反映" in page


class TestThePage:
    def test_a_rectification_report_and_note_have_lines_of_their_own(self, visitor, services) -> None:
        """A report ends with its own punctuation: "已整改。 · 2026-12-05 17:00" read as one broken sentence."""
        rounds = [
            {
                "round": 1,
                "unit": "county-7",
                "requirement": "限期整改",
                "due_days": 10,
                "due_at": "2026-12-19T00:00:00+00:00",
                "overdue_at": None,
                "report": "已整改。",
                "reported_at": "2026-12-05T09:00:00+00:00",
                "effective": True,
                "evaluation_note": "效果明显。",
            }
        ]
        case_id = services.add_case(status="closed", rounds=rounds)
        page = visitor.sign_in("v-001").get(f"/cases/{case_id}").get_data(as_text=True)
        assert '<p class="words prose">已整改。</p><p><time datetime="2026-12-05T09:00:00+00:00">' in page
        assert '有效<p class="words">效果明显。</p>' in page and "。 ·" not in page

    def test_the_history_names_who_acted_in_words(self, visitor, services) -> None:
        case_id = services.add_case()
        page = visitor.sign_in("v-001").get(f"/cases/{case_id}").get_data(as_text=True)
        assert "· 群众" in page and "public" not in page.split('id="history-heading"')[1]
