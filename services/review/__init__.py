"""The review service: reviewer queues, decisions, and the deadline (SLA) scanner."""
