"""Token buckets: a burst up to the limit, then 429 until tokens refill."""

import pytest

from shared.web.errors import ApiError
from shared.web.ratelimit import Limit, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_allows_a_burst_up_to_the_limit_then_refuses_with_the_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter({"submission": Limit(3, 60)}, clock)
    for _ in range(3):
        limiter.check("submission", "c1")
    with pytest.raises(ApiError) as refused:
        limiter.check("submission", "c1")
    assert refused.value.status == 429 and refused.value.details["retry_after_s"] == 20


def test_refills_with_time() -> None:
    clock = FakeClock()
    limiter = RateLimiter({"submission": Limit(1, 10)}, clock)
    limiter.check("submission", "c1")
    clock.now = 10
    limiter.check("submission", "c1")


def test_keeps_clients_and_buckets_apart() -> None:
    limiter = RateLimiter({"submission": Limit(1, 60), "decision": Limit(1, 60)}, FakeClock())
    limiter.check("submission", "c1")
    limiter.check("submission", "c2")
    limiter.check("decision", "c1")


def test_no_limit_when_turned_off() -> None:
    limiter = RateLimiter({"submission": Limit.parse("0")}, FakeClock())
    for _ in range(1000):
        limiter.check("submission", "c1")


@pytest.mark.parametrize("text", ["-1/60", "5/0", "x/60"])
def test_rejects_a_malformed_limit(text: str) -> None:
    with pytest.raises(ValueError):
        Limit.parse(text)
