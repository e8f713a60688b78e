"""Find a nomination, catching up with the log before saying it does not exist.

Each gunicorn worker (and each service) folds the log on its own, so a nomination another process
just wrote may not be folded here yet. Before answering 404 the caller waits until this process
has read up to the log's current end; if it cannot get there in time the answer is 503, not a
wrong 404.
"""

from __future__ import annotations

from shared.application.nominations.book import NominationBook
from shared.domain.workflow.state import Nomination
from shared.eventlog.port import LogUnavailable
from shared.readside.follower import Follower
from shared.web.errors import not_found, unavailable

CATCH_UP_S = 5.0


def find_nomination(book: NominationBook, follower: Follower, nomination_id: str) -> Nomination:
    """The nomination, or ApiError 404 once caught up with the log (503 if that is not possible now)."""
    nomination = book.get(nomination_id)
    if nomination is not None:
        return nomination
    try:
        end = follower.log.end_offsets(follower.topics)
    except LogUnavailable as error:
        raise unavailable(f"cannot reach the event log to look for the nomination: {error}") from None
    except Exception as error:  # a Kafka client timeout while the broker is down
        raise unavailable(f"cannot reach the event log to look for the nomination: {error!r}") from None
    if not follower.wait_until(end, CATCH_UP_S):
        raise unavailable("this instance is still catching up with the event log; retry shortly")
    nomination = book.get(nomination_id)
    if nomination is None:
        raise not_found("nomination")
    return nomination
