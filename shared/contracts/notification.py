"""Events of notification streams (topic `cadreflow.notifications`).

- `NotificationRead`: stream `read:<notification id>:<person>` — the person marked it read.
- `EmailClaimed`/`EmailSent`/`EmailFailed`: stream `email:<notification id>:<address>` — one
  sender claims a delivery (expected version decides the claim), sends, then records the result.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields

from shared.eventlog.topics import NOTIFICATIONS
from shared.events.registry import REGISTRY

TOPIC = NOTIFICATIONS


class _Tolerant(Schema):
    class Meta:
        unknown = EXCLUDE


class NotificationReadV1Schema(_Tolerant):
    """A person marked a notification of their inbox as read."""

    notification_id = fields.String(required=True)
    person = fields.String(required=True)


class EmailClaimedV1Schema(_Tolerant):
    """A sender took the e-mail delivery of one notification to one address."""

    notification_id = fields.String(required=True)
    address = fields.String(required=True)
    sender = fields.String(required=True)


class EmailSentV1Schema(_Tolerant):
    """The SMTP server accepted the message."""

    notification_id = fields.String(required=True)
    address = fields.String(required=True)
    message_id = fields.String(required=True)


class EmailFailedV1Schema(_Tolerant):
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
for _type, _schema in SCHEMAS.items():
    REGISTRY.register(_type, 1, _schema)
