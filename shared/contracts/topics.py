"""The topics of the published contracts, each named once after the stream category it holds."""

NOMINATIONS = "cadreflow.nominations"
"""Every event of every nomination stream (key = nomination stream id)."""

NOTIFICATIONS = "cadreflow.notifications"
"""Notification outcomes: read marks and e-mail delivery claims and results."""
