"""Fixtures shared by every test layer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.support import kafka_broker


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A real Kafka broker on loopback: the one `make test` started, or one started here.

    It is left running at the end (`make test` stops it; `make kafka-down` by hand), so test
    sessions that share a broker never pull it from under each other.
    """
    kafka_broker.ensure_broker()
    yield kafka_broker.bootstrap_servers()


@pytest.fixture
def topic_factory():
    """Unique topic names so tests never share data."""

    def make(prefix: str = "test") -> str:
        return f"{prefix}.{uuid.uuid4().hex[:12]}"

    return make
