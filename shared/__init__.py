"""cadreflow's shared library: events, the event log, the workflow domain and service plumbing.

Imports no service. Services depend on this package and on the events in the log, never on each other.
"""
