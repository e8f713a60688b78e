"""What the public, the reporter and the custodian do: file a clue (a receipt shown once), follow
it with the receipt alone, write to the officers, and, for a custodian, open a named reporter's
identity (recorded first, shown after).

A named reporter's identity (`{name, phone}`) is sealed (AES-GCM) under a key of its own per case,
kept in the `KeyStore` outside the log and bound to the case id; the log holds only the sealed
text. Destroying the case's key forgets the identity everywhere at once. The case's texts about
people (the subject's name, the description, the messages, ...) are sealed under another key of
the case, its subject key, by the commands (`shared.application.personal`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.application.cases.book import CaseBook
from shared.application.cases.commands import CaseCommands
from shared.application.cases.receipts import ReceiptHasher, new_receipt, normalized
from shared.application.freshness import catch_up
from shared.application.personal import case_subject_key_id
from shared.domain.supervision.categories import OBJECTION
from shared.domain.supervision.commands import AccessIdentity, MessageOfficers, ReceiveClue
from shared.domain.supervision.errors import DomainError, Invalid, NotFound
from shared.domain.supervision.state import PUBLIC_ROLE, REPORTER_ROLE, Actor, Case
from shared.keys import KeyStore, seal, unseal
from shared.readside.follower import Follower

PUBLIC = Actor(id=PUBLIC_ROLE, role=PUBLIC_ROLE)
"""Whoever files a clue without an account: no id, no address, nothing that points at a person."""
REPORTER = Actor(id=REPORTER_ROLE, role=REPORTER_ROLE)
"""Whoever holds a case's receipt."""


def identity_key_id(case_id: str) -> str:
    """The KeyStore id of a case's identity key."""
    return f"case-{case_id}"


@dataclass(frozen=True)
class Clue:
    """A clue as posted: `reporter` is `{name, phone}` or None."""

    kind: str
    category: str | None
    subject: Mapping[str, Any]
    description: str
    anonymous: bool
    reporter: Mapping[str, str] | None = None


@dataclass
class Reporting:
    """Receipts and identities around the case commands of one service process."""

    commands: CaseCommands
    book: CaseBook
    follower: Follower
    keys: KeyStore
    hasher: ReceiptHasher

    def receive(self, clue: Clue, actor: Actor, correlation_id: str | None = None) -> tuple[Case, str]:
        """File the clue as `actor` (PUBLIC, or a hotline operator); the case and its receipt,
        which exists nowhere else from now on."""
        case_id = uuid.uuid4().hex
        receipt, digest = self._fresh_receipt()
        sealed = self._sealed(case_id, clue.reporter) if clue.reporter is not None else None
        command = ReceiveClue(
            case_id, clue.kind, self._category(clue), clue.subject, clue.description, clue.anonymous, sealed, digest
        )
        try:
            return self.commands.execute(case_id, command, actor, correlation_id), receipt
        except DomainError:
            self.keys.destroy(identity_key_id(case_id))  # no case: no identity to keep
            self.keys.destroy(case_subject_key_id(case_id))  # nor texts about its subject
            raise

    def _fresh_receipt(self) -> tuple[str, str]:
        while True:  # a clash in 10^16 is for correctness only
            receipt = new_receipt()
            digest = self.hasher.digest(receipt)
            if self.book.with_receipt(digest) is None:
                return receipt, digest

    def _sealed(self, case_id: str, reporter: Mapping[str, str]) -> str:
        key = self.keys.create(identity_key_id(case_id))
        plain = json.dumps(dict(reporter), ensure_ascii=False, sort_keys=True).encode()
        return seal(key, plain, case_id.encode())

    def _category(self, clue: Clue) -> str:
        if clue.category:
            return clue.category
        if clue.kind == OBJECTION:  # one category: the web form need not ask
            return self.commands.config.categories_of(OBJECTION)[0].id
        raise Invalid("category is required", details={"category": ["required for this kind of clue"]})

    def with_receipt(self, receipt: str) -> Case:
        """The case of a receipt (as people type it); Invalid if it is not 16 digits, NotFound if
        no case has it. One slow hash, one look-up."""
        digits = normalized(receipt)
        if digits is None:
            raise Invalid("a receipt is 16 digits", details={"X-Receipt": ["must be 16 digits"]})
        digest = self.hasher.digest(digits)
        case = self.book.with_receipt(digest)
        if case is None:  # filed a moment ago through another process?
            catch_up(self.follower, "to look the receipt up")
            case = self.book.with_receipt(digest)
        if case is None:
            raise NotFound("no case has this receipt")
        return case

    def write(self, receipt: str, text: str, correlation_id: str | None = None) -> Case:
        """The reporter writes to the officers."""
        case = self.with_receipt(receipt)
        return self.commands.execute(case.case_id, MessageOfficers(text=text), REPORTER, correlation_id)

    def reveal(self, case_id: str, reason: str, actor: Actor, correlation_id: str | None = None) -> dict[str, str]:
        """Record the custodian's access, then open the identity: `{name, phone}`."""
        case = self.commands.execute(case_id, AccessIdentity(reason=reason), actor, correlation_id)
        key = self.keys.get(identity_key_id(case_id))
        if key is None or case.identity_sealed is None:
            raise NotFound("the reporter's identity was destroyed")
        identity: dict[str, str] = json.loads(unseal(key, case.identity_sealed, case_id.encode()))
        return identity
