"""Published contracts: per producing area, its topic and the payload types of its events.

Importing `shared.contracts` registers every event type in the default registry.
"""

from shared.contracts import nomination, notification, people, supervision  # noqa: F401 - registration on import
