"""Events of notification streams (topic `cadreflow.notifications`).

- `NotificationRead`: stream `read:<notification id>:<person>` — the person marked it read.
- `EmailClaimed`/`EmailSent`/`EmailFailed`: stream `email:<notification id>:<address>` — one
  sender claims a delivery (expected version decides the claim), sends, then records the result.
"""

from __future__ import annotations

from shared.contracts.base import Payload, register_v1
from shared.contracts.topics import NOTIFICATIONS

TOPIC = NOTIFICATIONS


class NotificationReadV1(Payload):
    """A person marked a notification of their inbox as read."""

    notification_id: str
    person: str


class EmailClaimedV1(Payload):
    """A sender took the e-mail delivery of one notification to one address."""

    notification_id: str
    address: str
    sender: str


class EmailSentV1(Payload):
    """The SMTP server accepted the message."""

    notification_id: str
    address: str
    message_id: str


class EmailFailedV1(Payload):
    """The SMTP server refused the message or could not be reached."""

    notification_id: str
    address: str
    reason: str


PAYLOAD_TYPES: dict[str, type[Payload]] = {
    "NotificationRead": NotificationReadV1,
    "EmailClaimed": EmailClaimedV1,
    "EmailSent": EmailSentV1,
    "EmailFailed": EmailFailedV1,
}
register_v1(PAYLOAD_TYPES)
