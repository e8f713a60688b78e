"""Personal data in events, sealed with a key per person (crypto-shredding), and opened for views.

Sealing happens once, where a decision of the domain becomes an event (the commands): each
personal text of the event (`NOMINATION_TEXTS`, `CASE_TEXTS`) is replaced by
`{"key": <key id>, "sealed": <AES-256-GCM text>}` (`shared.keys.seal`), bound to its stream and
its field name so it cannot be moved to another nomination, case or field. Empty texts stay
empty. Whose key:

- nominations: the cadre's (`person_key_id(cadre id)`) for everything about them and their
  nomination: name, statement, achievements, commitment, justification, withdrawal reason, and
  the reviewers' comments, which evaluate the cadre's nomination: erasing the cadre removes them,
  erasing a reviewer does not (their decision stays in the trail under their id, as the actor);
  the proposer of a direct nomination: their name, under their own key;
- supervision cases: the case's subject key (`case_subject_key_id(case id)`) for the subject's
  name, the description, a dismissal's reason, the finding's summary and the messages; erasing a
  person destroys the subject keys of the cases linked to them. The reporter's identity keeps its
  own per-case key (`identity_key_id`).

The domain and every projection hold the sealed values as the log holds them (snapshots too):
opening is lazy, in the views (`Opener`), request by request. A value whose key was destroyed, or
whose person was erased (for the clear texts of events written before sealing), is redacted:
`None` in a structured view, `ERASED` inside a composed text, and the view says `"redacted": true`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Container, Mapping
from typing import Any, NamedTuple

from shared.application.errors import Erased
from shared.domain.personal import PersonalText, is_sealed
from shared.keys import Cipher, KeyDestroyed, KeyStore, SealBroken

log = logging.getLogger(__name__)

ERASED = "[erased]"
"""What a redacted text reads as inside a composed text (an inbox message); a structured view
shows null and `"redacted": true` instead."""

MISSING_WARNINGS = 1000
"""Keys missing without an erasure are logged once each, up to this many per process."""

CADRE, PROPOSER, SUBJECT = "cadre", "proposer", "subject"
"""Whose key seals a path: the nominated cadre's, the proposer's, the case subject's."""
Paths = tuple[tuple[str, str], ...]
"""(dotted path in the payload, `*` for every item of a list; whose key)"""

_DECISION: Paths = (("comment", CADRE),)
NOMINATION_TEXTS: dict[str, Paths] = {
    "NominationSubmitted": (
        ("cadre.name", CADRE),
        ("statement", CADRE),
        ("achievements.*.title", CADRE),
        ("achievements.*.description", CADRE),
        ("commitment", CADRE),
        ("justification", CADRE),
        ("proposer.name", PROPOSER),
    ),
    "NominationRevised": (
        ("changes.statement", CADRE),
        ("changes.achievements.*.title", CADRE),
        ("changes.achievements.*.description", CADRE),
        ("changes.commitment", CADRE),
    ),
    "NominationWithdrawn": (("reason", CADRE),),
    "StageApproved": _DECISION,
    "NominationApproved": _DECISION,
    "NominationReturned": _DECISION,
    "NominationRejected": _DECISION,
    "Appointed": (("cadre.name", CADRE),),
}
"""The personal texts of each nomination event (target positions, stages and times are not)."""

CASE_TEXTS: dict[str, Paths] = {
    "ClueReceived": (("subject.name", SUBJECT), ("description", SUBJECT)),
    "CaseDismissed": (("reason", SUBJECT),),
    "FindingRecorded": (("summary", SUBJECT),),
    "MessageSentToReporter": (("text", SUBJECT),),
    "MessageReceivedFromReporter": (("text", SUBJECT),),
}
"""The personal texts of each case event (units, results, orders and reports are the trail)."""


def person_key_id(person_id: str) -> str:
    """The key id of a person: a hash of the id (an id may hold characters a key id may not, and
    the key id is written in the log)."""
    return "person-" + hashlib.sha256(person_id.encode()).hexdigest()[:32]


