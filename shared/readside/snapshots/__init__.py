"""Snapshots of a projection: the file on local disk and the keeper that saves and restores it."""
