"""Events about people as such (topic `cadreflow.people`; stream and key = the person's key id).

- `PersonErased`: an admin erased a person (PIPL, GDPR): the keys listed were destroyed, so every
  text sealed under them, in every copy of the log, can no longer be opened; views redact them.
  The event carries no personal data: the person's key id (a hash of their id), the key ids
  destroyed, and, in its envelope, who erased and when. One per person: a second is void.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from shared.contracts.base import Payload, register_v1
from shared.contracts.topics import PEOPLE

TOPIC = PEOPLE
PERSON_ERASED = "PersonErased"


class PersonErasedV1(Payload):
    """An admin erased the person whose key id is `person_key`; `keys` were destroyed: the person's
    own key and the subject keys of the supervision cases linked to them."""

    person_key: Annotated[str, Meta(min_length=1)]
    keys: list[str]


PAYLOAD_TYPES: dict[str, type[Payload]] = {PERSON_ERASED: PersonErasedV1}
register_v1(PAYLOAD_TYPES)
