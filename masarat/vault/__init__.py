"""Encryption of identities at rest: keys, authenticated field encryption, blind indexes."""
