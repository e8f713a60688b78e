"""E-mail through a real SMTP server on loopback: one message per (notification, address), even
when two notification replicas deliver from the same log at once."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from shared.eventlog.topics import NOTIFICATIONS
from shared.readside.gate import Outcome


class MailSink:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, email.message.EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.messages.extend((rcpt, message) for rcpt in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[MailSink, int]]:
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


def wait_for(app, done, timeout_s: float = 20) -> bool:
    """Block until `done()` holds in `app`'s projection (re-checked whenever its follower moves)."""
    follower = app.extensions["follower"]
    with follower.changed:
        return follower.changed.wait_for(done, timeout=timeout_s)


def sent(app, streams) -> bool:
    """True once `app` has folded an EmailSent as the last record of every delivery stream."""
    emails = app.extensions["inbox"].emails
    return wait_for(app, lambda: all(emails.get(s) is not None and emails[s].last == "EmailSent" for s in streams))


class TestEmailDelivery:
    def test_two_replicas_send_each_notification_once_to_each_address_saying_what_happened(
        self, services, cast, smtp, app_factory
    ) -> None:
        sink, port = smtp
        addresses = {
            f"person:{cast.cadre.id}": "cadre@example.org",
            f"role:unit_reviewer:{cast.cadre.unit}": "unit-office@example.org",
        }
        settings = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_sender": "cadreflow@example.org"}
        replicas = [app_factory("notification", **settings, role_emails=addresses) for _ in range(2)]
        nid = services.submit(cast.cadre, "unit")["nomination_id"]
        services.decide(cast.unit_reviewer, nid, "unit", "return", comment="add figures")
        to_cadre = services.notification.get("/api/v1/notifications", headers=cast.cadre.headers).json["items"]
        to_unit = services.notification.get("/api/v1/notifications", headers=cast.unit_reviewer.headers).json["items"]
        expected = {(item["id"], "cadre@example.org") for item in to_cadre} | {
            (item["id"], "unit-office@example.org") for item in to_unit
        }
        assert len(expected) == 3
        streams = {f"email:{notification}:{address}" for notification, address in expected}

        # besides their own timers, both replicas deliver from two more threads at the same moment
        start = threading.Barrier(2)

        def deliver(app) -> None:
            start.wait()
            app.extensions["email"].deliver_pending()

        threads = [threading.Thread(target=deliver, args=(app,)) for app in replicas]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(sent(app, streams) for app in replicas)
        services.settle()
        assert [app.extensions["email"].deliver_pending() for app in replicas] == [0, 0]

        delivered = Counter((message["Message-ID"][1:].split("@")[0], rcpt) for rcpt, message in list(sink.messages))
        assert delivered == Counter(expected)
        records = [
            (event, outcome) for event, outcome in services.log_events(NOTIFICATIONS) if event.stream_id in streams
        ]
        for stream in streams:
            applied = [e.type for e, o in records if e.stream_id == stream and o is Outcome.APPLIED]
            assert applied == ["EmailClaimed", "EmailSent"], stream

        # and each message says what happened
        to_the_cadre = {m["Message-ID"]: m for rcpt, m in sink.messages if rcpt == "cadre@example.org"}
        for notice in to_cadre:
            message = to_the_cadre[f"<{notice['id']}@cadreflow>"]
            assert message["From"] == "cadreflow@example.org"
            assert message["Subject"] == f"[cadreflow] {notice['event_type']}"
            assert message.get_content().strip() == notice["message"]
