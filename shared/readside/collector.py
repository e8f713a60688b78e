"""While any follower of the process rebuilds its state, the cyclic garbage collector sleeps.

A rebuild creates millions of objects that all live on (a fold makes no reference cycles), so
collecting meanwhile only walks them again and again (13 % of a fold). When the last rebuild
is done the survivors are frozen out of later collections and the collector wakes up.
"""

from __future__ import annotations

import gc
import threading

REBUILD_GC_THRESHOLD = (100_000, 50, 1000)  # the state built at start lives on: collect rarely after it


class CollectorPause:
    """Counts the rebuilds under way in the process; the collector sleeps while there is one."""

    _lock = threading.Lock()
    _rebuilding = 0

    @classmethod
    def begin(cls) -> None:
        with cls._lock:
            if cls._rebuilding == 0:
                gc.disable()
                gc.set_threshold(*REBUILD_GC_THRESHOLD)
            cls._rebuilding += 1

    @classmethod
    def end(cls) -> None:
        with cls._lock:
            cls._rebuilding -= 1
            if cls._rebuilding == 0:
                gc.freeze()
                gc.enable()
