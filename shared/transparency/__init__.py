"""A transparency log in the manner of Certificate Transparency (RFC 9162 section 2.1).

`merkle` is the tree (leaf and node hashing, incremental append, inclusion and consistency
proofs), `proofs` verifies those proofs exactly as RFC 9162 gives the algorithms, and `heads`
signs tree heads with Ed25519. `merkle` and `proofs` use the standard library only.
"""
