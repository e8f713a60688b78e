"""End to end: gunicorn processes on Kafka, from submission to public notice, the inbox, and a decision race.

(The end of a notice needs the clock moved by days: tests/integration/services/test_public_notice.py
drives it with an injected clock, on Kafka too.)"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.support.people import nomination_body, person_factory


def wait_for_inbox_entry(url: str, headers: dict, event_type: str, nomination_id: str, timeout_s: float = 20) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for item in requests.get(f"{url}/api/v1/notifications", headers=headers, timeout=5).json()["items"]:
            if item["event_type"] == event_type and item["nomination_id"] == nomination_id:
                return item
        time.sleep(0.005)
    raise AssertionError(f"no {event_type} in the inbox after {timeout_s}s")


def submit(stack: dict, cadre) -> str:
    created = requests.post(
        f"{stack['nomination']}/api/v1/nominations", json=nomination_body(), headers=cadre.headers, timeout=30
    )
    assert created.status_code == 201, created.text
    return created.json()["nomination_id"]


def decide(stack: dict, who, nid: str, stage: str, decision: str = "approve") -> requests.Response:
    return requests.post(
        f"{stack['review']}/api/v1/reviews/{nid}/decisions",
        json={"stage": stage, "decision": decision, "comment": "ok"},
        headers=who.headers,
        timeout=30,
    )


def public_notices(stack: dict) -> set[str]:
    """Every nomination id on the public notice list, page by page (no token)."""
    found, cursor = set(), None
    while True:
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = requests.get(f"{stack['nomination']}/api/v1/notices", params=params, timeout=5).json()
        found |= {item["nomination_id"] for item in page["items"]}
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def until_visible(stack: dict, who, nid: str, timeout_s: float = 20) -> None:
    """Another service folds the log on its own; wait until it has the nomination."""
    deadline = time.monotonic() + timeout_s
    while requests.get(f"{stack['review']}/api/v1/reviews/{nid}", headers=who.headers, timeout=5).status_code == 404:
        assert time.monotonic() < deadline, "the review service never saw the nomination"
        time.sleep(0.01)


def test_a_nomination_goes_from_submission_to_public_notice_and_reaches_the_inbox(stack) -> None:
    cadre = person_factory("cadre")
    unit_reviewer = person_factory("unit_reviewer", cadre.unit)
    nid = submit(stack, cadre)
    until_visible(stack, unit_reviewer, nid)
    latencies = []
    for who, stage in (
        (unit_reviewer, "unit"),
        (person_factory("org_reviewer"), "org_department"),
        (person_factory("secretary"), "secretary"),
    ):
        started = time.perf_counter()
        response = decide(stack, who, nid, stage)
        assert response.status_code == 200, response.text
        expected = "NominationApproved" if stage == "secretary" else "StageApproved"
        wait_for_inbox_entry(stack["notification"], cadre.headers, expected, nid)
        latencies.append(time.perf_counter() - started)
    assert response.json()["status"] == "on_notice"
    deadline = time.monotonic() + 20  # the nomination service folds the review service's decision on its own
    while nid not in public_notices(stack):
        assert time.monotonic() < deadline, "not on the public notice list"
        time.sleep(0.1)
    print(f"\ndecision -> inbox entry latency (s): {[round(x, 3) for x in latencies]}")
    inbox = requests.get(f"{stack['notification']}/api/v1/notifications", headers=cadre.headers, timeout=5).json()
    assert [i["event_type"] for i in inbox["items"]] == [
        "NominationApproved",
        "StageApproved",
        "StageApproved",
        "NominationSubmitted",
    ]


def test_twelve_reviewers_racing_for_one_step_produce_one_winner(stack) -> None:
    cadre = person_factory("cadre")
    reviewers = [person_factory("unit_reviewer", cadre.unit) for _ in range(12)]
    nid = submit(stack, cadre)
    until_visible(stack, reviewers[0], nid)
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda who: decide(stack, who, nid, "unit").status_code, reviewers))
    assert sorted(statuses) == [200] + [409] * 11, statuses
    events = requests.get(
        f"{stack['nomination']}/api/v1/nominations/{nid}/events", headers=cadre.headers, timeout=5
    ).json()["items"]
    applied = [e for e in events if e["type"] == "StageApproved" and e["outcome"] == "applied"]
    assert len(applied) == 1
    view = requests.get(f"{stack['nomination']}/api/v1/nominations/{nid}", headers=cadre.headers, timeout=5).json()
    decided = [step for step in view["history"] if step["decision"]]
    assert len(decided) == 1 and decided[0]["reviewer"] in {r.id for r in reviewers}


def test_an_erasure_is_seen_by_every_worker_of_every_service(stack) -> None:
    cadre, admin = person_factory("cadre"), person_factory("admin", "city")
    unit_reviewer = person_factory("unit_reviewer", cadre.unit)
    nid = submit(stack, cadre)
    until_visible(stack, unit_reviewer, nid)
    assert decide(stack, unit_reviewer, nid, "unit", "reject").status_code == 200

    erased = requests.post(f"{stack['review']}/api/v1/people/{cadre.id}/erasure", headers=admin.headers, timeout=30)

    assert erased.status_code == 200, erased.text
    deadline = time.monotonic() + 20
    seen = 0
    while seen < 6:  # several answers in a row, from whichever of the two workers serves each
        views = [
            requests.get(f"{stack['nomination']}/api/v1/nominations/{nid}", headers=cadre.headers, timeout=5).json(),
            requests.get(f"{stack['review']}/api/v1/reviews/{nid}", headers=admin.headers, timeout=5).json(),
        ]
        seen = seen + 1 if all(v["redacted"] and v["statement"] is None for v in views) else 0
        assert time.monotonic() < deadline, views
    assert [(s["decision"], s["comment"]) for s in views[0]["history"]] == [("reject", None)]
    queued = wait_for_inbox_entry(stack["notification"], unit_reviewer.headers, "NominationSubmitted", nid)
    while "[erased]" not in queued["message"]:
        assert time.monotonic() < deadline, queued
        queued = wait_for_inbox_entry(stack["notification"], unit_reviewer.headers, "NominationSubmitted", nid)
    assert queued["redacted"] is True
