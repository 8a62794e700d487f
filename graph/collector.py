"""Pausing Python's cyclic garbage collector while many small records are built.

Both embedded stores build hundreds of thousands of records with no cycles among them; the
collector would walk them again and again for nothing. It lives in its own module so that
the SQLite store does not import the JSON store (and networkx) to share it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
