"""Waiting on in-process service apps: ready at start, and caught up after a write."""

from __future__ import annotations

import time


def wait_ready(app, timeout_s: float = 60) -> None:
    """Until the app's /readyz would say 200 (every follower caught up with the log)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.extensions["runtime"].readiness()[0]:
            return
        time.sleep(0.02)
    raise AssertionError(f"{app.name} not ready: {app.extensions['runtime'].readiness()}")


def settle(apps, timeout_s: float = 20) -> None:
    """Until every app has folded everything written to the log so far."""
    deadline = time.monotonic() + timeout_s
    for app in apps:
        runtime = app.extensions["runtime"]
        for follower in runtime.followers:
            target = runtime.log.end_offsets(follower.topics)
            assert follower.wait_until(target, max(0.1, deadline - time.monotonic())), follower.name
