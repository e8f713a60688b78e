"""The version gate: the log order decides, the same way for every reader."""

from shared.events.envelope import Actor, new_event
from shared.events.gate import Outcome, StreamGate
from tests.support import counter_events


def counted(stream: str, expected: int):
    return new_event(counter_events.COUNTED, stream, expected, {"writer": "w", "attempt": 0}, Actor("w", "t"))


def test_applies_events_that_follow_the_current_version() -> None:
    gate = StreamGate()
    assert [gate.admit(counted("s", v)) for v in range(3)] == [Outcome.APPLIED] * 3
    assert gate.version("s") == 3


def test_voids_the_loser_of_a_race_for_the_same_version() -> None:
    gate = StreamGate()
    first, second = counted("s", 0), counted("s", 0)
    assert (gate.admit(first), gate.admit(second)) == (Outcome.APPLIED, Outcome.VOID)


def test_voids_an_event_that_expects_a_version_from_the_future() -> None:
    assert StreamGate().admit(counted("s", 5)) is Outcome.VOID


def test_marks_a_redelivered_event_as_a_duplicate() -> None:
    gate, event = StreamGate(), counted("s", 0)
    gate.admit(event)
    assert gate.admit(event) is Outcome.DUPLICATE


def test_keeps_streams_apart() -> None:
    gate = StreamGate()
    assert gate.admit(counted("a", 0)) is gate.admit(counted("b", 0)) is Outcome.APPLIED
