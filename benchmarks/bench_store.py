"""The embedded stores at scale: writing N documents, the file, and cold CLI latency.

Run: python benchmarks/bench_store.py /tmp/bench --documents 10000 --json   (before and after)
     python benchmarks/bench_store.py /tmp/bench --documents 100000         (SQLite only)

Records are generated, not extracted: a sample of make_corpus.py documents (500 by default)
is extracted once with the real pipeline (cached in WORKDIR/sample-N.pickle), and document i
of the benchmark is sample document i mod 500 under a new id and file name. So every
document has the actors, ties and quotes real extraction gives, the bodies recur as they do
in a real corpus, and the busiest bodies grow with N. Writing goes through the store's
`add` one document at a time (one transaction each for SQLite), as `samverkan ingest` does;
the JSON store saves once at the end (ingest saves at least that often).

Every query is the real command (`samverkan.py partners ... --store FILE`) in a fresh
process; wall time and the peak RSS of that process are reported. The page cache is warm
(the file was just written), as it is for a user asking questions after an ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from graph.model import Entity, Evidence, Extraction, Relation, document_id  # noqa: E402

# Runs one command; prints its wall time and the peak RSS of the largest process it started.
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          timeout=float(sys.argv[1]))
except subprocess.TimeoutExpired:
    print("inf", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.exit(0)
wall = time.perf_counter() - started
if done.returncode:
    sys.exit(done.stderr[-2000:])
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _extract(number: int) -> Extraction:
    import make_corpus
    from loaders.pipeline import extract_text

    rng = random.Random(number)
    text, suffix = make_corpus.document(rng, _groups(), number)
    return extract_text(text, source=f"dokument{number:05d}{suffix}", markdown=suffix == ".md")


_GROUPS: dict = {}


def _groups() -> dict:
    if not _GROUPS:
        import make_corpus

        _GROUPS.update(make_corpus.bodies())
    return _GROUPS


def sample(workdir: Path, size: int, jobs: int) -> list[Extraction]:
    """`size` extracted make_corpus documents, extracted once and cached."""
    cache = workdir / f"sample-{size}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from multiprocessing import Pool

    started = time.perf_counter()
    with Pool(jobs) as pool:
        extracted = pool.map(_extract, range(size), chunksize=10)
    print(f"extracted a sample of {size} documents in {time.perf_counter() - started:.0f} s", flush=True)
    cache.write_bytes(pickle.dumps(extracted))
    return extracted


def records(base: list[Extraction], count: int) -> Iterator[Extraction]:
    """Document i: sample document i mod len(base), under its own id, file name and quotes."""
    for i in range(count):
        x = base[i % len(base)]
        doc_id = document_id(f"bench document {i}")
        doc = x.document.model_copy(update={"id": doc_id, "source": f"corpus/{i // 1000:03d}/dokument{i:06d}.txt"})

        def moved(evidence: list[Evidence]) -> list[Evidence]:
            return [Evidence.trusted(doc_id, e.section, e.sentence, e.start, e.end, e.rule, e.confidence)
                    for e in evidence]

        entities = [Entity.trusted(**{**vars(e), "evidence": moved(e.evidence), "aliases": list(e.aliases),
                                      "attributes": dict(e.attributes)}) for e in x.entities]
        relations = [Relation.trusted(**{**vars(r), "evidence": moved(r.evidence)}) for r in x.relations]
        yield Extraction.trusted(document=doc, entities=entities, relations=relations)


def write(backend: str, store: Path, count: int, sample_file: Path) -> None:
    """(In a fresh process.) Add `count` documents to a new store; print seconds and peak RSS."""
    import resource

    base = pickle.loads(sample_file.read_bytes())
    started = time.perf_counter()
    if backend == "json":
        from graph.memory import MemoryStore

        target = MemoryStore(store)
        for x in records(base, count):
            target.add(x, owned=True)
        target.save()
    else:
        from graph.sqlite import SQLiteStore

        target = SQLiteStore(store)
        for x in records(base, count):
            target.add(x)
        target.close()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


#: A command still running after this many seconds is stopped and reported as "> limit".
LIMIT = 120.0


def measure(command: list[str]) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(LIMIT), *command], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}, cwd=ROOT)
    if result.returncode:
        raise RuntimeError(f"{command}: {result.stderr}")
    wall, peak_kb = result.stdout.split()
    return float(wall), float(peak_kb) / 1024


def pick_actors(sqlite_store: Path) -> dict[str, str]:
    """Names to ask about, found with SQL: the busiest body, a median one, and a partner of each."""
    db = sqlite3.connect(sqlite_store)
    degree = db.execute(
        "SELECT e.id, e.name, (SELECT COUNT(*) FROM relations r WHERE r.source = e.id) + "
        "(SELECT COUNT(*) FROM relations r WHERE r.target = e.id) AS n FROM entities e "
        "WHERE e.kind IN ('municipality', 'agency', 'police_unit', 'region') AND e.attributes = '{}' "
        "ORDER BY n DESC, e.id").fetchall()
    busiest, median = degree[0], degree[len(degree) // 2]

    def partner(entity_id: str) -> str:
        other = db.execute(
            "SELECT CASE WHEN source = ? THEN target ELSE source END FROM relations "
            "WHERE (source = ? OR target = ?) AND type = 'COLLABORATES_WITH' ORDER BY id LIMIT 1",
            (entity_id, entity_id, entity_id)).fetchone()[0]
        return db.execute("SELECT name FROM entities WHERE id = ?", (other,)).fetchone()[0]

    return {"busiest": busiest[1], "busiest_partner": partner(busiest[0]),
            "median": median[1], "median_partner": partner(median[0])}


def queries(names: dict[str, str], sqlite: bool) -> list[tuple[str, list[str]]]:
    out = [
        ("partners (busiest)", ["partners", names["busiest"]]),
        ("partners (median)", ["partners", names["median"]]),
        ("between (busiest)", ["between", names["busiest"], names["busiest_partner"]]),
        ("between (median)", ["between", names["median"], names["median_partner"]]),
        ("show (busiest)", ["show", names["busiest"]]),
        ("show (median)", ["show", names["median"]]),
        ("evidence (busiest)", ["evidence", names["busiest"], names["busiest_partner"]]),
        ("evidence (median)", ["evidence", names["median"], names["median_partner"]]),
    ]
    if sqlite:
        out.append(("search", ["search", "samverkansöverenskommelse"]))
    return out + [("brokers", ["brokers"]), ("communities", ["communities"]), ("view", ["view", "-o", "{tmp}/karta.html"])]


def run(workdir: Path, count: int, with_json: bool, sample_size: int, jobs: int, skip: set[str]) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    sample(workdir, sample_size, jobs)
    sample_file = workdir / f"sample-{sample_size}.pickle"
    backends = (["json"] if with_json else []) + ["sqlite"]
    stores = {b: workdir / f"graph-{count}.{'json' if b == 'json' else 'sqlite'}" for b in backends}
    written = {}
    for backend in backends:
        stores[backend].unlink(missing_ok=True)
        for extra in ("-wal", "-shm"):
            Path(str(stores[backend]) + extra).unlink(missing_ok=True)
        result = subprocess.run([sys.executable, __file__, "--write", backend, str(stores[backend]), str(count),
                                 str(sample_file)], capture_output=True, text=True, check=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        written[backend] = json.loads(result.stdout.strip().splitlines()[-1])
        written[backend]["mb"] = stores[backend].stat().st_size / 1e6
        print(f"{backend}: wrote {count} documents in {written[backend]['seconds']:.1f} s, "
              f"peak {written[backend]['peak_mb']:.0f} MB, file {written[backend]['mb']:.0f} MB", flush=True)
    names = pick_actors(stores["sqlite"])
    print(f"asking about: {names}", flush=True)
    rows: dict[str, dict[str, tuple[float, float]]] = {}
    tmp = tempfile.mkdtemp()
    for backend in backends:
        for label, args in queries(names, backend == "sqlite"):
            if label.split()[0] in skip:
                continue
            command = [sys.executable, str(ROOT / "samverkan.py"), *[a.replace("{tmp}", tmp) for a in args],
                       "--store", str(stores[backend])]
            rows.setdefault(label, {})[backend] = measure(command)
            wall, peak = rows[label][backend]
            print(f"  {backend:<6} {label:<20} {wall:7.2f} s {peak:7.0f} MB", flush=True)
    print(f"\n{count} documents")
    header = "| | " + " | ".join(f"{b} s | {b} peak MB" for b in backends) + " |"
    print(header)
    print("|---" * (1 + 2 * len(backends)) + "|")
    print("| write (ingest, records given) | " + " | ".join(
        f"{written[b]['seconds']:.1f} | {written[b]['peak_mb']:.0f}" for b in backends) + " |")
    print("| file size MB | " + " | ".join(f"{written[b]['mb']:.0f} | " for b in backends) + " |")
    for label, cells in rows.items():
        print(f"| {label} | " + " | ".join(
            f"{cells[b][0]:.2f} | {cells[b][1]:.0f}" if b in cells else "– | –" for b in backends) + " |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--write":
        write(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--json", action="store_true", help="also the JSON store (before the change)")
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip", nargs="*", default=[], help="commands not to time (e.g. view)")
    args = parser.parse_args()
    run(args.workdir, args.documents, args.json, args.sample, args.jobs, set(args.skip))


if __name__ == "__main__":
    main()
