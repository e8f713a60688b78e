"""The read side: the loop that folds the log into projections, the version gate, snapshots."""
