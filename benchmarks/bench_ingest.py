"""Extraction throughput and store round-trip time on the example documents.

Run: .venv/bin/python benchmarks/bench_ingest.py [repetitions]
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.memory import MemoryStore  # noqa: E402
from loaders.pipeline import extract_text  # noqa: E402
from loaders.read import read  # noqa: E402


def main(repetitions: int = 20) -> None:
    texts = [read(p) for p in sorted((ROOT / "examples").glob("*.txt"))]
    extract_text(texts[0].text)  # warm caches (spaCy pipeline, gazetteer, matchers)
    size = sum(len(t.text.encode("utf-8")) for t in texts) * repetitions
    tracemalloc.start()
    started = time.perf_counter()
    extractions = []
    for i in range(repetitions):
        for t in texts:
            # A distinct line per repetition gives distinct documents, as a real corpus would.
            extractions.append(extract_text(t.text + f"\n\nKopia {i}.", source=f"{t.path}#{i}"))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"extraction: {len(extractions)} documents, {size / 1e6:.2f} MB in {elapsed:.2f} s "
          f"= {size / 1e6 / elapsed:.2f} MB/s, {len(extractions) / elapsed:.1f} documents/s, peak {peak / 1e6:.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        store = MemoryStore(Path(tmp) / "g.json")
        started = time.perf_counter()
        for x in extractions:
            store.add(x)
        store.save()
        added = time.perf_counter() - started
        started = time.perf_counter()
        MemoryStore(Path(tmp) / "g.json")
        loaded = time.perf_counter() - started
        print(f"store: add+save {added:.2f} s, load {loaded:.2f} s ({store.stats().relations} relations)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
