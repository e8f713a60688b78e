"""The reviewer's pages: the queue (oldest due first, overdue marked), the nomination with its
open cases, a decision, and a stale screen answered with a clear message."""

from __future__ import annotations

from tests.unit.webfront.conftest import CADRE


class TestQueue:
    def test_the_queue_keeps_the_services_order_and_marks_the_overdue(self, visitor, services) -> None:
        late = services.add_nomination(CADRE, due_at="2026-01-02T09:00:00+00:00", overdue=True)
        later = services.add_nomination(CADRE, due_at="2099-01-02T09:00:00+00:00")
        page = visitor.sign_in("u-001").get("/reviews").get_data(as_text=True)
        assert page.index(f"/reviews/{late}") < page.index(f"/reviews/{later}")
        assert page.count('<tr class="late">') == 1
        assert "1 份已超期" in page

    def test_a_step_past_its_due_time_is_marked_before_the_scanner_flags_it(self, visitor, services) -> None:
        services.add_nomination(CADRE, due_at="2026-01-02T09:00:00+00:00", overdue=False)
        assert '<tr class="late">' in visitor.sign_in("u-001").get("/reviews").get_data(as_text=True)


class TestDecision:
    def test_the_page_shows_the_open_cases_and_a_decision_form_at_my_stage(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        services.add_case(open_case_of=nid, status="investigating")
        page = visitor.sign_in("u-001").get(f"/reviews/{nid}").get_data(as_text=True)
        assert "调查中" in page and "只开会不落实" in page  # the status, the category's title
        assert "/cases/case-" not in page  # a reviewer is shown the case, not led into it
        assert 'name="stage" value="unit"' in page and 'name="step" value="0"' in page

    def test_no_decision_form_for_another_stage(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        page = visitor.sign_in("o-001").get(f"/reviews/{nid}").get_data(as_text=True)
        assert 'name="decision"' not in page

    def test_a_decision_sends_the_stage_and_step_seen(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        visitor.sign_in("u-001").get(f"/reviews/{nid}")
        response = visitor.post(
            f"/reviews/{nid}/decision", {"stage": "unit", "step": "0", "decision": "approve", "comment": "好"}
        )
        assert response.status_code == 303 and response.headers["Location"] == "/reviews"
        assert services.calls_to("review")[-1][3] == {
            "stage": "unit",
            "step": 0,
            "decision": "approve",
            "comment": "好",
        }

    def test_a_stale_screen_gets_a_clear_message_and_the_current_state(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE, stage="org_department", step=1)
        visitor.sign_in("u-001").get(f"/reviews/{nid}")
        response = visitor.post(f"/reviews/{nid}/decision", {"stage": "unit", "step": "0", "decision": "approve"})
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "您查看期间该推荐已发生变化" in page and "组织部" in page

    def test_a_decision_without_a_choice_is_marked_beside_the_choices(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        visitor.sign_in("u-001").get(f"/reviews/{nid}")
        response = visitor.post(f"/reviews/{nid}/decision", {"stage": "unit", "step": "0"})
        assert response.status_code == 422
        assert 'id="decision-error"' in response.get_data(as_text=True)
