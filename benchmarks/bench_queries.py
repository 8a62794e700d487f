"""Query latency on a large graph, each measured from a cold load of the store file.

Run: python benchmarks/make_graph.py /tmp/big.json && python benchmarks/bench_queries.py /tmp/big.json
The target (issue 4) is under 1 s per query including loading, on 10,000+ relations.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.memory import MemoryStore  # noqa: E402
from queries.actors import actors  # noqa: E402
from queries.between import between  # noqa: E402
from queries.catalog import agreements, projects  # noqa: E402
from queries.export import export_json, write_export  # noqa: E402
from queries.lookup import lookup  # noqa: E402
from queries.network import brokers, communities, matrix  # noqa: E402
from queries.partners import partners  # noqa: E402
from queries.profile import evidence_between, profile  # noqa: E402


def timed(label: str, path: Path, query, runs: int = 3) -> float:
    """Median of `runs` cold loads plus the query."""
    loads, totals = [], []
    for _ in range(runs):
        started = time.perf_counter()
        store = MemoryStore(path)
        loaded = time.perf_counter()
        query(store)
        done = time.perf_counter()
        loads.append(loaded - started)
        totals.append(done - started)
    load, total = statistics.median(loads), statistics.median(totals)
    print(f"{label:<14} load {load:6.3f} s  query {total - load:6.3f} s  total {total:6.3f} s")
    return total


def cases(path: Path) -> dict:
    store = MemoryStore(path)
    busiest = max(actors(store), key=lambda r: r.relations)
    a, b = busiest.name, partners(store, busiest.id)[0].partner
    far = actors(store)[-1].name
    out = Path(tempfile.mkdtemp())
    return {
        "lookup": lambda s: lookup(s, a.lower() + "s"),
        "partners": lambda s: partners(s, lookup(s, a).id),
        "between": lambda s: between(s, lookup(s, a).id, lookup(s, b).id),
        "paths": lambda s: between(s, lookup(s, a).id, lookup(s, far).id),
        "agreements": agreements,
        "projects": projects,
        "matrix": matrix,
        "brokers": brokers,
        "communities": communities,
        "show": lambda s: profile(s, lookup(s, a).id),
        "evidence": lambda s: evidence_between(s, lookup(s, a).id, lookup(s, b).id),
        "export json": export_json,
        "export gexf": lambda s: write_export(s, "gexf", out / "g.gexf"),
        "export csv": lambda s: write_export(s, "csv", out / "g"),
    }


def main(path: Path, only: str | None = None) -> None:
    """Each case runs in a fresh process, as a CLI command would."""
    if only:
        timed(only, path, cases(path)[only])
        return
    print(f"{path}: {MemoryStore(path).stats().relations} relations; median of 3 cold loads + query, fresh process each")
    for label in cases(path):
        subprocess.run([sys.executable, __file__, str(path), label], check=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
