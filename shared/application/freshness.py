"""Catching up with the log before an answer that a stale projection could get wrong.

Each gunicorn worker (and each service) folds the log on its own, so a change another process
just wrote may not be folded here yet. Before answering "not found" or "conflict" a caller waits
until this process has read up to the log's current end; if it cannot get there in time the
answer is Unavailable (503), not a wrong 404 or 409.
"""

from __future__ import annotations

from shared.application.errors import Unavailable
from shared.eventlog.port import LogUnavailable
from shared.readside.follower import Follower

CATCH_UP_S = 5.0


def catch_up(follower: Follower, purpose: str, timeout_s: float | None = None) -> None:
    """Return once `follower` has folded everything in the log now (waiting at most `timeout_s`,
    CATCH_UP_S by default); Unavailable if it cannot."""
    try:
        reached = follower.catch_up(CATCH_UP_S if timeout_s is None else timeout_s)
    except LogUnavailable as error:
        raise Unavailable(f"cannot reach the event log {purpose}: {error}") from None
    except Exception as error:  # a Kafka client timeout while the broker is down
        raise Unavailable(f"cannot reach the event log {purpose}: {error!r}") from None
    if not reached:
        raise Unavailable("this instance is still catching up with the event log; retry shortly")
