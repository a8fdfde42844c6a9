"""Duplicate detection: the same person across agencies and scripts.

The entry points are in :mod:`masarat.matching.engine` (``candidates_for``, ``deduplicate``), the
record type in :mod:`masarat.matching.records` (``MatchRecord``) and the index with pluggable key
hashing in :mod:`masarat.matching.blocking` (``MemoryIndex``). Nothing here depends on the database.
"""
