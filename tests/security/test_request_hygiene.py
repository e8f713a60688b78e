"""What a request brings in is bounded: its id in the events, its method in the metrics."""

from __future__ import annotations

import re

import pytest

from tests.support.apps import settle
from tests.support.people import nomination_body, person_factory


class TestRequestId:
    def submit(self, apps, request_id: str) -> tuple[dict, str]:
        cadre = person_factory("cadre", "sec-unit")
        headers = {**cadre.headers, "X-Request-Id": request_id}
        created = apps["nomination"].test_client().post("/api/v1/nominations", json=nomination_body(), headers=headers)
        assert created.status_code == 201
        events = (
            apps["nomination"]
            .test_client()
            .get(f"/api/v1/nominations/{created.json['nomination_id']}/events", headers=cadre.headers)
        )
        return events.json["items"][0], created.headers["X-Request-Id"]

    def test_a_plain_request_id_becomes_the_correlation_id_and_is_echoed(self, apps) -> None:
        event, echoed = self.submit(apps, "req-2026.11:ab_CD")
        assert event["correlation_id"] == echoed == "req-2026.11:ab_CD"

    @pytest.mark.parametrize(
        "given", ["x" * 7000, "x" * 65, "<script>alert(1)</script>", "id with spaces", "caf\u00e9", "a\tb"]
    )
    def test_a_long_or_odd_request_id_is_replaced_by_a_fresh_one(self, apps, given) -> None:
        event, echoed = self.submit(apps, given)
        assert event["correlation_id"] == echoed != given
        assert re.fullmatch(r"[0-9a-f]{32}", echoed)


class TestMethodLabel:
    def test_made_up_methods_do_not_become_label_values(self, apps, seeded) -> None:
        client = apps["review"].test_client()
        for method in ("BREW", "PROPFIND", "X" * 40):
            assert client.open("/api/v1/reviews/queue", method=method).status_code == 405
        assert client.open("/nowhere", method="SPAM").status_code in (404, 405)
        settle(apps.values())

        text = client.get("/metrics").get_data(as_text=True)

        methods = set(re.findall(r'review_http_requests_total\{[^}]*method="([^"]*)"', text))
        assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}
        assert "other" in methods
        assert 'route="unmatched"' in text
