"""Fault tests: the services as gunicorn processes on the real broker, broken on purpose."""

from __future__ import annotations

import pytest

from shared.eventlog.kafka import KafkaEventLog
from tests.support.stack import start_stack


@pytest.fixture
def stack_factory(kafka_bootstrap, tmp_path):
    started = []

    def make(services=("nomination", "review", "notification"), **env):
        base = {
            "EVENT_BACKEND": "kafka",
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
            "WEB_CONCURRENCY": "2",
            "OVERDUE_SCAN_INTERVAL_S": "3600",
            **env,
        }
        procs = start_stack(base, tmp_path, services)
        started.extend(procs.values())
        return procs

    yield make
    for proc in started:
        proc.stop()


@pytest.fixture
def kafka_log(kafka_bootstrap):
    log = KafkaEventLog(kafka_bootstrap, client_id="fault-audit")
    yield log
    log.close()
