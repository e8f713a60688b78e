"""cadreflow-audit: verify a cadreflow log from genesis against the signed tree heads it was given."""
