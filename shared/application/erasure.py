"""Erasure of a person that keeps the trail (PIPL art. 47, GDPR art. 17), by crypto-shredding.

An admin erases a person: the person's key and the subject keys of the supervision cases linked
to them are destroyed, and `PersonErased` is recorded in `cadreflow.people` (who erased, when, the
key ids; no personal data). Every process folds it (`Erasures`): it destroys the keys it lists
as well (idempotent: a process that crashed between recording and destroying, or a host with its
own copy of a file store, completes the erasure when it folds the event), and its views redact
every text sealed under those keys, and the clear texts of that person in events written before
sealing. The log is never rewritten: the hash chains and the transparency log still verify.

A person is erased only once nothing of theirs is under way: no nomination of theirs open (in
review, returned or on notice) and no case linked to them open; the answer says what is. After
it, nothing new about them can be sealed (`Erased`, HTTP 409): the key id never gets a key again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from shared.application.errors import LimitReached
from shared.application.personal import Opener, Sealer, case_subject_key_id, person_key_id
from shared.application.writer import StreamWriter
from shared.contracts.people import PERSON_ERASED
from shared.contracts.topics import PEOPLE
from shared.domain.workflow.errors import Conflict
from shared.events.envelope import Event
from shared.keys import KeyStore
from shared.readside.follower import Follower
from shared.readside.gate import Outcome
from shared.readside.snapshots.file import Build, Records

if TYPE_CHECKING:
    from shared.application.cases.links import CaseLinks
    from shared.application.nominations.book import NominationBook
    from shared.application.runtime import Runtime
    from shared.metrics import ServiceMetrics


class Erasure(NamedTuple):
    """One person's erasure as recorded: their key id, the key ids destroyed, when, by whom."""

    person_key: str
    keys: tuple[str, ...]
    at: datetime
    by: str
    version: int = 1
    """a person's stream holds one erasure (a second is void)"""


class Erasures:
    """Projection of `cadreflow.people`: the erasures, and every key id they destroyed."""

    def __init__(self, keys: KeyStore | None = None) -> None:
        self.keys = keys
        self.by_person: dict[str, Erasure] = {}
        self.erased: set[str] = set()

    def apply(self, event: Event, outcome: Outcome) -> None:
        """Fold one event (Projection): an applied erasure is kept, and its keys destroyed here too."""
        if outcome is not Outcome.APPLIED or event.type != PERSON_ERASED:
            return
        payload = event.payload
        erasure = Erasure(payload["person_key"], tuple(payload["keys"]), event.time, event.actor.id)
        self._keep(erasure)
        if self.keys is not None:
            for key_id in erasure.keys:
                self.keys.destroy(key_id)

    def _keep(self, erasure: Erasure) -> None:
        self.by_person[erasure.person_key] = erasure
        self.erased.update(erasure.keys)

    def of(self, person_key: str) -> Erasure | None:
        """The erasure of the person with this key id, if they were erased."""
        return self.by_person.get(person_key)

    def __contains__(self, key_id: object) -> bool:
        """True if the key id was destroyed by an erasure."""
        return key_id in self.erased

    # -- snapshots (Projection) --------------------------------------------------------------
    def snapshot(self) -> Build | None:
        kept = [[e.person_key, list(e.keys), e.at.isoformat(), e.by] for e in self.by_person.values()]
        return lambda records: {"erasures": kept}

    def restore(self, state: dict[str, Any], records: Records) -> None:
        self.by_person, self.erased = {}, set()
        for person_key, keys, at, by in state["erasures"]:
            self._keep(Erasure(person_key, tuple(keys), datetime.fromisoformat(at), by))


@dataclass
class People:
    """What a process needs for personal data: its keys, the erasures folded from the log, the
    sealer (commands) and the opener (views). One per process: `People.of(runtime)`."""

    keys: KeyStore
    erasures: Erasures
    follower: Follower
    sealer: Sealer = field(init=False)
    opener: Opener = field(init=False)

    def __post_init__(self) -> None:
        self.sealer = Sealer(self.keys)
        self.opener = Opener(self.keys, self.erasures)

    @classmethod
    def of(cls, runtime: Runtime) -> People:
        """The process's People, wired (a follower of `cadreflow.people`) on first use."""
        if runtime.people is None:
            erasures = Erasures(runtime.keys)
            runtime.people = cls(runtime.keys, erasures, runtime.follow([PEOPLE], erasures, name="people"))
        people: People = runtime.people
        return people


@dataclass(frozen=True)
class Holdings:
    """What the log holds of a person: their nominations and the cases linked to them (a cadre
    case accepted with their id, an objection to one of their nominations), and which are open."""

    nominations: tuple[str, ...]
    open_nominations: tuple[str, ...]
    cases: tuple[str, ...]
    open_cases: tuple[str, ...]

    @classmethod
    def of(cls, person_id: str, book: NominationBook, links: CaseLinks) -> Holdings:
        """Read from a nomination book and the case links of the same process."""
        nominations = book.of_cadre(person_id)
        ids = {n.nomination_id for n in nominations}
        linked = set(links.by_cadre.get(person_id, ()))
        linked.update(case.case_id for case in list(links.cases.values()) if case.nomination_id in ids)
        cases = [links.cases[case_id] for case_id in sorted(linked)]
        return cls(
            tuple(sorted(ids)),
            tuple(sorted(n.nomination_id for n in nominations if not n.is_terminal)),
            tuple(case.case_id for case in cases),
            tuple(case.case_id for case in cases if case.is_open),
        )

    def refusal(self) -> LimitReached | None:
        """Why the person cannot be erased yet: what of theirs is under way (None: nothing)."""
        if not self.open_nominations and not self.open_cases:
            return None
        return LimitReached(
            "erasure_blocked",
            "the person has nominations or cases under way: they must be closed (or withdrawn) first",
            {"open_nominations": list(self.open_nominations), "open_cases": list(self.open_cases)},
        )


@dataclass
class Eraser:
    """Records erasures (admin) and destroys the keys; one per process."""

    people: People
    clock: Callable[[], datetime]
    metrics: ServiceMetrics
    timeout_s: float = 15.0
    writer: StreamWriter = field(init=False)

    def __post_init__(self) -> None:
        self.writer = StreamWriter(self.people.follower, PEOPLE, self.clock, self.metrics, self.timeout_s, "person")

    def erase(
        self, person_id: str, linked_cases: Iterable[str], actor: Any, correlation_id: str | None = None
    ) -> Erasure:
        """Erase the person (their key, and the subject keys of `linked_cases`); the erasure
        recorded, or the earlier one if they were erased already."""
        person_key = person_key_id(person_id)
        keys = [person_key, *(case_subject_key_id(case) for case in sorted(set(linked_cases)))]
        erasures = self.people.erasures

        def decided(state: Any, now: datetime) -> Any:
            if state is not None:
                raise Conflict("the person was erased already")
            return _Decision(PERSON_ERASED, {"person_key": person_key, "keys": keys})

        if erasures.of(person_key) is None:
            try:
                self.writer.record(person_key, lambda: erasures.of(person_key), decided, actor, correlation_id)
            except Conflict:
                if erasures.of(person_key) is None:
                    raise
        erasure = erasures.of(person_key)
        assert erasure is not None
        for key_id in erasure.keys:  # the fold did it already; an erasure never depends on it alone
            self.people.keys.destroy(key_id)
        return erasure


class _Decision(NamedTuple):
    type: str
    payload: dict[str, Any]
