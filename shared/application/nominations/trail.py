"""The audit trail of nomination streams: every event in log order with its outcome.

Trails of closed nominations (most of a long log) are kept as text `topic,partition,offset,
outcome,digest;...` per stream, and their events re-read from the log when first shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from shared.eventlog.port import Record
from shared.events.codec import decode
from shared.events.envelope import Event
from shared.events.errors import DecodeError
from shared.readside.gate import Outcome

Reread = Callable[[Sequence[tuple[str, int, int]]], list[Record | None]]
"""The log's `read_at`: the records stored at (topic, partition, offset) positions."""
_OUTCOMES = {"a": Outcome.APPLIED, "v": Outcome.VOID}
SHOWN_CACHE = 2000  # closed streams re-read from the log and kept for the next view


class Logged(NamedTuple):
    """One event of a stream as the audit trail shows it."""

    event: Event
    outcome: Outcome


class StoredTrail:
    """Trail entries kept as text per stream (from a snapshot, or of closed nominations). The
    events are re-read from the log when a stream's trail is first shown; an event whose stored
    bytes changed keeps the digest it had when folded, so verification notices."""

    def __init__(
        self, compact: dict[str, str] | None = None, topics: Sequence[str] = (), reread: Reread | None = None
    ) -> None:
        self.compact = compact or {}
        self.topics: dict[str, int] = {topic: i for i, topic in enumerate(topics)}
        self.reread = reread
        self._shown: dict[str, tuple[str, list[Logged]]] = {}  # streams shown since, by their text

    def events(self, stream_id: str, text: str | None) -> list[Logged]:
        if text is None:
            return []
        shown = self._shown.get(stream_id)
        if shown is None or shown[0] != text:
            if len(self._shown) >= SHOWN_CACHE:
                self._shown.clear()
            shown = self._shown[stream_id] = (text, self._reread_stream(text))
        return shown[1]

    def extend(self, stream_id: str, entries: list[Logged]) -> None:
        """Move folded trail entries of a stream to the compact text."""
        text = ";".join(self._entry(logged) for logged in entries)
        if text:
            before = self.compact.get(stream_id)
            self.compact[stream_id] = f"{before};{text}" if before else text

    def merged(self, compact: dict[str, str], live: dict[str, list[Logged]]) -> dict[str, str]:
        """Compact text of every stream: what was restored or closed, then what was folded since."""
        merged = dict(compact)
        for sid, entries in live.items():
            text = ";".join(self._entry(logged) for logged in entries)
            merged[sid] = f"{merged[sid]};{text}" if sid in merged and text else (merged.get(sid) or text)
        return merged

    def _entry(self, logged: Logged) -> str:
        topic, partition, offset = logged.event.position or ("", 0, -1)
        index = self.topics.setdefault(topic, len(self.topics))
        return f"{index},{partition},{offset},{logged.outcome.value[0]},{logged.event.digest}"

    def _reread_stream(self, text: str) -> list[Logged]:
        if self.reread is None:
            raise RuntimeError("a stored trail needs the log's read_at to be shown")
        names = list(self.topics)
        entries = [entry.split(",") for entry in text.split(";")]
        positions = [(names[int(t)], int(p), int(o)) for t, p, o, _, _ in entries]
        records = self.reread(positions)
        shown = []
        for (_, _, _, outcome, digest), position, record in zip(entries, positions, records, strict=True):
            event = _reread_event(record, position, digest)
            if event is not None:
                shown.append(Logged(event, _OUTCOMES[outcome]))
        return shown


def _reread_event(record: Record | None, position: tuple[str, int, int], digest: str) -> Event | None:
    if record is None:
        return None
    try:
        event = decode(record.value, position=position)
    except DecodeError:
        return None
    return event if event.digest == digest else event._replace(digest=digest)
