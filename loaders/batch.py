"""Extracting many files, in worker processes when asked, in a fixed order.

Results come back in the order the files were given whatever the number of workers,
so `--jobs 4` builds exactly the graph `--jobs 1` builds. A file that fails, for
whatever reason, becomes a Failure naming it; it never stops the batch.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from graph.model import Extraction
from loaders import language
from loaders.read import MAX_BYTES, LoaderError


@dataclass(frozen=True)
class Failure:
    path: str
    problem: str


Result = Union[Extraction, Failure]


def extract_one(path: Path, max_bytes: int = MAX_BYTES) -> Result:
    from loaders.pipeline import extract_file

    try:
        return extract_file(path, max_bytes=max_bytes)
    except LoaderError as exc:
        return Failure(exc.path, exc.problem)
    except RecursionError:
        return Failure(str(path), "document too deeply nested to read")
    except Exception as exc:  # a bug must cost one file, not the whole batch
        return Failure(str(path), f"internal error while extracting ({exc.__class__.__name__}: {exc})")


#: Allocations between young-generation collections while ingesting. Records are made and
#: unpickled by the hundred thousand and hardly any form cycles: at Python's default (700)
#: the collector took half the time of unpickling worker results, and 5 % of extraction.
GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def relaxed_collector() -> Iterator[None]:
    """Collect cyclic garbage less often for the span of an ingest; the old thresholds after."""
    old = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _warm() -> None:
    """Load spaCy and the gazetteer once per worker, not once per file."""
    from loaders.pipeline import extract_text

    extract_text("Uppsala kommun samverkar med Polisregion Mitt.")
    gc.freeze()  # the tables just loaded live as long as the worker: keep them out of every collection
    gc.set_threshold(*GC_THRESHOLDS)  # a worker does nothing but ingest


def extract_many(paths: Iterable[Path], jobs: int = 1, max_bytes: int = MAX_BYTES) -> Iterator[Result]:
    paths = list(paths)
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield extract_one(path, max_bytes)
        return
    workers = min(jobs, len(paths), os.cpu_count() or jobs)
    # The language models (about 1 GB) are loaded here, once: the forked workers share their
    # pages instead of loading a copy each. Frozen, the collector never walks (and so never
    # writes to) the lemmatiser's tables in a worker.
    language.preload()
    gc.freeze()
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(extract_one, paths, [max_bytes] * len(paths), chunksize=chunk)
