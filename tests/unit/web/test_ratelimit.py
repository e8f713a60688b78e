"""Moving-window limits counted in the SQLite storage the workers share: the limit, then 429 with the wait."""

import pytest

from shared.web.errors import ApiError
from shared.web.ratelimit import Limit, ServiceLimiter
from shared.web.ratelimit_storage import SqliteStorage


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter_factory(tmp_path, clock):
    def make(**limits: str) -> ServiceLimiter:
        uri = f"sqlite://{tmp_path}/limits.db"
        return ServiceLimiter(uri, limits, storage=SqliteStorage(uri, wrap_exceptions=True, clock=clock), clock=clock)

    return make


def test_allows_the_limit_then_refuses_with_the_wait(limiter_factory, clock) -> None:
    limiter = limiter_factory(submission="3/60")
    for second in range(3):
        clock.now += second
        limiter.check("submission", "c1")
    with pytest.raises(ApiError) as refused:
        limiter.check("submission", "c1")
    assert refused.value.status == 429 and refused.value.details["retry_after_s"] == 57  # the first hit ages out
    assert refused.value.details["limit"] == "3/60s"


def test_a_hit_counts_until_it_leaves_the_window(limiter_factory, clock) -> None:
    limiter = limiter_factory(submission="1/10")
    limiter.check("submission", "c1")
    clock.now += 9.5
    with pytest.raises(ApiError):
        limiter.check("submission", "c1")
    clock.now += 0.6
    limiter.check("submission", "c1")


def test_processes_sharing_the_file_share_the_count(limiter_factory) -> None:
    first, second = limiter_factory(submission="2/60"), limiter_factory(submission="2/60")
    first.check("submission", "c1")
    second.check("submission", "c1")
    with pytest.raises(ApiError):
        first.check("submission", "c1")


def test_keeps_clients_and_buckets_apart(limiter_factory) -> None:
    limiter = limiter_factory(submission="1/60", decision="1/60")
    limiter.check("submission", "c1")
    limiter.check("submission", "c2")
    limiter.check("decision", "c1")


def test_a_bucket_added_later_is_limited_too(limiter_factory) -> None:
    limiter = limiter_factory()
    limiter.add("clue", "1/60")
    limiter.check("clue", "hashed-address")
    with pytest.raises(ApiError):
        limiter.check("clue", "hashed-address")


def test_no_limit_when_turned_off(limiter_factory) -> None:
    limiter = limiter_factory(submission="0")
    for _ in range(200):
        limiter.check("submission", "c1")


def test_reads_the_limits_notation_too() -> None:
    assert str(Limit.parse("30/minute")) == "30/60s"
    assert str(Limit.parse("5 per 10 seconds")) == "5/10s"


@pytest.mark.parametrize("text", ["-1/60", "5/0", "x/60"])
def test_rejects_a_malformed_limit(text: str) -> None:
    with pytest.raises(ValueError):
        Limit.parse(text)
