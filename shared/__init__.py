"""cadreflow's shared library, in layers: domain, events and contracts, eventlog, readside,
application, web (each imports only those below it; see the README, "How it works").

Imports no service. Services depend on this package and on the events in the log, never on each other.
"""
