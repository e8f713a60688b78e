"""The inbox: unread counts (in the header too), entries that lead to their page, mark read."""

from __future__ import annotations


def entry(nid: str, read: bool = False, **more) -> dict:
    return {
        "id": f"m-{nid}",
        "nomination_id": nid,
        "event_type": "NominationApproved",
        "message": "approved",
        "created_at": "2026-12-05T09:00:00+00:00",
        "read": read,
        **more,
    }


def test_the_inbox_counts_the_unread_and_links_each_entry(visitor, services) -> None:
    services.inbox = [entry("n1"), entry("n2", read=True), entry("n3", case_id="case-9")]
    page = visitor.sign_in("c-001").get("/inbox").get_data(as_text=True)
    assert "2 条未读" in page
    assert page.count("标为已读") == 2
    assert 'href="/nominations/n1"' in page
    assert 'href="/cases/case-9"' not in page  # told of a finding, a cadre does not open the case


def test_an_officer_is_led_to_the_case(visitor, services) -> None:
    services.inbox = [entry(None, event_type="ClueReceived", case_id="case-9")]
    assert 'href="/cases/case-9"' in visitor.sign_in("v-001").get("/inbox").get_data(as_text=True)


def test_a_reviewer_is_led_to_the_review_page(visitor, services) -> None:
    services.inbox = [entry("n1")]
    assert 'href="/reviews/n1"' in visitor.sign_in("o-001").get("/inbox").get_data(as_text=True)


def test_marking_read_posts_to_the_service_and_comes_back(visitor, services) -> None:
    services.inbox = [entry("n1")]
    visitor.sign_in("c-001").get("/inbox")
    response = visitor.post("/inbox/m-n1/read")
    assert response.status_code == 303 and response.headers["Location"] == "/inbox#n-m-n1"
    assert services.inbox[0]["read"]
    assert "0 条未读" in visitor.get("/inbox").get_data(as_text=True)


def test_a_long_inbox_has_a_next_page_and_the_header_asks_for_one_entry(visitor, services) -> None:
    services.inbox = [entry(f"n{i}") for i in range(51)]
    page = visitor.sign_in("c-001").get("/inbox").get_data(as_text=True)
    assert "51 条未读" in page and 'href="/inbox?cursor=50"' in page
    listed = [c[5].get("limit") for c in services.calls if c[2] == "/api/v1/notifications"]
    assert listed[-2:] == [None, "1"]  # a page of the inbox, then the header's count: one entry is enough
    page = visitor.get("/inbox?cursor=50").get_data(as_text=True)
    assert page.count('class="unread"') == 1 and 'href="/inbox"' in page


def test_the_inbox_is_in_chinese_and_tells_a_notice_from_an_approval(visitor, services) -> None:
    on_notice = "The nomination of 张敏 for 副县长 is on public notice through 2026-12-11."
    services.inbox = [entry("n1", message=on_notice), entry("n2", message="Your nomination for 副县长 was approved.")]
    page = visitor.sign_in("c-001").get("/inbox").get_data(as_text=True)
    assert "进入公示</h2>" in page and "张敏 拟任“副县长”，进入任前公示，公示至 2026-12-11。" in page
    assert "已批准</h2>" in page and "is on public notice" not in page
    english = visitor.get("/language/en?next=/inbox") and visitor.get("/inbox").get_data(as_text=True)
    assert "Put on public notice</h2>" in english and on_notice in english
