"""The base of every event payload type: a msgspec Struct that is a tolerant reader.

A payload type declares its fields with their Python types, and the codec decodes and validates
the JSON payload in one step against it. Unknown fields are ignored (a reader is never broken by
a field added later). Rules of the marshmallow schemas these types replaced, as types:
- a required field has no default; an optional one has its default (`comment: str = ""`);
- a field that may be absent and then stays absent is `X | UnsetType = UNSET`;
- a choice (`OneOf`) is a `Literal[...]`; a length (`Length`) is `Annotated[..., Meta(min_length=...)]`;
- an integer field takes JSON integers only (no bool, no float, no numeric string).
"""

from __future__ import annotations

from msgspec import Struct


class Payload(Struct, kw_only=True, gc=False):
    """One version of one event type's payload (or a value nested in one).

    Fields are keyword-only; msgspec applies `kw_only` to the fields a class defines, so a subclass
    that adds required fields after a base's optional ones says `kw_only=True` again. `gc=False`:
    a decoded payload never holds a reference cycle and lives only until it becomes the event's
    plain dict.
    """
