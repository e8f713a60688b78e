"""The golden examples of the versions that seal personal texts are their clear golden examples,
sealed: opened with the golden keys they give back the clear payload, and the clear versions fold
to the same state as the sealed ones once opened.

The sealing versions' golden files are made from the clear ones by
`python -m tests.unit.events.test_golden_sealed` (AES-GCM nonces are random: review and commit
them once; the test checks what they hold, not their bytes). Their keys are derived from the key
id (`golden_key`), so the fixtures open without a key store on disk.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import shared.contracts  # noqa: F401 - registers the event types
from shared.application.personal import CASE_TEXTS, NOMINATION_TEXTS, Opener, Sealer
from shared.events.codec import decode
from shared.events.registry import REGISTRY
from shared.keys import KeyStore

EVENTS = Path(__file__).resolve().parents[2] / "fixtures" / "events"
SEALED_FROM = {  # sealing golden file <- (clear golden file, clear texts set for the example)
    "NominationSubmitted.v2.json": ("NominationSubmitted.v1.json", {}),
    "NominationSubmitted.v2.direct.json": ("NominationSubmitted.v1.direct.json", {}),
    "NominationRevised.v2.json": ("NominationRevised.v1.json", {}),
    "NominationWithdrawn.v2.json": ("NominationWithdrawn.v1.json", {}),
    "StageApproved.v2.json": ("StageApproved.v1.json", {"comment": "A sound record; go on."}),
    "NominationApproved.v3.json": ("NominationApproved.v2.json", {}),
    "NominationReturned.v2.json": ("NominationReturned.v1.json", {}),
    "NominationRejected.v2.json": ("NominationRejected.v1.json", {}),
    "Appointed.v2.json": ("Appointed.v1.json", {}),
    "ClueReceived.v2.json": ("ClueReceived.v1.json", {}),
    "CaseDismissed.v2.json": ("CaseDismissed.v1.json", {}),
    "FindingRecorded.v2.json": ("FindingRecorded.v1.json", {}),
    "MessageSentToReporter.v2.json": ("MessageSentToReporter.v1.json", {}),
    "MessageReceivedFromReporter.v2.json": ("MessageReceivedFromReporter.v1.json", {}),
}
CADRES = {"3f0c1d2e4b5a69788796a5b4c3d2e1f0": "cadre-0001", "7a6b5c4d3e2f10a9b8c7d6e5f4a3b2c1": "cadre-0002"}
"""The cadre of each nomination stream of the golden files."""


def golden_key(key_id: str) -> bytes:
    return hashlib.sha256(b"cadreflow golden fixture key\n" + key_id.encode()).digest()


class GoldenKeys(KeyStore):
    """Every key id has its golden key; nothing is ever destroyed but what a test names."""

    def __init__(self, destroyed: frozenset[str] = frozenset()) -> None:
        self.destroyed = destroyed

    def create(self, key_id: str) -> bytes:
        return golden_key(key_id)

    def get(self, key_id: str) -> bytes | None:
        return None if key_id in self.destroyed else golden_key(key_id)

    def destroy(self, key_id: str) -> None:
        raise NotImplementedError


def clear_source(name: str) -> dict[str, Any]:
    """The clear golden event a sealing one is made from, with the example's texts set."""
    source, texts = SEALED_FROM[name]
    event = json.loads((EVENTS / source).read_text())
    return {**event, "payload": {**event["payload"], **texts}}


def sealed_from(clear: dict[str, Any]) -> dict[str, Any]:
    """The clear event at the sealing version, its texts sealed with the golden keys."""
    sealer, event_type, stream = Sealer(GoldenKeys()), clear["type"], clear["stream_id"]
    if event_type in CASE_TEXTS:
        sealed = sealer.case(event_type, clear["payload"], stream)
    else:
        sealed = sealer.nomination(event_type, clear["payload"], stream, CADRES[stream])
    return {**clear, "schema_version": REGISTRY.current_version(event_type), "payload": sealed.payload}


def opened(event: Any, destroyed: frozenset[str] = frozenset()) -> tuple[dict[str, Any], bool]:
    texts = Opener(GoldenKeys(destroyed), destroyed).reading(event.stream_id)
    paths = {**NOMINATION_TEXTS, **CASE_TEXTS}[event.type]
    return texts.payload(paths, event.payload), texts.redacted


@pytest.mark.parametrize("name", sorted(SEALED_FROM))
def test_a_sealed_golden_example_opens_to_its_clear_example(name: str) -> None:
    event = decode((EVENTS / name).read_bytes())
    clear = decode(json.dumps(clear_source(name)).encode())

    assert event.schema_version == REGISTRY.current_version(event.type) == clear.schema_version
    assert opened(event) == (clear.payload, False)


@pytest.mark.parametrize("name", sorted(SEALED_FROM))
def test_a_sealed_golden_example_holds_no_clear_text(name: str) -> None:
    data = (EVENTS / name).read_bytes()
    source, _ = SEALED_FROM[name]
    texts = decode((EVENTS / source).read_bytes()).payload
    paths = {**NOMINATION_TEXTS, **CASE_TEXTS}[decode(data).type]
    for value in _texts_at(texts, paths):
        assert value.encode() not in data


@pytest.mark.parametrize("name", sorted(SEALED_FROM))
def test_with_the_key_destroyed_every_personal_text_is_redacted(name: str) -> None:
    event = decode((EVENTS / name).read_bytes())
    keys = {v["key"] for v in _texts_at(event.payload, {**NOMINATION_TEXTS, **CASE_TEXTS}[event.type])}

    payload, redacted = opened(event, frozenset(keys))

    assert redacted and None in _texts_at(payload, {**NOMINATION_TEXTS, **CASE_TEXTS}[event.type], keep_none=True)


def _texts_at(payload: dict[str, Any], paths: Any, keep_none: bool = False) -> list[Any]:
    """The non-empty values at `paths`."""
    found: list[Any] = []

    def walk(node: Any, parts: list[str]) -> None:
        if not parts:
            if node or (keep_none and node is None):
                found.append(node)
        elif parts[0] == "*" and isinstance(node, list):
            for item in node:
                walk(item, parts[1:])
        elif isinstance(node, dict) and parts[0] in node:
            walk(node[parts[0]], parts[1:])

    for path, _ in paths:
        walk(payload, path.split("."))
    return found


if __name__ == "__main__":
    for name in SEALED_FROM:
        (EVENTS / name).write_text(json.dumps(sealed_from(clear_source(name)), indent=2, ensure_ascii=False) + "\n")
