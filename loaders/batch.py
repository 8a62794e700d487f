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

The watching is done by a thread of the parent, which also hands out the files (each
worker holds the file it reads and the next) and takes the results: so a worker never
waits for the parent, neither between two files nor while the parent stores and saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from graph.model import Extraction
from loaders.language import swedish
from loaders.reading.limits import Limits, cap_evidence, cap_sentences
from loaders import rows
from loaders.reading.read import MAX_BYTES, LoaderError, display_path, megabytes, read


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
    source, markdown = raw.path, raw.format == "markdown" or _looks_markdown(text)
    del raw  # the whole text, where only its first part is extracted
    extraction = extract_text(text, source=source, markdown=markdown)
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
    swedish.preload()
    _warm()
    gc.freeze()
    yield from _Pool(workers, limits).run(paths)


# --- the worker side -------------------------------------------------------------------------

#: Address space a worker may add beyond its budget before malloc fails (thread stacks,
#: arenas reserved but not used): the watchdog, not this, enforces the budget itself.
ADDRESS_SPACE_SLACK = 1_000_000_000
#: The first message of a worker: it is ready, and its own memory then follows.
_READY = b"R"


def _serve(conn: Connection, limits: Limits, inherited: Sequence[Connection] = ()) -> None:
    """A worker: its own process group (so a kill takes tesseract with it), an address-space
    ceiling above what it has now (the shared models are mapped already), then files.

    Files come as (index, path) and are read in the order they came; each result goes back
    as one message of bytes (compact rows, see loaders/rows.py), in the same order, so it
    needs no index.
    """
    for other in inherited:
        other.close()
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
    conn.send_bytes(_READY + str(_own_bytes(os.getpid())).encode())
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        _, path = task
        result = extract_one(path, limits=limits)
        try:
            try:
                message = rows.encode(result)
            except MemoryError:
                message = rows.encode(Failure(display_path(path), _memory_message(limits)))
            conn.send_bytes(message)
        except OSError:  # the parent is gone: nobody is left to read for
            return


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
#: Files a worker holds at once: the one it reads and the next, so that it never waits for
#: the parent between two files. More would let one slow file hold back files that another
#: worker could read.
QUEUED_PER_WORKER = 2
#: Results (a few KB each) that may wait for the consumer before no more files are handed out.
MAX_WAITING = 512


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False  # said it is ready, and takes files
    greeted: bool = False  # its first message (ready) came
    baseline: int = 0  # its own memory (_own_bytes) when it was ready for its first file
    tasks: deque = field(default_factory=deque)  # indices of the files it holds, the one it reads first
    started: float = 0.0  # when it began the file it reads now


