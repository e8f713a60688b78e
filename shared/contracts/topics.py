"""The topics of the published contracts, each named once after the stream category it holds."""

NOMINATIONS = "cadreflow.nominations"
"""Every event of every nomination stream (key = nomination stream id)."""

NOTIFICATIONS = "cadreflow.notifications"
"""Notification outcomes: read marks and e-mail delivery claims and results."""

CASES = "cadreflow.cases"
"""Every event of every supervision case (key = case id) and of units' commitments (key =
`commitment:<unit>`)."""

PEOPLE = "cadreflow.people"
"""What is recorded about people as such: erasures (key = stream id = the person's key id)."""
