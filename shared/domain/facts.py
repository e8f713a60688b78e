"""What a decider's `evolve` reads of a recorded event: the `Fact` protocol both domains share.

The envelope of `shared.events` satisfies it; tests build facts of their own. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol


class FactActor(Protocol):
    """Who caused a fact: a person id and the role they acted in."""

    @property
    def id(self) -> str: ...

    @property
    def role(self) -> str: ...


class Fact(Protocol):
    """A recorded event as evolve reads it: type, JSON payload, time (aware) and actor."""

    @property
    def type(self) -> str: ...

    @property
    def payload(self) -> Mapping[str, Any]: ...

    @property
    def time(self) -> datetime: ...

    @property
    def actor(self) -> FactActor: ...
