"""Metrics scraped from services under gunicorn (2 workers, multiprocess mode) add up to what was done."""

from __future__ import annotations

import time

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support.people import nomination_body, person_factory


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    text = requests.get(f"{url}/metrics", timeout=5).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def total(samples: dict, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= set(ls))


def eventually(check, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.2)


def test_counts_across_workers_match_what_was_done(stack) -> None:
    before_nom, before_rev = scrape(stack["nomination"]), scrape(stack["review"])
    cadre = person_factory("cadre")
    for _ in range(5):
        response = requests.post(
            f"{stack['nomination']}/api/v1/nominations", json=nomination_body(), headers=cadre.headers, timeout=30
        )
        assert response.status_code == 201
    after_nom = scrape(stack["nomination"])
    posted = {"name": "nomination_http_requests_total", "method": "POST", "status": "201"}
    assert total(after_nom, **posted) - total(before_nom, **posted) == 5
    appended = ("nomination_events_appended_total", {"event_type": "NominationSubmitted"})
    assert total(after_nom, appended[0], **appended[1]) - total(before_nom, appended[0], **appended[1]) == 5

    def submissions_folded() -> bool:
        after_rev = scrape(stack["review"])
        return total(after_rev, "cadreflow_submissions_total") - total(before_rev, "cadreflow_submissions_total") == 5

    eventually(submissions_folded)


def test_lag_returns_to_zero_and_the_rebuild_time_is_reported(stack) -> None:
    def no_lag() -> bool:
        samples = scrape(stack["notification"])
        lags = [v for (n, _), v in samples.items() if n == "notification_consumer_lag_messages"]
        return bool(lags) and max(lags) == 0

    eventually(no_lag, timeout_s=30)
    eventually(lambda: total(scrape(stack["review"]), "review_ready") == 1)  # every worker, not just one
    samples = scrape(stack["review"])
    assert total(samples, "review_ready") == 1
    assert total(samples, "review_rebuild_duration_seconds") > 0
