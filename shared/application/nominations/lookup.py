"""Find a nomination, catching up with the log before saying it does not exist (see `freshness`)."""

from __future__ import annotations

from shared.application.freshness import catch_up
from shared.application.nominations.book import NominationBook
from shared.domain.workflow.errors import NotFound
from shared.domain.workflow.state import Nomination
from shared.readside.follower import Follower


def find_nomination(book: NominationBook, follower: Follower, nomination_id: str) -> Nomination:
    """The nomination; NotFound once caught up with the log (Unavailable if that is not possible now)."""
    nomination = book.get(nomination_id)
    if nomination is not None:
        return nomination
    catch_up(follower, "to look for the nomination")
    nomination = book.get(nomination_id)
    if nomination is None:
        raise NotFound("nomination not found")
    return nomination
