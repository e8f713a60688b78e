"""The cadre's pages: the nomination form with the API's errors beside the fields, the page of a
nomination with its steps and trail, revision and withdrawal."""

from __future__ import annotations

import re

from tests.unit.webfront.conftest import CADRE

FILLED = {
    "channel": "unit",
    "target_position.title": "副县长",
    "target_position.organization": "淅川县",
    "statement": "十二年乡村振兴。",
    "commitment": "争创一流。",
    "achievement_rows": "3",
    "achievements.0.title": "电商中心",
    "achievements.0.description": "销售增长40%",
}


def field_names(page: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', page))


def tag(page: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>', page)
    assert found, element_id
    return found.group(0)


class TestTheForm:
    def test_fields_carry_the_apis_names_and_visible_labels(self, visitor) -> None:
        page = visitor.sign_in("c-001").get("/nominations/new").get_data(as_text=True)
        expected = {"channel", "target_position.title", "target_position.organization", "statement", "commitment"}
        assert expected | {f"achievements.{i}.{k}" for i in range(3) for k in ("title", "description")} <= field_names(
            page
        )
        for field_id in ("target_position-title", "statement", "achievements-2-description", "commitment"):
            assert f'<label for="{field_id}">' in page

    def test_add_another_achievement_gives_a_row_more_and_calls_no_service(self, visitor, services) -> None:
        visitor.sign_in("c-001")
        page = visitor.post("/nominations/new", {**FILLED, "add_achievement": "1"}).get_data(as_text=True)
        assert 'name="achievements.3.title"' in page
        assert 'value="电商中心"' in page  # what was typed stays
        assert services.calls_to("nomination") == []

    def test_the_apis_field_errors_are_shown_beside_their_fields(self, visitor) -> None:
        visitor.sign_in("c-001")
        form = {**FILLED, "target_position.title": "", "achievements.0.title": "", "achievements.1.title": "x"}
        form["achievements.0.description"] = ""
        form["achievements.2.description"] = "a description without a title"
        response = visitor.post("/nominations/new", form)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        title = tag(page, "target_position-title")
        assert 'aria-invalid="true"' in title and 'aria-describedby="target_position-title-error"' in title
        # the third row of the form was the second achievement sent: its error lands on the third row
        assert 'id="achievements-2-title-error"' in page
        assert 'id="achievements-1-title-error"' not in page
        assert "此项为必填，最多 200。" in page

    def test_a_submission_sends_the_filled_rows_and_opens_the_new_nomination(self, visitor, services) -> None:
        visitor.sign_in("c-001")
        response = visitor.post("/nominations/new", FILLED)
        assert response.status_code == 303
        sent = services.calls_to("nomination")[-1][3]
        assert sent["achievements"] == [{"title": "电商中心", "description": "销售增长40%"}]
        assert sent["target_position"] == {"title": "副县长", "organization": "淅川县"}
        assert visitor.get(response.headers["Location"]).status_code == 200


class TestTheNomination:
    def test_my_list_shows_status_stage_and_due_date(self, visitor, services) -> None:
        services.add_nomination(CADRE)
        page = visitor.sign_in("c-001").get("/nominations").get_data(as_text=True)
        assert "审核中" in page and "单位党组织" in page and "2026-12-09 17:00" in page

    def test_the_page_shows_the_steps_and_the_trail(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert 'class="timeline"' in page and "已提交" in page
        assert "撤回此自荐" in page
        assert "修改后重新提交" not in page  # only when returned

    def test_an_erased_persons_nomination_shows_its_trail_without_their_texts(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE, status="rejected", statement=None, commitment=None, redacted=True)
        services.nominations[nid]["achievements"] = [{"title": None, "description": None}]
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert "此人的个人信息已依法删除" in page and "None" not in page
        assert "Twelve years" not in page and 'class="timeline"' in page

    def test_a_returned_nomination_can_be_revised(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE, status="returned")
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert 'value="副县长"' in page  # the form holds the current text
        form = {k: v for k, v in FILLED.items() if k != "channel"} | {"statement": "改过的陈述"}
        response = visitor.post(f"/nominations/{nid}/revision", form)
        assert response.status_code == 303
        assert services.calls_to("nomination")[-1][3]["statement"] == "改过的陈述"
        assert "channel" not in services.calls_to("nomination")[-1][3]

    def test_revising_what_is_no_longer_returned_says_so(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        visitor.sign_in("c-001").get(f"/nominations/{nid}")
        response = visitor.post(f"/nominations/{nid}/revision", FILLED, follow_redirects=True)
        assert "该推荐已不能修改" in response.get_data(as_text=True)

    def test_withdrawing_sends_the_reason(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        visitor.sign_in("c-001").get(f"/nominations/{nid}")
        page = visitor.post(f"/nominations/{nid}/withdrawal", {"reason": "另有安排"}, follow_redirects=True)
        assert "自荐已撤回" in page.get_data(as_text=True)
        assert services.nominations[nid]["withdrawal_reason"] == "另有安排"


class TestDirectNomination:
    def test_the_organization_department_puts_a_cadre_forward(self, visitor, services) -> None:
        page = visitor.sign_in("o-001").get("/nominations/direct").get_data(as_text=True)
        assert {"cadre.id", "cadre.name", "cadre.unit", "target_position.title", "justification"} <= field_names(page)
        form = {
            "cadre.id": "c-009",
            "cadre.name": "赵六",
            "cadre.unit": "county-3",
            "target_position.title": "局长",
            "target_position.organization": "市商务局",
            "justification": "业绩突出",
        }
        response = visitor.post("/nominations/direct", {**form, "justification": ""})
        assert response.status_code == 422 and 'id="justification-error"' in response.get_data(as_text=True)
        response = visitor.post("/nominations/direct", form)
        assert response.status_code == 303 and response.headers["Location"].startswith("/reviews/")
        assert services.calls_to("nomination")[-1][3]["cadre"] == {"id": "c-009", "name": "赵六", "unit": "county-3"}

    def test_only_the_organization_department_may(self, visitor) -> None:
        assert visitor.sign_in("c-001").get("/nominations/direct").status_code == 403

    def test_proposing_oneself_is_refused_beside_the_form(self, visitor, services) -> None:
        visitor.sign_in("o-001").get("/nominations/direct")
        form = {"cadre.id": "o-001", "cadre.name": "王芳", "cadre.unit": "org-dept", "justification": "我"}
        response = visitor.post("/nominations/direct", form)
        assert response.status_code == 403 and "不能直接提名自己" in response.get_data(as_text=True)
        assert 'value="王芳"' in response.get_data(as_text=True)  # what was typed stays


NOTICE_ENDS = "2026-12-11T16:00:00+00:00"  # the end (24:00 Beijing time) of 11 December


class TestNoticeAndAppointment:
    def test_a_nomination_on_notice_says_until_when_and_leads_to_the_notices(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE, status="on_notice", stage=None, notice_ends_at=NOTICE_ENDS)
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert "公示中" in page and "公示截止" in page and "2026-12-11 24:00" in page
        assert 'href="/notices"' in page
        assert "公示截止" in visitor.get("/nominations").get_data(as_text=True)

    def test_an_appointment_is_called_so(self, visitor, services) -> None:
        changes = {"status": "approved", "notice_ends_at": NOTICE_ENDS, "appointed_at": "2026-12-12T01:00:00+00:00"}
        nid = services.add_nomination(CADRE, **changes)
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert '<span class="status s-appointed">已任用</span>' in page and "公示结束" in page

    def test_an_upheld_objection_is_the_reason_given(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE, status="rejected", objection_case="k-7", notice_ends_at=NOTICE_ENDS)
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert "未通过：异议成立" in page and "案件 k-7" in page
        assert 'href="/cases/k-7"' not in page  # the cadre does not open supervision cases

    def test_the_trail_tells_a_notice_from_a_final_approval(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE, status="on_notice", notice_ends_at=NOTICE_ENDS)
        approval = {"type": "NominationApproved", "time": NOTICE_ENDS, "actor": {"role": "secretary"}}
        services.events[nid] += [
            {**approval, "schema_version": 1, "payload": {"stage": "secretary"}},
            {**approval, "schema_version": 2, "payload": {"stage": "secretary", "notice_ends_at": NOTICE_ENDS}},
        ]
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert "<h3>已批准</h3>" in page and "<h3>进入公示</h3>" in page and "公示至 2026-12-11 24:00" in page

    def test_the_trail_gives_a_comment_a_line_of_its_own(self, visitor, services) -> None:
        """A comment ends with its own punctuation: "同意。 · 公示至 …" read as one broken sentence."""
        nid = services.add_nomination(CADRE, status="on_notice", notice_ends_at=NOTICE_ENDS)
        services.events[nid] += [
            {
                "type": "NominationApproved",
                "schema_version": 2,
                "time": NOTICE_ENDS,
                "actor": {"role": "secretary"},
                "payload": {"stage": "secretary", "comment": "同意。", "notice_ends_at": NOTICE_ENDS},
            }
        ]
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert '<p class="words">同意。</p>' in page and "。 ·" not in page
        assert "书记 · 公示至 2026-12-11 24:00</p>" in page

    def test_a_long_trail_has_a_next_page(self, visitor, services) -> None:
        nid = services.add_nomination(CADRE)
        services.events[nid] *= 201
        page = visitor.sign_in("c-001").get(f"/nominations/{nid}").get_data(as_text=True)
        assert f'href="/nominations/{nid}?trail=200"' in page
        page = visitor.get(f"/nominations/{nid}?trail=200").get_data(as_text=True)
        assert page.count("<h3>已提交</h3>") == 1 and f'href="/nominations/{nid}"' in page  # the first page

    def test_a_direct_nomination_shows_its_justification(self, visitor, services) -> None:
        direct = {"channel": "direct", "route": ["secretary"], "stage": "secretary", "proposer": "o-001"}
        nid = services.add_nomination(CADRE, justification="提前两年建成港口", statement="", achievements=[], **direct)
        page = visitor.sign_in("o-001").get(f"/reviews/{nid}").get_data(as_text=True)
        assert "提名理由" in page and "提前两年建成港口" in page and "直接提名" in page
        assert "具体业绩" not in page  # no empty headings for what a direct nomination does not have
