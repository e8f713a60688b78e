"""A cap on the nominations a cadre may have open at once (`MAX_OPEN_NOMINATIONS`).

Open means not yet approved, rejected or withdrawn. The count is this process's fold; a refusal
is counted again once caught up with the log, so a withdrawal another worker just recorded is
seen. The log has no condition across streams, so two submissions of one cadre through two
workers at the same instant may both pass: the cap can be passed by that many, never grow
without bound (each submission is also rate-limited).
"""

from __future__ import annotations

from shared.application.errors import LimitReached
from shared.application.freshness import catch_up
from shared.application.nominations.book import NominationBook
from shared.readside.follower import Follower

TOO_MANY_OPEN = "too_many_open_nominations"


def check_open_cap(book: NominationBook, follower: Follower, cadre_id: str, cap: int) -> None:
    """LimitReached when the cadre already has `cap` open nominations (0: no cap)."""
    if cap <= 0 or book.open_of_cadre(cadre_id) < cap:
        return
    catch_up(follower, "to count the cadre's open nominations")
    open_now = book.open_of_cadre(cadre_id)
    if open_now >= cap:
        raise LimitReached(
            TOO_MANY_OPEN,
            f"{open_now} open nominations, the most allowed at once is {cap}: withdraw one or await a decision",
            {"open": open_now, "max_open": cap},
        )
