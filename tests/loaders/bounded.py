"""Running code that once blew up in a process of its own, under a memory ceiling and a
time guard, so that a regression fails the test instead of taking the machine down.

The child loads the language models and tables first (about 1 GB, the same with or
without a fix), then sets an address-space ceiling of its mapped size plus `extra_bytes`
and runs the code. It reports how the code ended, its wall time and how much its resident
set grew at its peak (looked at every 10 ms) over what it was before: the figures the
tests assert and print.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from tests.conftest import ROOT

_CHILD = r"""
import json, os, resource, sys, threading, time
from loaders.pipeline import extract_text

extract_text("Uppsala kommun samverkar med Polisregion Mitt.")  # models and tables loaded
PAGE = os.sysconf("SC_PAGE_SIZE")


def mapped() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))


def resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def watch() -> None:  # the peak of the resident set, looked at every 10 ms
    while not done.is_set():
        peak[0] = max(peak[0], resident())
        time.sleep(0.01)


code, extra = sys.argv[1], int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (mapped() + extra, resource.RLIM_INFINITY))
before = resident()
peak, done = [before], threading.Event()
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
started = time.monotonic()
scope = {}
try:
    exec(code, scope)
    outcome = "ok"
except MemoryError:
    outcome = "MemoryError"
except Exception as exc:
    outcome = f"{exc.__class__.__name__}: {exc}"[:500]
seconds = time.monotonic() - started
done.set()
watcher.join()
print(json.dumps({"outcome": outcome, "seconds": seconds, "grown": max(peak[0], resident()) - before,
                  "report": scope.get("report")}))
"""


@dataclass(frozen=True)
class Run:
    outcome: str  # "ok", "MemoryError", or the exception
    seconds: float  # wall time of the code alone
    grown: int  # growth of the peak resident set, bytes
    report: object = None  # what the code put in its global `report` (JSON)


def run_bounded(code: str, extra_bytes: int, timeout: float) -> Run:
    """Run `code` (Python source) in a child with `extra_bytes` of address space to spare;
    what it assigns to a global `report` comes back in Run.report.

    A child still running after `timeout` seconds is killed and the test fails on the
    TimeoutExpired: a guard against a hang, far above the time the code needs.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _CHILD, code, str(extra_bytes)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(data["outcome"], data["seconds"], data["grown"], data["report"])
