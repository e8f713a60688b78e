"""E-mail delivery, exactly once per (notification, address) across workers, replicas and restarts.

For each notification with an address, a sender appends `EmailClaimed` expecting the delivery
stream's current version; the log order gives the claim to one sender. The winner sends through
SMTP with a Message-ID derived from the notification (so a receiving server can drop a resend),
then records `EmailSent` or `EmailFailed`. A claim with no result after CLAIM_TIMEOUT (the sender
crashed between claim and record) may be claimed again.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from services.notification.inbox import Inbox, Notification
from shared.application.personal import Opener
from shared.application.recording import append_awaited
from shared.eventlog.port import EventLog, LogUnavailable
from shared.eventlog.topics import NOTIFICATIONS
from shared.events.envelope import Actor, new_event
from shared.metrics import ServiceMetrics
from shared.readside.follower import Follower
from shared.readside.gate import Outcome

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=2)


@dataclass
class SmtpSettings:
    host: str
    port: int
    sender: str


@dataclass
class EmailDelivery:
    """Sends the e-mails the inbox calls for; one instance per process."""

    inbox: Inbox
    log: EventLog
    follower: Follower
    smtp: SmtpSettings
    addresses: Mapping[str, str]
    clock: Callable[[], datetime]
    metrics: ServiceMetrics
    sender_id: str
    opener: Opener
    cursor: int = 0

    def address_of(self, recipient: str) -> str | None:
        return self.addresses.get(recipient)

    def deliver_pending(self) -> int:
        """Claim and send every e-mail still due; returns how many this process sent."""
        sent = 0
        with self.follower.changed:
            candidates = list(self.inbox.by_id.values())
        for notification in candidates:
            address = self.address_of(notification.recipient)
            if address and self._due(notification, address):
                sent += self._claim_and_send(notification, address)
        return sent

    def _due(self, notification: Notification, address: str) -> bool:
        state = self.inbox.emails.get(_stream(notification, address))
        if state is None or state.last is None:
            return True
        return state.last == "EmailClaimed" and self.clock() - state.last_at > CLAIM_TIMEOUT

    def _claim_and_send(self, notification: Notification, address: str) -> int:
        stream = _stream(notification, address)
        version = self.inbox.emails[stream].version if stream in self.inbox.emails else 0
        claim = self._event(
            "EmailClaimed",
            stream,
            version,
            {"notification_id": notification.id, "address": address, "sender": self.sender_id},
        )
        if self._append_and_wait(claim) is not Outcome.APPLIED:
            return 0
        result = self._send(notification, address)
        self._append_and_wait(self._event(result[0], stream, version + 1, result[1]))
        return 1 if result[0] == "EmailSent" else 0

    def _send(self, notification: Notification, address: str) -> tuple[str, dict]:
        message = EmailMessage()
        message["From"], message["To"] = self.smtp.sender, address
        message["Subject"] = f"[cadreflow] {notification.event_type}"
        message["Message-ID"] = f"<{notification.id}@cadreflow>"
        message.set_content(self.inbox.render(notification, self.opener)[0])
        base = {"notification_id": notification.id, "address": address}
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=10) as client:
                client.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            self.metrics_delivery("email_failed")
            return "EmailFailed", {**base, "reason": repr(error)[:500]}
        self.metrics_delivery("email_sent")
        return "EmailSent", {**base, "message_id": str(message["Message-ID"])}  # a header object, not a str

    def metrics_delivery(self, outcome: str) -> None:
        self.metrics.deliveries.labels("email", outcome).inc()

    def _event(self, type_: str, stream: str, expected: int, payload: dict):
        return new_event(type_, stream, expected, payload, Actor(self.sender_id, "system"), time=self.clock())

    def _append_and_wait(self, event) -> Outcome | None:
        try:
            return append_awaited(self.follower, NOTIFICATIONS, event, 30)
        except LogUnavailable as error:
            log.warning("e-mail record not written: %s", error)
            return None

    def run_every(self, interval_s: float) -> threading.Thread:
        """Deliver on a daemon thread once the projection is ready."""

        def loop() -> None:
            stop = threading.Event()
            while not stop.wait(interval_s):
                if self.follower.ready:
                    try:
                        self.deliver_pending()
                    except Exception:  # keep delivering after a transient failure
                        log.exception("e-mail delivery pass failed")

        thread = threading.Thread(target=loop, name="email-delivery", daemon=True)
        thread.start()
        return thread


def _stream(notification: Notification, address: str) -> str:
    return f"email:{notification.id}:{address}"
