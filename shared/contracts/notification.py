"""Events of notification streams (topic `cadreflow.notifications`).

- `NotificationRead`: stream `read:<notification id>:<person>` — the person marked it read.
- `EmailClaimed`/`EmailSent`/`EmailFailed`: stream `email:<notification id>:<address>` — one
  sender claims a delivery (expected version decides the claim), sends, then records the result.
"""

from __future__ import annotations

from marshmallow import fields

from shared.contracts.base import TolerantSchema, register_v1
from shared.contracts.topics import NOTIFICATIONS

TOPIC = NOTIFICATIONS


class NotificationReadV1Schema(TolerantSchema):
    """A person marked a notification of their inbox as read."""

    notification_id = fields.String(required=True)
    person = fields.String(required=True)


class EmailClaimedV1Schema(TolerantSchema):
    """A sender took the e-mail delivery of one notification to one address."""

    notification_id = fields.String(required=True)
    address = fields.String(required=True)
    sender = fields.String(required=True)


class EmailSentV1Schema(TolerantSchema):
    """The SMTP server accepted the message."""

    notification_id = fields.String(required=True)
    address = fields.String(required=True)
    message_id = fields.String(required=True)


class EmailFailedV1Schema(TolerantSchema):
    """The SMTP server refused the message or could not be reached."""

    notification_id = fields.String(required=True)
    address = fields.String(required=True)
    reason = fields.String(required=True)


SCHEMAS = {
    "NotificationRead": NotificationReadV1Schema,
    "EmailClaimed": EmailClaimedV1Schema,
    "EmailSent": EmailSentV1Schema,
    "EmailFailed": EmailFailedV1Schema,
}
register_v1(SCHEMAS)
