"""The supervision domain's `story` fixture, for the tests of what is built on the domain."""

from tests.unit.domain.supervision.conftest import story  # noqa: F401 - a fixture, used by name
