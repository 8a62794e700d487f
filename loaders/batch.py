"""Extracting many files, in worker processes, in a fixed order, one file never sinking the rest.

Results come back in the order the files were given whatever the number of workers,
so `--jobs 4` builds exactly the graph `--jobs 1` builds. A file that fails, for
whatever reason, becomes a Failure naming it; it never stops the batch.

Each file is read in a worker process, with `--jobs 1` too: a file that hangs a
C library (a parser, a decompressor) or eats the memory cannot be stopped from inside
the process that reads it, only from outside. The parent watches every worker: past
the time budget for one file, or past the memory budget (the worker's own pages, not
the 1 GB of language models it shares with the parent), the worker and anything it
started are killed, the file is reported, and a fresh worker, forked from the parent
with the models already loaded, takes the next file. An address-space limit in each
worker stops a runaway allocation between two looks at it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from graph.model import Extraction
from loaders import language
from loaders.limits import Limits, cap_evidence, cap_sentences
from loaders.read import MAX_BYTES, LoaderError, display_path, megabytes, read


@dataclass(frozen=True)
class Failure:
    path: str
    problem: str


Result = Union[Extraction, Failure]

#: What the last line of an internal error tells the user to do.
REPORT_ADVICE = ("filen hoppades över; läs in den ensam för att se om felet upprepas, och rapportera det "
                 "till samverkans utvecklare med filen bifogad om du kan")


def extract_one(path: Path, max_bytes: int = MAX_BYTES, limits: Optional[Limits] = None) -> Result:
    """One file's Extraction, or the Failure that names it: never an exception."""
    limits = limits or Limits(max_bytes=max_bytes)
    try:
        return _extract(path, limits)
    except LoaderError as exc:
        return Failure(exc.path, exc.problem)
    except RecursionError:
        return Failure(display_path(path), "dokumentet är för djupt nästlat för att läsas")
    except MemoryError:
        return Failure(display_path(path), _memory_message(limits))
    except Exception as exc:  # a bug must cost one file, not the whole batch
        return Failure(display_path(path), f"internt fel vid extraktionen ({exc.__class__.__name__}: "
                                           f"{display_path(str(exc))[:300]}); {REPORT_ADVICE}")


def _extract(path: Path, limits: Limits) -> Extraction:
    """Read within the reading limits, extract at most max_sentences, keep at most max_evidence."""
    from loaders.pipeline import _looks_markdown, extract_text

    raw = read(path, limits=limits)
    text, note = cap_sentences(raw.text, limits.max_sentences)
    extraction = extract_text(text, source=raw.path, markdown=raw.format == "markdown" or _looks_markdown(text))
    return cap_evidence(extraction, limits.max_evidence, note)


def _memory_message(limits: Limits) -> str:
    return (f"avbröts: läsningen behövde mer än {megabytes(limits.max_memory_bytes)} MB minne, över gränsen "
            "per fil (--max-memory-mb)")


def _time_message(limits: Limits) -> str:
    return f"avbröts efter {limits.max_seconds:g} s, över tidsgränsen per fil (--max-seconds)"


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
    """Load spaCy and the gazetteer once, before the workers are forked: each worker, the
    first and every one started after a killed one, then begins with them in place."""
    from loaders.pipeline import extract_text

    extract_text("Uppsala kommun samverkar med Polisregion Mitt.")


def can_isolate() -> bool:
    """Workers are forked (they share the parent's loaded models); where fork is not there,
    files are read in the process itself, without the watchdog."""
    return "fork" in multiprocessing.get_all_start_methods() and hasattr(os, "setpgid")


