"""Ingestion throughput: MB/s and documents/s, per core, and peak memory, as the corpus grows.

Run: python benchmarks/make_corpus.py /tmp/corpus --documents 10000
     python benchmarks/bench_ingest.py /tmp/corpus [--sizes 100 1000 10000] [--jobs 1 2]
Each run is the real command (`samverkan ingest DIR --jobs N`) in a fresh process on the
first N documents of the corpus, into an empty store.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def subset(corpus: Path, count: int, into: Path) -> tuple[int, int]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file())[:count]
    into.mkdir(parents=True)
    for f in files:
        os.symlink(f, into / f.name)
    return len(files), sum(f.stat().st_size for f in files)


# Runs one command and reports the CPU time and the peak RSS of its process tree. The bench's
# own RUSAGE_CHILDREN would carry the largest process of every earlier run into later rows.
_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(used.ru_utime + used.ru_stime, used.ru_maxrss)
"""


def run(folder: Path, jobs: int) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all processes) and the peak RSS in MB of the largest process
    (the main one or a worker) of one ingest."""
    # The default store (SQLite): a .json name would pick the old JSON store, which rewrites
    # its whole file as it grows.
    store = folder.parent / f"graph-{jobs}.sqlite"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, str(ROOT / "samverkan.py"), "ingest",
                             str(folder), "--jobs", str(jobs), "--store", str(store), *_follow(ROOT)],
                            check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    cpu, peak_kb = result.stdout.split()
    return wall, float(cpu), float(peak_kb) / 1024


def _follow(root: Path) -> list[str]:
    """The subsets are folders of links into the corpus: versions that skip links leaving the
    folder read them only with --follow-links (older versions have no such option)."""
    return ["--follow-links"] if "--follow-links" in (root / "samverkan.py").read_text(encoding="utf-8") else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"{'docs':>6} {'MB':>6} {'jobs':>4} {'wall s':>7} {'MB/s':>6} {'docs/s':>7} {'MB/s/core':>9} "
          f"{'cpu s':>6} {'peak MB':>8}")
    for size in args.sizes:
        tmp = Path(tempfile.mkdtemp())
        count, size_bytes = subset(args.corpus, size, tmp / "docs")
        mb = size_bytes / 1e6
        for jobs in args.jobs:
            wall, cpu, peak = run(tmp / "docs", jobs)
            print(f"{count:>6} {mb:>6.1f} {jobs:>4} {wall:>7.1f} {mb / wall:>6.2f} {count / wall:>7.1f} "
                  f"{mb / wall / jobs:>9.2f} {cpu:>6.1f} {peak:>8.0f}", flush=True)
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
