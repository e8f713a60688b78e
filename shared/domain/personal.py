"""Personal texts as the domain holds them: exactly what the log holds, never read.

From the schema versions that brought crypto-shredding on, the texts about a person (a cadre's
name, statement and achievements, a reviewer's comment, a clue's description, ...) are stored
sealed, `{"key": <key id>, "sealed": <AES-GCM text>}`, under a key of the person they are about;
older events hold them in clear. The domain folds either form as an opaque value: it checks the
texts of a command before they are sealed, and never reasons on a text once recorded. Views open
them (`shared.application.personal`).
"""

from __future__ import annotations

Sealed = dict[str, str]
"""A sealed text: `{"key": <key id>, "sealed": <text of shared.keys.seal>}`."""

PersonalText = str | Sealed
"""A personal text as recorded: sealed, or clear in an event written before sealing."""


def is_sealed(value: object) -> bool:
    """True for a sealed text (a dict with `key` and `sealed`), False for clear text or anything else."""
    return type(value) is dict and "sealed" in value and "key" in value
