"""Possible duplicates among the persons: candidates with reasons, links and "not the same" pairs."""
