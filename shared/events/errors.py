"""Errors raised while encoding or decoding events."""


class DecodeError(ValueError):
    """Bytes read from the log are not a valid event; `reason` says why (goes to the dead letter)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownEventType(DecodeError):
    """The (type, schema_version) pair is not in the registry (unknown or from the future)."""
