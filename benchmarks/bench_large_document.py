"""Extraction speed of single large documents: does the cost per MB stay flat as a document grows?

Run: python benchmarks/make_corpus.py /tmp/corpus
     python benchmarks/bench_large_document.py /tmp/corpus [--sizes 0.1 0.5 1 2]
Each document is corpus documents joined into one text of about the given size in MB (a
remiss compilation or an annual report can be that long); CPU seconds of extract_text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders.pipeline import extract_text  # noqa: E402
from loaders.reading.read import read  # noqa: E402


def joined(files: list[Path], megabytes: float) -> str:
    parts: list[str] = []
    size = 0
    for path in files:
        if size >= megabytes * 1e6:
            break
        text = read(path).text
        parts.append(text)
        size += len(text.encode("utf-8"))
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1.0, 2.0])
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    extract_text("Uppsala kommun samverkar med Polisregion Mitt.")  # load the tables first
    print(f"{'MB':>6} {'cpu s':>7} {'MB/s':>6} {'relations':>9}")
    for megabytes in args.sizes:
        text = joined(files, megabytes)
        started = time.process_time()
        extraction = extract_text(text, source="large", markdown=True)
        took = time.process_time() - started
        mb = len(text.encode("utf-8")) / 1e6
        print(f"{mb:>6.2f} {took:>7.2f} {mb / took:>6.2f} {len(extraction.relations):>9}", flush=True)


if __name__ == "__main__":
    main()