def case_subject_key_id(case_id: str) -> str:
    """The key id of the texts of a case about people."""
    return f"case-subject-{case_id}"


def aad(stream_id: str, field: str) -> bytes:
    """The context a text is sealed in: its stream and its field name (the last part of its path)."""
    return f"{stream_id}\n{field}".encode()


class Sealed(NamedTuple):
    """A decision with its personal texts sealed (what the writer turns into an event)."""

    type: str
    payload: dict[str, Any]


class Sealer:
    """Seals the personal texts of decisions before they are recorded; one per process."""

    def __init__(self, keys: KeyStore) -> None:
        self.keys = keys

    def nomination(self, type: str, payload: dict[str, Any], stream_id: str, cadre_id: str) -> Sealed:
        """A nomination event's payload with its texts sealed under the cadre's (and the
        proposer's) key. `Erased` if that person was erased."""
        owners = {CADRE: cadre_id, PROPOSER: (payload.get("proposer") or {}).get("id", "")}
        key_of = lambda whose: person_key_id(owners[whose])  # noqa: E731
        return Sealed(type, self._sealed(payload, NOMINATION_TEXTS.get(type, ()), stream_id, key_of))

    def case(self, type: str, payload: dict[str, Any], case_id: str) -> Sealed:
        """A case event's payload with its texts sealed under the case's subject key."""
        key_id = case_subject_key_id(case_id)
        return Sealed(type, self._sealed(payload, CASE_TEXTS.get(type, ()), case_id, lambda _: key_id))

    def _sealed(
        self, payload: dict[str, Any], paths: Paths, stream_id: str, key_id_of: Callable[[str], str]
    ) -> dict[str, Any]:
        ciphers: dict[str, tuple[str, Cipher]] = {}

        def cipher_of(whose: str) -> tuple[str, Cipher]:
            if whose not in ciphers:
                key_id = key_id_of(whose)
                try:
                    ciphers[whose] = key_id, Cipher(self.keys.create(key_id))
                except KeyDestroyed:
                    raise Erased("the person this text is about was erased; it cannot be recorded") from None
            return ciphers[whose]

        def sealed(field: str, whose: str, value: Any) -> Any:
            if not isinstance(value, str) or not value:
                return value  # sealed already (copied from a recorded event), or empty
            key_id, cipher = cipher_of(whose)
            return {"key": key_id, "sealed": cipher.seal(value.encode(), aad(stream_id, field))}

        return mapped(payload, paths, sealed)


class Opener:
    """Opens sealed texts for the views; redacts what can no longer be opened. One per process;
    it keeps no key: each `Reading` asks the store, once per key (once per key for all the
    readings of one request with `remembering`)."""

    def __init__(self, keys: KeyStore, erased: Container[str], ciphers: dict[str, Cipher | None] | None = None) -> None:
        self.keys = keys
        self.erased = erased
        """key ids erased (`Erasures`): a clear text of an erased person's is redacted too"""
        self.ciphers = ciphers
        """keys already asked for, shared by this opener's readings (None: each reading its own)"""
        self._missing: set[str] = set()

    def remembering(self) -> Opener:
        """This opener for one request: its readings share the keys asked for (a page of 200 trail
        entries or notifications reads a key file once, not 200 times). Never kept longer: a key
        destroyed meanwhile must stop opening at the next request."""
        shared = Opener(self.keys, self.erased, {})
        shared._missing = self._missing
        return shared

    def missing(self, key_id: str) -> None:
        """Say once per key (a bounded number of them) that a key nobody erased is missing."""
        if key_id not in self._missing and len(self._missing) < MISSING_WARNINGS:
            self._missing.add(key_id)
            log.warning("key %s is missing but was not erased: is the key store shared?", key_id)

    def reading(self, stream_id: str, owner_key: str | None = None) -> Reading:
        """Open the texts of one stream for one view; `owner_key` is the key id the stream's
        clear texts (events written before sealing) would be under."""
        return Reading(self, stream_id, owner_key)


