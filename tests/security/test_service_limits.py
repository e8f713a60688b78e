"""Limits of the service as deployed: gunicorn with 2 workers on the embedded log.

A rate limit holds for the service, not per worker; a chunked body over the limit is a 413 too.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.people import nomination_body, person_factory
from tests.support.stack import ServiceProcess

WAVE = 8
MAX_WAVES = 12


@pytest.fixture(scope="module")
def nomination(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("limits")
    env = {
        "EVENT_BACKEND": "sqlite",
        "EVENT_DB": str(workdir / "events.db"),
        "WEB_CONCURRENCY": "2",
        "SUBMISSION_RATE_LIMIT": "3/60",
        "MAX_OPEN_NOMINATIONS": "0",
        "ACCESS_LOG": str(workdir / "access.log"),
        "GUNICORN_CMD_ARGS": "--access-logformat '%(p)s %(m)s %(U)s %(s)s'",  # which worker answered
    }
    proc = ServiceProcess("nomination", env, workdir).start()
    proc.wait_ready()
    yield proc
    proc.stop()


def answered_by_worker(access_log) -> Counter:
    """Submissions per worker pid, from the access log (`<pid> POST /api/v1/nominations <status>`)."""
    lines = access_log.read_text().splitlines() if access_log.exists() else []
    found = (re.match(r"<(\d+)> POST /api/v1/nominations \d+", line) for line in lines)
    return Counter(match.group(1) for match in found if match)


def test_a_rate_limit_is_the_configured_one_not_limit_times_workers(nomination) -> None:
    cadre = person_factory("cadre")
    url = f"{nomination.url}/api/v1/nominations"
    access_log = nomination.workdir / "access.log"

    def submit(_: int) -> int:
        return requests.post(url, json=nomination_body(), headers=cadre.headers, timeout=30).status_code

    codes: Counter = Counter()
    with ThreadPoolExecutor(WAVE) as pool:
        for _ in range(MAX_WAVES):  # until each worker has answered more than the limit
            codes.update(pool.map(submit, range(WAVE)))
            time.sleep(0.3)  # the access log is written after the answer
            per_worker = answered_by_worker(access_log)
            if len(per_worker) >= 2 and min(per_worker.values()) > 3:
                break
    assert len(per_worker) == 2 and min(per_worker.values()) > 3, per_worker  # both workers took part

    assert codes[201] == 3, codes
    assert set(codes) == {201, 429}


def chunked_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    pieces = (body[i : i + 8192] for i in range(0, len(body), 8192))
    connection.request(
        "POST",
        "/api/v1/nominations",
        body=pieces,
        headers={**headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    answer = (response.status, json.loads(response.read()))
    connection.close()
    return answer


class TestBodySize:
    def test_a_chunked_body_over_the_limit_is_413(self, nomination) -> None:
        cadre = person_factory("cadre")
        body = json.dumps(nomination_body(statement="x" * 70_000)).encode()

        status, answer = chunked_post(nomination.url, body, cadre.headers)

        assert status == 413
        assert answer["error"]["code"] == "request_entity_too_large"

    def test_a_chunked_body_within_the_limit_is_read_whole(self, nomination) -> None:
        cadre = person_factory("cadre")
        body = json.dumps(nomination_body(statement="y" * 4000)).encode()

        status, answer = chunked_post(nomination.url, body, cadre.headers)

        assert status == 201 and answer["statement"] == "y" * 4000

    def test_a_declared_length_over_the_limit_is_413(self, nomination) -> None:
        cadre = person_factory("cadre")
        for content_type in ("application/json", "text/plain"):
            headers = {**cadre.headers, "Content-Type": content_type}
            answer = requests.post(
                f"{nomination.url}/api/v1/nominations", data=b"{" * 70_000, headers=headers, timeout=30
            )
            assert answer.status_code == 413, content_type
            assert answer.json()["error"]["code"] == "request_entity_too_large"