class _Pool:
    """Forked workers, watched, replaced when they are killed or die.

    A watcher thread hands out the files, takes the results (as bytes) and keeps the clocks
    and the memory budget; the caller's thread only decodes and consumes them, in order. So
    the workers go on reading while the consumer stores and saves, and the clocks measure
    the workers only.
    """

    def __init__(self, size: int, limits: Limits) -> None:
        self.size, self.limits = size, limits
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        self.failed_starts = 0  # workers in a row that died before they were ready
        self.results: dict[int, Union[bytes, Result]] = {}
        self.consumed = 0  # results the consumer has taken (written by its thread only)
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.finished = False
        self.error: Optional[BaseException] = None

    def run(self, paths: list[Path]) -> Iterator[Result]:
        watcher = threading.Thread(target=self._watch_all, args=(paths,), name="samverkan-watcher", daemon=True)
        watcher.start()
        try:
            for index in range(len(paths)):
                result = self._take(index)
                self.consumed = index + 1
                yield rows.decode(result) if isinstance(result, bytes) else result
        finally:
            self.stop.set()
            watcher.join()

    def _take(self, index: int) -> Union[bytes, Result]:
        """The index-th result, once the watcher has it."""
        with self.changed:
            while index not in self.results:
                if self.finished:
                    raise self.error or RuntimeError("the watcher stopped before every file was read")
                self.changed.wait(WATCH_INTERVAL)
            return self.results.pop(index)

    def _put(self, index: int, result: Union[bytes, Result]) -> None:
        with self.changed:
            self.results[index] = result
            self.changed.notify()

    # -- the watcher thread --

    def _watch_all(self, paths: list[Path]) -> None:
        pending = deque(enumerate(paths))
        try:
            for _ in range(self.size):
                self.workers.append(self._start())  # one by one: each child closes the ends made before it
            while not self.stop.is_set() and (pending or any(w.tasks for w in self.workers)):
                self._dispatch(pending, paths)
                self._collect(pending, paths)
                self._watch(pending, paths)
                self._replace(pending, paths)
        except BaseException as exc:  # handed to the consumer's thread, raised there
            self.error = exc
        finally:
            self._stop_all()
            with self.changed:
                self.finished = True
                self.changed.notify_all()

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        # The child closes the parent's ends it inherits (its own and the other workers'):
        # held open there, they kept it waiting for files forever once the parent was killed.
        inherited = [parent_end, *(w.conn for w in self.workers if not w.conn.closed)]
        process = self.context.Process(target=_serve, args=(child_end, self.limits, inherited), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _dispatch(self, pending: deque, paths: list[Path]) -> None:
        for worker in self.workers:
            while (worker.ready and len(worker.tasks) < QUEUED_PER_WORKER and pending
                   and pending[0][0] < self.consumed + MAX_WAITING):
                index, path = pending.popleft()
                try:
                    worker.conn.send((index, path))
                except (OSError, ValueError):  # died while idle: _replace starts another
                    pending.appendleft((index, path))
                    worker.ready = False
                    break
                if not worker.tasks:
                    worker.started = time.monotonic()
                worker.tasks.append(index)

    def _collect(self, pending: deque, paths: list[Path]) -> None:
        alive = [w for w in self.workers if not w.conn.closed]
        if not alive:
            time.sleep(WATCH_INTERVAL)
            return
        ready = set(wait([w.conn for w in alive] + [w.process.sentinel for w in alive], timeout=WATCH_INTERVAL))
        for worker in alive:
            if worker.conn not in ready:
                continue
            try:
                message = worker.conn.recv_bytes()
            except (EOFError, OSError):
                if not worker.greeted:
                    self.failed_starts += 1
                self._lost(worker, pending, paths)
                continue
            if not worker.greeted:
                worker.ready = worker.greeted = True
                worker.baseline = int(message[len(_READY):] or 0)
                self.failed_starts = 0
            else:
                self._put(worker.tasks.popleft(), message)
                worker.started = time.monotonic()  # it goes on with the next file it holds

    def _watch(self, pending: deque, paths: list[Path]) -> None:
        now = time.monotonic()
        for worker in self.workers:
            if not worker.tasks:
                if worker.process.exitcode is not None:
                    worker.ready = False
                continue
            if worker.process.exitcode is not None:
                self._lost(worker, pending, paths)
            elif now - worker.started > self.limits.max_seconds:
                self._kill(worker, pending, paths, _time_message(self.limits))
            elif worker.baseline and _own_bytes(worker.process.pid) - worker.baseline > self.limits.max_memory_bytes:
                self._kill(worker, pending, paths, _memory_message(self.limits))

    def _fail_current(self, worker: _Worker, pending: deque, paths: list[Path], problem: str) -> None:
        """The file the worker reads fails; the files it held after it go back to be handed out."""
        index = worker.tasks.popleft()
        self._put(index, Failure(display_path(paths[index]), problem))
        pending.extendleft((i, paths[i]) for i in reversed(worker.tasks))
        worker.tasks.clear()

    def _lost(self, worker: _Worker, pending: deque, paths: list[Path]) -> None:
        """A worker that died on its own (the kernel's OOM killer, a crash in C code)."""
        worker.process.join(timeout=5)
        if worker.tasks:
            code = worker.process.exitcode
            how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"slutkod {code}"
            self._fail_current(worker, pending, paths, f"arbetsprocessen dog när filen lästes ({how}); {REPORT_ADVICE}")
        worker.ready = False
        self._end(worker)

    def _kill(self, worker: _Worker, pending: deque, paths: list[Path], problem: str) -> None:
        self._fail_current(worker, pending, paths, problem)
        worker.ready = False
        self._end(worker)

    def _replace(self, pending: deque, paths: list[Path]) -> None:
        """A fresh worker for each one that is gone, while files are left to read; when
        workers keep dying before they are ready, the files left are reported instead."""
        if self.failed_starts >= MAX_FAILED_STARTS:
            while pending:
                index, path = pending.popleft()
                self._put(index, Failure(display_path(path), f"ingen arbetsprocess kunde starta; {REPORT_ADVICE}"))
        for number, worker in enumerate(self.workers):
            if worker.process.exitcode is not None or worker.conn.closed:
                if worker.tasks:
                    self._lost(worker, pending, paths)
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
            if worker.process.exitcode is None and not worker.conn.closed and not worker.tasks:
                try:
                    worker.conn.send(None)
                except (OSError, ValueError):
                    pass
        deadline = time.monotonic() + 2
        for worker in self.workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            self._end(worker)
