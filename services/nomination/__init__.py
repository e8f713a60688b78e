"""The nomination service: the cadres' gateway (submit, follow, revise, withdraw)."""
