"""The notification service: inboxes folded from the log, and e-mail delivery exactly once."""
