"""orjson output that is kept: copied to an exactly sized bytes object.

`orjson.dumps` returns bytes whose allocation is much larger than their length (about 8 kB of
resident memory for a 1.2 kB document with orjson 3.13). That is harmless for a value sent and
dropped, but a projection that keeps a hundred thousand of them would hold 0.8 GB for 0.1 GB of
JSON. Values that live on go through `dumps` here.
"""

from __future__ import annotations

from typing import Any

import orjson


def dumps(value: Any) -> bytes:
    """`orjson.dumps(value)` in a bytes object of its own size."""
    return memoryview(orjson.dumps(value)).tobytes()
