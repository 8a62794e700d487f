"""Extraction cost in CPU instructions per document and per KB, counted by valgrind's callgrind.

Wall-clock figures on a shared virtual machine move by a third between identical runs;
instruction counts do not move at all, so they tell whether a change made extraction
cheaper. The count for one document (start-up, spaCy and the tables loaded) is taken
from the count for 1 + N documents, leaving the cost of N documents alone.

Run: python benchmarks/make_corpus.py /tmp/corpus --documents 100
     python benchmarks/count_instructions.py /tmp/corpus [--documents 40] [--root .]
Needs valgrind (Debian package valgrind); each run takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs inside valgrind: extract the first `count` documents, after one warm-up document.
_WORKLOAD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from loaders.pipeline import extract_text
files = sorted(p for p in Path(sys.argv[2]).rglob("*") if p.is_file())
extract_text(files[0].read_text(encoding="utf-8"))
for path in files[1 : 1 + int(sys.argv[3])]:
    extract_text(path.read_text(encoding="utf-8"), source=str(path), markdown=path.suffix == ".md")
"""


def instructions(root: Path, corpus: Path, count: int) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", _WORKLOAD, str(root), str(corpus), str(count)],
        capture_output=True, text=True, check=True,
        # One hash seed: set and dict orders, and so the work done, are the same every run.
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if not found:
        raise SystemExit(f"callgrind printed no count:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--root", type=Path, default=ROOT, help="The checkout whose code is measured.")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())[1 : 1 + args.documents]
    kb = sum(len(p.read_text(encoding="utf-8").encode()) for p in files) / 1000
    base = instructions(args.root, args.corpus, 0)
    loaded = instructions(args.root, args.corpus, len(files))
    per_doc = (loaded - base) / len(files)
    print(f"{len(files)} documents, {kb:.0f} KB: {per_doc / 1e6:.1f} M instructions per document, "
          f"{(loaded - base) / kb / 1e6:.2f} M per KB (start-up {base / 1e9:.2f} G)")


if __name__ == "__main__":
    main()
