"""The application layer: per-process wiring, command handling and the books the APIs read."""