def extract_many(paths: Iterable[Path], jobs: int = 1, max_bytes: int = MAX_BYTES,
                 limits: Optional[Limits] = None, isolate: bool = True) -> Iterator[Result]:
    """Every file's Result, in the order given; `jobs` worker processes read them.

    isolate=False reads in this process (for tests and callers that want no processes):
    then no time or memory budget is enforced.
    """
    paths = list(paths)
    limits = limits or Limits(max_bytes=max_bytes)
    if not paths:
        return
    if not isolate or not can_isolate():
        for path in paths:
            yield extract_one(path, limits=limits)
        return
    workers = max(1, min(jobs, len(paths), os.cpu_count() or jobs))
    # The language models (about 1 GB) are loaded here, once: the forked workers share their
    # pages instead of loading a copy each. Frozen, the collector never walks (and so never
    # writes to) the lemmatiser's tables in a worker.
    language.preload()
    _warm()
    gc.freeze()
    yield from _Pool(workers, limits).run(paths)


# --- the worker side -------------------------------------------------------------------------

#: Address space a worker may add beyond its budget before malloc fails (thread stacks,
#: arenas reserved but not used): the watchdog, not this, enforces the budget itself.
ADDRESS_SPACE_SLACK = 1_000_000_000


def _serve(conn: Connection, limits: Limits) -> None:
    """A worker: its own process group (so a kill takes tesseract with it), an address-space
    ceiling above what it has now (the shared models are mapped already), then files."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.set_threshold(*GC_THRESHOLDS)  # a worker does nothing but ingest
    mapped = _address_space()
    if mapped:
        ceiling = mapped + limits.max_memory_bytes + ADDRESS_SPACE_SLACK
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (ceiling if hard == resource.RLIM_INFINITY else min(ceiling, hard), hard))
        except (ValueError, OSError):
            pass
    conn.send(("ready", _own_bytes(os.getpid())))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, path = task
        result = extract_one(path, limits=limits)
        try:
            conn.send((index, result))
        except MemoryError:
            conn.send((index, Failure(display_path(path), _memory_message(limits))))


def _address_space() -> int:
    """This process's mapped address space (VmSize), 0 where /proc cannot tell."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _own_bytes(pid: int) -> int:
    """The process's resident anonymous memory (resident minus file-backed pages, from
    /proc/PID/statm, which costs microseconds where smaps_rollup costs 20 ms), 0 if unknown.

    A forked worker starts with the parent's anonymous pages mapped, the language models
    among them; what it allocates for a file comes on top. So the growth of this figure
    from the worker's start is what one file costs, the shared models not counted.
    """
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            resident, shared = statm.read().split()[1:3]
        return (int(resident) - int(shared)) * _PAGE
    except (OSError, ValueError):
        return 0


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# --- the parent side -------------------------------------------------------------------------

#: Seconds between looks at the workers' clocks and memory.
WATCH_INTERVAL = 0.2
#: Workers in a row that may die before they are ready before the batch gives up on them.
MAX_FAILED_STARTS = 3


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False
    baseline: int = 0  # its own memory (_own_bytes) when it was ready for its first file
    task: Optional[int] = None
    started: float = 0.0


