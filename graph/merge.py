"""Merging what two documents say about the same record.

Merging must be idempotent and order-independent, so that re-ingesting a document
changes nothing; aliases therefore come out as a sorted set without the name itself.
"""

from __future__ import annotations


def merge_aliases(first: list[str], second: list[str], name: str) -> list[str]:
    return sorted({a for a in [*first, *second] if a and a != name})
