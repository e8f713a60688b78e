"""The three services as gunicorn processes (2 workers each) on the real Kafka broker."""

from __future__ import annotations

import pytest

from tests.support.stack import start_stack


@pytest.fixture(scope="module")
def stack(kafka_bootstrap, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("stack")
    env = {
        "EVENT_BACKEND": "kafka",
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "WEB_CONCURRENCY": "2",
        "OVERDUE_SCAN_INTERVAL_S": "3600",
    }
    procs = start_stack(env, workdir)
    yield {name: proc.url for name, proc in procs.items()}
    for proc in procs.values():
        proc.stop()
