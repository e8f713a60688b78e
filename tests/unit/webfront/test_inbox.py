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
    assert 'href="/nominations/n1"' in page and 'href="/cases/case-9"' in page


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
