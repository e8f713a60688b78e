"""What a request may bring in before a view sees it: its id, its body size, its method as a label.

- `X-Request-Id` becomes the correlation id of every event the request appends, so it is taken
  only when it is short and plain (`REQUEST_ID`: up to 64 letters, digits and `._:-`); anything
  else is replaced by a fresh id. The id used is echoed in the answer's `X-Request-Id`.
- A body over the limit is refused with 413 before any view: by its `Content-Length`, or, without
  one (chunked), once reading it here passes the limit. (Left to werkzeug, a chunked body is cut
  at the limit without a word and then fails to parse: a 400.)
- Prometheus labels take the method only from a fixed set; anything else is `other`, so made-up
  methods cannot grow the metrics without bound.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterable
from typing import Any

import orjson
from flask import g, request

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_READ = 64 * 1024


def request_id() -> str:
    """The id of the current request: the client's `X-Request-Id` if it is plain, else a fresh one."""
    if "request_id" not in g:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    found: str = g.request_id
    return found


def method_label(method: str) -> str:
    """The method as a metrics label: one of METHODS, or `other`."""
    return method if method in METHODS else "other"


class BodyLimit:
    """WSGI middleware: a body the server streams without `Content-Length` is read in full here
    (at most `max_bytes`), then handed on with its length, or refused with 413."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        declared = environ.get("CONTENT_LENGTH")
        if declared:  # refused before any view, whatever the content type (werkzeug checks only when read)
            too_large = declared.isdigit() and int(declared) > self.max_bytes
            return _too_large(self.max_bytes, start_response) if too_large else self.app(environ, start_response)
        if not environ.get("wsgi.input_terminated"):
            return self.app(environ, start_response)
        body = _read_at_most(environ["wsgi.input"], self.max_bytes + 1)
        if len(body) > self.max_bytes:
            return _too_large(self.max_bytes, start_response)
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        return self.app(environ, start_response)


def _read_at_most(stream: Any, limit: int) -> bytes:
    parts, size = [], 0
    while size < limit:
        part = stream.read(min(_READ, limit - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _too_large(max_bytes: int, start_response: Any) -> list[bytes]:
    message = f"the request body is over {max_bytes} bytes"
    body = orjson.dumps({"error": {"code": "request_entity_too_large", "message": message, "details": {}}})
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Connection", "close")]
    start_response("413 Request Entity Too Large", headers)
    return [body]
