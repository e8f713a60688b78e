"""Poison on the nominations topic: dead-lettered with its reason, counted, and every consumer goes on."""

from __future__ import annotations

import time

import orjson
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from shared.eventlog.topics import DEAD_LETTERS, NOMINATIONS
from shared.events.codec import decode
from shared.events.errors import DecodeError
from tests.support.people import nomination_body, person_factory

pytestmark = pytest.mark.kafka


def dead_lettered(url: str) -> float:
    text = requests.get(f"{url}/metrics", timeout=5).text
    return sum(
        s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name.endswith("_events_consumed_total") and s.labels.get("outcome") == "dead_lettered"
    )


def letters_for(kafka_log, offsets: set[int]) -> list[dict]:
    reader = kafka_log.open_reader([DEAD_LETTERS])
    end, seen, letters = reader.end_offsets(), {}, []
    while any(seen.get(tp, 0) < o for tp, o in end.items()):
        for record in reader.poll(1.0):
            seen[(record.topic, record.partition)] = record.offset + 1
            letter = orjson.loads(record.value)
            if letter["topic"] == NOMINATIONS and letter["offset"] in offsets:
                letters.append(letter)
    reader.close()
    return letters


def undecodable_records(kafka_log) -> int:
    """How many records of the nominations topic no consumer can decode."""
    reader = kafka_log.open_reader([NOMINATIONS])
    end, seen, count = reader.end_offsets(), {}, 0
    while any(seen.get(tp, 0) < o for tp, o in end.items()):
        for record in reader.poll(1.0):
            seen[(record.topic, record.partition)] = record.offset + 1
            try:
                decode(record.value)
            except DecodeError:
                count += 1
    reader.close()
    return count


def test_poison_is_dead_lettered_counted_and_passed_over(stack_factory, kafka_log) -> None:
    procs = stack_factory()
    urls = {name: proc.url for name, proc in procs.items()}
    future = {
        "event_id": "f" * 32,
        "type": "NominationSubmitted",
        "schema_version": 99,
        "stream_id": "poison",
        "expected_version": 0,
        "time": "2026-11-25T00:00:00+00:00",
        "actor": {"id": "x", "role": "cadre"},
        "correlation_id": "x",
        "causation_id": "x",
        "payload": {},
    }
    poison = [
        kafka_log.append_raw(NOMINATIONS, "poison", b"\x00\xff garbage"),
        kafka_log.append_raw(
            NOMINATIONS, "poison", orjson.dumps({**future, "type": "NominationTeleported", "schema_version": 1})
        ),
        kafka_log.append_raw(NOMINATIONS, "poison", orjson.dumps(future)),
    ]

    cadre = person_factory("cadre")
    created = requests.post(
        f"{urls['nomination']}/api/v1/nominations", json=nomination_body(), headers=cadre.headers, timeout=30
    )
    assert created.status_code == 201
    nid = created.json()["nomination_id"]
    reviewer = person_factory("unit_reviewer", cadre.unit)
    deadline = time.monotonic() + 30
    while True:  # the review service got past the poison and sees the new nomination
        decided = requests.post(
            f"{urls['review']}/api/v1/reviews/{nid}/decisions",
            json={"stage": "unit", "decision": "approve"},
            headers=reviewer.headers,
            timeout=30,
        )
        if decided.status_code == 200:
            break
        assert time.monotonic() < deadline, decided.text
        time.sleep(0.1)

    # Every worker of every service counts every poison record of the topic, this test's three and any
    # a kept broker holds from earlier runs: a worker still folding when the test starts counts them late.
    expected = 2 * undecodable_records(kafka_log)
    for name, url in urls.items():
        deadline = time.monotonic() + 30
        while dead_lettered(url) < expected:  # each worker folds on its own; wait for the slower one
            assert time.monotonic() < deadline, (name, dead_lettered(url), expected)
            time.sleep(0.2)
        assert dead_lettered(url) == expected, name
    letters = letters_for(kafka_log, {r.offset for r in poison})
    reasons = {letter["offset"]: letter["reason"] for letter in letters}
    assert "not JSON" in reasons[poison[0].offset]
    assert "unknown event type" in reasons[poison[1].offset]
    assert "unknown schema version 99" in reasons[poison[2].offset]
    assert {letter["consumer"] for letter in letters} == {
        "nomination.nominations",
        "review.nominations",
        "notification.inbox",
    }
