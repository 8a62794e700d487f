"""When a long ingest saves the graph on the way, so a crash costs little and saving costs less.

Saving writes the whole store, so saving every N documents makes an ingest quadratic: at
10,000 documents, checkpoints every 2,000 wrote the graph five times over. By default a
checkpoint is due when a minute has passed and the time since the last save is at least
ten times what that save took: saving then never takes more than a tenth of the run,
and a crash loses at most the minutes since the last save (re-reading them is idempotent).
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional


class Checkpoints:
    def __init__(
        self,
        every_documents: Optional[int] = None,
        min_seconds: float = 60.0,
        max_share: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.every_documents = every_documents
        self.min_seconds = min_seconds
        self.max_share = max_share
        self.clock = clock
        self.unsaved = 0
        self._last_end = clock()
        self._last_took = 0.0

    def added(self) -> bool:
        """One more document is in the store but not on disk; is a checkpoint due now?"""
        self.unsaved += 1
        if self.every_documents is not None:
            return self.unsaved >= self.every_documents
        waited = self.clock() - self._last_end
        return waited >= self.min_seconds and waited * self.max_share >= self._last_took

    def save(self, write: Callable[[], Any]) -> None:
        """Save now with `write`, timed on this object's own clock."""
        started = self.clock()
        write()
        self._last_end = self.clock()
        self._last_took = self._last_end - started
        self.unsaved = 0
