"""Bells wake the readers of the topics appended to, and no others."""

from __future__ import annotations

import threading
import time

from shared.eventlog.bells import Bells


def test_a_ring_wakes_the_readers_of_that_topic_only() -> None:
    bells = Bells()
    nominations, people = bells.hang(["nominations"]), bells.hang(["people", "objections"])
    woken: list[str] = []

    def waits(name: str, bell) -> threading.Thread:
        def run() -> None:
            started = time.monotonic()
            bell.wait(2.0)
            if time.monotonic() - started < 1.0:
                woken.append(name)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    threads = [waits("nominations", nominations), waits("people", people)]
    time.sleep(0.05)
    bells.ring(["nominations", "nominations"])
    for thread in threads:
        thread.join()

    assert woken == ["nominations"]


def test_a_ring_before_the_wait_is_kept_until_then() -> None:
    bells = Bells()
    bell = bells.hang(["people"])
    bells.ring(["people"])

    started = time.monotonic()
    bell.wait(5.0)  # returns at once: the ring came between the reader's look and its wait
    assert time.monotonic() - started < 1.0
    started = time.monotonic()
    bell.wait(0.05)  # the ring was used up
    assert time.monotonic() - started >= 0.04


def test_a_bell_taken_down_is_rung_no_more() -> None:
    bells = Bells()
    kept, gone = bells.hang(["people"]), bells.hang(["people"])
    bells.take_down(gone)
    bells.ring(["people"])

    started = time.monotonic()
    kept.wait(5.0)
    assert time.monotonic() - started < 1.0
    started = time.monotonic()
    gone.wait(0.05)
    assert time.monotonic() - started >= 0.04
