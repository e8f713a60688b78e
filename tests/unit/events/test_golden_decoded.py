"""Every golden event decodes to exactly the Event recorded before the codec was rewritten.

`tests/fixtures/decoded-events.json` holds, per golden file, the `repr` of the decoded Event
(every field, with its Python type: a bool is not an int, key order counts), its audit-trail form
and its digest. It was captured from the orjson + marshmallow codec; any later codec must
reproduce it character for character. Add an entry for a new golden file with
`python -m tests.unit.events.test_golden_decoded` (review the diff before committing it).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

import shared.contracts  # noqa: F401 - registers the event types
from shared.events.codec import decode, encode, to_dict
from shared.events.envelope import Event

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
GOLDEN_FILES = sorted((FIXTURES / "events").glob("*.json"))
EXPECTED = FIXTURES / "decoded-events.json"


def decoded_form(event: Event) -> dict[str, Any]:
    """What must not change: every field with its type, the audit-trail form, the digest."""
    return {"repr": repr(event), "to_dict": to_dict(event), "digest": event.digest}


def expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text())


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_decodes_to_the_recorded_event(path: Path) -> None:
    data = path.read_bytes()
    event = decode(data)
    assert orjson.dumps(decoded_form(event)) == orjson.dumps(expected()[path.name])
    assert event.digest == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_encodes_as_orjson_did(path: Path) -> None:
    event = decode(path.read_bytes())
    assert encode(event) == orjson.dumps(to_dict(event))


if __name__ == "__main__":
    forms = {path.name: decoded_form(decode(path.read_bytes())) for path in GOLDEN_FILES}
    EXPECTED.write_text(json.dumps(forms, indent=2, ensure_ascii=False) + "\n")