class _Pool:
    """Forked workers fed one file at a time, watched, replaced when they are killed or die."""

    def __init__(self, size: int, limits: Limits) -> None:
        self.size, self.limits = size, limits
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        self.failed_starts = 0  # workers in a row that died before they were ready

    def run(self, paths: list[Path]) -> Iterator[Result]:
        pending = deque(enumerate(paths))
        results: dict[int, Result] = {}
        following = 0
        try:
            self.workers = [self._start() for _ in range(self.size)]
            while following < len(paths):
                self._dispatch(pending, paths)
                self._collect(results, paths)
                self._watch(results, paths)
                self._replace(pending, results, paths)
                while following in results:
                    paused = time.monotonic()
                    yield results.pop(following)
                    following += 1
                    # The consumer's time (storing, saving) is not the file's: clocks restart.
                    away = time.monotonic() - paused
                    for worker in self.workers:
                        worker.started += away
        finally:
            self._stop_all()

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_serve, args=(child_end, self.limits), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _dispatch(self, pending: deque, paths: list[Path]) -> None:
        for worker in self.workers:
            if worker.ready and worker.task is None and pending:
                index, path = pending.popleft()
                try:
                    worker.conn.send((index, path))
                except (OSError, ValueError):  # died while idle: _replace starts another
                    pending.appendleft((index, path))
                    worker.ready = False
                    continue
                worker.task, worker.started = index, time.monotonic()

    def _collect(self, results: dict[int, Result], paths: list[Path]) -> None:
        alive = [w for w in self.workers if not w.conn.closed]
        if not alive:
            time.sleep(WATCH_INTERVAL)
            return
        ready = set(wait([w.conn for w in alive] + [w.process.sentinel for w in alive], timeout=WATCH_INTERVAL))
        for worker in alive:
            if worker.conn not in ready:
                continue
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                if not worker.ready:
                    self.failed_starts += 1
                self._lost(worker, results, paths)
                continue
            if message[0] == "ready":
                worker.ready, worker.baseline = True, message[1]
                self.failed_starts = 0
            else:
                index, result = message
                results[index] = result
                worker.task = None

    def _watch(self, results: dict[int, Result], paths: list[Path]) -> None:
        now = time.monotonic()
        for worker in self.workers:
            if worker.task is None:
                if worker.process.exitcode is not None:
                    worker.ready = False
                continue
            if worker.process.exitcode is not None:
                self._lost(worker, results, paths)
            elif now - worker.started > self.limits.max_seconds:
                self._kill(worker, results, paths, _time_message(self.limits))
            elif worker.baseline and _own_bytes(worker.process.pid) - worker.baseline > self.limits.max_memory_bytes:
                self._kill(worker, results, paths, _memory_message(self.limits))

    def _lost(self, worker: _Worker, results: dict[int, Result], paths: list[Path]) -> None:
        """A worker that died on its own (the kernel's OOM killer, a crash in C code)."""
        worker.process.join(timeout=5)
        if worker.task is not None:
            code = worker.process.exitcode
            how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"slutkod {code}"
            results[worker.task] = Failure(display_path(paths[worker.task]),
                                           f"arbetsprocessen dog när filen lästes ({how}); {REPORT_ADVICE}")
            worker.task = None
        worker.ready = False
        self._end(worker)

    def _kill(self, worker: _Worker, results: dict[int, Result], paths: list[Path], problem: str) -> None:
        assert worker.task is not None
        results[worker.task] = Failure(display_path(paths[worker.task]), problem)
        worker.task = None
        worker.ready = False
        self._end(worker)

    def _replace(self, pending: deque, results: dict[int, Result], paths: list[Path]) -> None:
        """A fresh worker for each one that is gone, while files are left to read; when
        workers keep dying before they are ready, the files left are reported instead."""
        if self.failed_starts >= MAX_FAILED_STARTS:
            while pending:
                index, path = pending.popleft()
                results[index] = Failure(display_path(path), f"ingen arbetsprocess kunde starta; {REPORT_ADVICE}")
        for number, worker in enumerate(self.workers):
            if worker.process.exitcode is not None or worker.conn.closed:
                if worker.task is not None:
                    self._lost(worker, results, paths)
                self._end(worker)
                if pending:
                    self.workers[number] = self._start()

    def _end(self, worker: _Worker) -> None:
        """Kill a worker's process group (it and the OCR it may have started) and reap it."""
        pid = worker.process.pid
        if worker.process.exitcode is None and pid is not None:
            for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    target()
                    break
                except (ProcessLookupError, PermissionError, OSError):
                    continue
        worker.process.join(timeout=5)
        if not worker.conn.closed:
            worker.conn.close()

    def _stop_all(self) -> None:
        for worker in self.workers:
            if worker.process.exitcode is None and not worker.conn.closed and worker.task is None:
                try:
                    worker.conn.send(None)
                except (OSError, ValueError):
                    pass
        deadline = time.monotonic() + 2
        for worker in self.workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            self._end(worker)
