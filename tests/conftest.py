"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from shared.config import DEV_MODE
from tests.support import kafka_broker

# The tests sign their tokens with the development secret, so they run in development mode (the
# services they start in-process or under gunicorn inherit it); tests of the refusal unset it.
os.environ[DEV_MODE] = "1"


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
