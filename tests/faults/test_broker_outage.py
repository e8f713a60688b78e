"""Stop the Kafka broker for 20 s during traffic: not-ready or 503 meanwhile, never a 500, then recovery."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support import kafka_broker
from tests.support.log_audit import LogAudit
from tests.support.workload import Workload

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
OUTAGE_S = 20


def watch_readiness(urls: dict, stop: threading.Event, seen: Counter) -> None:
    while not stop.is_set():
        for name, url in urls.items():
            try:
                seen[(name, requests.get(f"{url}/readyz", timeout=5).status_code)] += 1
            except requests.RequestException:
                seen[(name, "no answer")] += 1
        time.sleep(0.5)


def test_a_broker_outage_is_reported_and_survived(stack_factory, kafka_log) -> None:
    procs = stack_factory()
    urls = {name: proc.url for name, proc in procs.items()}
    workload = Workload(urls, deadline_s=180)
    stop, readiness = threading.Event(), Counter()
    watcher = threading.Thread(target=watch_readiness, args=(urls, stop, readiness))
    watcher.start()

    def outage() -> None:
        time.sleep(2)
        kafka_broker.stop_broker()
        time.sleep(OUTAGE_S)
        kafka_broker.start_broker()

    breaker = threading.Thread(target=outage)
    breaker.start()
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(workload.run_one, range(40)))
    breaker.join()
    for proc in procs.values():
        proc.wait_ready(timeout_s=120)
    stop.set()
    watcher.join()

    assert 500 not in workload.answers, workload.answers
    assert all(readiness[(name, 503)] > 0 for name in urls), f"nobody reported the outage: {readiness}"
    audit = LogAudit(kafka_log)
    for accepted in workload.accepted:
        assert audit.applied[accepted.nomination_id][accepted.version - 1].type == accepted.event_type
    for nid in ids:
        assert audit.states[nid].status == "on_notice"
        assert Counter(e.type for e in audit.applied[nid])["NominationSubmitted"] == 1
    print(f"\nanswers {dict(workload.answers)}, readiness {dict(readiness)}")