class Reading:
    """The texts of one stream opened for one view; `redacted` once any of them was redacted."""

    def __init__(self, opener: Opener, stream_id: str, owner_key: str | None) -> None:
        self.opener = opener
        self.stream_id = stream_id
        self.owner_key = owner_key
        self.redacted = False
        self._ciphers: dict[str, Cipher | None] = opener.ciphers if opener.ciphers is not None else {}

    def text(self, value: PersonalText | None, field: str, owner_key: str | None = None) -> str | None:
        """The clear text of a recorded value (`field` is its field name), or None if redacted;
        `owner_key` overrides the reading's for a clear text about someone else."""
        if value is None or value == "":
            return value
        if is_sealed(value):
            assert isinstance(value, dict)
            opened = self._open(value, field)
        else:
            erased = (owner_key or self.owner_key) in self.opener.erased
            opened = None if erased else value if isinstance(value, str) else None
        self.redacted = self.redacted or opened is None
        return opened

    def composed(self, value: PersonalText | None, field: str) -> str:
        """The text for a sentence: the clear text, `ERASED` if redacted, "" if there is none."""
        if value is None:
            return ""
        opened = self.text(value, field)
        return ERASED if opened is None else opened

    def payload(self, paths: Paths, payload: Mapping[str, Any], owners: Mapping[str, str] | None = None) -> Any:
        """A recorded payload with the texts at `paths` opened (None where redacted); `owners`
        gives the key id of other people's clear texts (e.g. the proposer's)."""

        def opened(field: str, whose: str, value: Any) -> Any:
            return self.text(value, field, (owners or {}).get(whose))

        return mapped(dict(payload), paths, opened)

    def _open(self, value: dict[str, str], field: str) -> str | None:
        key_id = value.get("key", "")
        if key_id in self.opener.erased:
            return None
        if key_id not in self._ciphers:
            self._ciphers[key_id] = self._cipher(key_id)
        cipher = self._ciphers[key_id]
        if cipher is None:
            return None
        try:
            return cipher.unseal(value.get("sealed", ""), aad(self.stream_id, field)).decode()
        except SealBroken:
            log.warning("a sealed %s of %s does not open: altered or moved", field, self.stream_id)
            return None

    def _cipher(self, key_id: str) -> Cipher | None:
        try:
            key = self.opener.keys.get(key_id)
        except ValueError:  # not a key id at all: a forged value
            key = None
        if key is None:
            self.opener.missing(key_id)
            return None
        return Cipher(key)


Change = Callable[[str, str, Any], Any]
"""(field name, whose, value) -> the new value"""


def mapped(payload: dict[str, Any], paths: Paths, change: Change) -> dict[str, Any]:
    """A copy of `payload` with `change` applied at each path present (the payload is not changed)."""
    if not paths:
        return payload
    copied: dict[str, Any] = _copied(payload)
    for path, whose in paths:
        _apply(copied, _split(path), whose, change)
    return copied


def _apply(node: Any, parts: tuple[str, ...], whose: str, change: Change) -> None:
    head, rest = parts[0], parts[1:]
    if head == "*":
        for item in node if isinstance(node, list) else ():
            _apply(item, rest, whose, change)
    elif isinstance(node, dict) and head in node:
        if rest:
            _apply(node[head], rest, whose, change)
        else:
            node[head] = change(head, whose, node[head])


def _copied(value: Any) -> Any:
    """A copy of a JSON-ready value: its own dicts and lists, the same strings."""
    if type(value) is dict:
        return {k: _copied(v) for k, v in value.items()}
    if type(value) is list:
        return [_copied(v) for v in value]
    return value


_SPLIT: dict[str, tuple[str, ...]] = {}


def _split(path: str) -> tuple[str, ...]:
    parts = _SPLIT.get(path)
    if parts is None:
        parts = _SPLIT[path] = tuple(path.split("."))
    return parts
