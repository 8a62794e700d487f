"""The embedded stores at scale: writing N documents, the file, and cold CLI latency.

Run: mkdir /tmp/before && git archive main | tar -x -C /tmp/before   (the code before a change)
     python benchmarks/bench_store.py /tmp/bench --documents 10000 --before /tmp/before
     python benchmarks/bench_store.py /tmp/bench --documents 100000

Records are generated, not extracted: a sample of make_corpus.py documents (500 by default)
is extracted once with the real pipeline (cached in WORKDIR/sample-N.pickle), and document i
of the benchmark is sample document i mod 500 under a new id and file name. So every
document has the actors, ties and quotes real extraction gives, the bodies recur as they do
in a real corpus, and the busiest bodies grow with N. Writing goes through the store's
`add` one document at a time (one transaction each for SQLite), as `samverkan ingest` does;
`--batch N` also writes in transactions of N documents (`ingest --jobs`).

Each variant is a checkout of the code: "after" is this one, "before" the one given with
--before (its own writer writes its own store, its own CLI answers). Every query is the real
command (`samverkan.py partners ... --store FILE`) in a fresh process; wall time and the
peak RSS of that process are reported. The variants run alternately, --repeat times each,
so that load from other work on the machine falls on both alike: the table gives the
minimum and the median wall time. The page cache is warm (the file was just written), as it
is for a user asking questions after an ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, NamedTuple

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


def write(backend: str, store: Path, count: int, sample_file: Path, batch: int = 1) -> None:
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
        pending: list[Extraction] = []
        for x in records(base, count):
            if batch <= 1:
                target.add(x)
                continue
            pending.append(x)
            if len(pending) >= batch:
                target.add_many(pending)
                pending = []
        if pending:
            target.add_many(pending)
        target.close()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


#: A command still running after this many seconds is stopped and reported as "> limit".
LIMIT = 120.0


def measure(command: list[str], root: Path) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(LIMIT), *command], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(root), "COLUMNS": "200"}, cwd=root)
    if result.returncode:
        raise RuntimeError(f"{command}: {result.stderr}")
    wall, peak_kb = result.stdout.split()
    return float(wall), float(peak_kb) / 1024


def pick_actors(sqlite_store: Path, far: bool = False) -> dict[str, str]:
    """Names to ask about, found with SQL (either schema): the busiest body, a median one, a
    partner of each, and with far=True an actor with no tie of its own to the busiest (for
    `between`'s path search)."""
    db = sqlite3.connect(f"file:{sqlite_store}?mode=ro", uri=True)
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

    names = {"busiest": busiest[1], "busiest_partner": partner(busiest[0]),
             "median": median[1], "median_partner": partner(median[0])}
    if far:
        names["far"] = next(name for entity_id, name, n in reversed(degree) if n > 0 and not db.execute(
            "SELECT 1 FROM relations WHERE (source = ? AND target = ?) OR (source = ? AND target = ?)",
            (entity_id, busiest[0], busiest[0], entity_id)).fetchone())
    return names


def queries(names: dict[str, str]) -> list[tuple[str, list[str]]]:
    return [
        ("start-up (partners --help)", ["partners", "--help"]),  # the floor: Python, typer and the imports
        ("partners (busiest)", ["partners", names["busiest"]]),
        ("partners (median)", ["partners", names["median"]]),
        ("between (busiest)", ["between", names["busiest"], names["busiest_partner"]]),
        ("between (median)", ["between", names["median"], names["median_partner"]]),
        ("show (busiest)", ["show", names["busiest"]]),
        ("show (median)", ["show", names["median"]]),
        ("evidence (busiest)", ["evidence", names["busiest"], names["busiest_partner"]]),
        ("evidence (median)", ["evidence", names["median"], names["median_partner"]]),
        ("search", ["search", "samverkansöverenskommelse"]),
        ("brokers", ["brokers"]),
        ("communities", ["communities"]),
        ("view", ["view", "-o", "{tmp}/karta.html"]),
    ]


#: Whole-graph commands: timed once per variant (they take long and vary less, relatively).
WHOLE_GRAPH = {"brokers", "communities", "view"}


class Variant(NamedTuple):
    label: str     # column heading
    root: Path     # the checkout whose writer and CLI are measured
    backend: str   # "sqlite" or "json"
    batch: int = 1


def write_store(variant: Variant, store: Path, count: int, sample_file: Path) -> dict:
    """Write the variant's store with its own code, in a fresh process; seconds, peak MB, file MB."""
    store.unlink(missing_ok=True)
    for extra in ("-wal", "-shm"):
        Path(str(store) + extra).unlink(missing_ok=True)
    command = [sys.executable, str(variant.root / "benchmarks" / "bench_store.py"), "--write", variant.backend,
               str(store), str(count), str(sample_file)]
    if variant.batch > 1:
        command.append(str(variant.batch))
    result = subprocess.run(command, capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(variant.root)})
    written = json.loads(result.stdout.strip().splitlines()[-1])
    written["mb"] = store.stat().st_size / 1e6
    return written


def run(workdir: Path, count: int, variants: list[Variant], sample_size: int, jobs: int, skip: set[str],
        repeat: int) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    sample(workdir, sample_size, jobs)
    sample_file = workdir / f"sample-{sample_size}.pickle"
    stores = {v.label: workdir / f"graph-{count}-{v.label}.{'json' if v.backend == 'json' else 'sqlite'}"
              for v in variants}
    written = {}
    for v in variants:
        written[v.label] = write_store(v, stores[v.label], count, sample_file)
        w = written[v.label]
        print(f"{v.label}: wrote {count} documents in {w['seconds']:.1f} s, peak {w['peak_mb']:.0f} MB, "
              f"file {w['mb']:.0f} MB", flush=True)
    sqlite_store = next(stores[v.label] for v in variants if v.backend == "sqlite")
    names = pick_actors(sqlite_store)
    print(f"asking about: {names}", flush=True)
    times: dict[str, dict[str, list[float]]] = {}
    peaks: dict[str, dict[str, float]] = {}
    tmp = tempfile.mkdtemp()
    for label, args in queries(names):
        command_name = args[0]
        if command_name in skip:
            continue
        rounds = 1 if command_name in WHOLE_GRAPH else repeat
        for _ in range(rounds):
            for v in variants:
                if v.batch > 1 or (command_name == "search" and v.backend == "json"):
                    continue  # a batch-written store is the same store: its writing is what is timed
                command = [sys.executable, str(v.root / "samverkan.py"), *[a.replace("{tmp}", tmp) for a in args],
                           "--store", str(stores[v.label])]
                wall, peak = measure(command, v.root)
                times.setdefault(label, {}).setdefault(v.label, []).append(wall)
                peaks.setdefault(label, {})[v.label] = max(peak, peaks.get(label, {}).get(v.label, 0.0))
                print(f"  {v.label:<8} {label:<20} {wall:7.2f} s {peak:7.0f} MB", flush=True)
    print_table(count, variants, written, times, peaks)


def print_table(count: int, variants: list[Variant], written: dict, times: dict, peaks: dict) -> None:
    """Markdown: per variant the minimum and median seconds (of the repeats) and the peak MB."""
    print(f"\n{count} documents (seconds: minimum / median of the runs; MB: peak RSS)")
    print("| | " + " | ".join(f"{v.label} s | {v.label} MB" for v in variants) + " |")
    print("|---" * (1 + 2 * len(variants)) + "|")
    print("| write (records given) | " + " | ".join(
        f"{written[v.label]['seconds']:.1f} | {written[v.label]['peak_mb']:.0f}" for v in variants) + " |")
    print("| file size MB | " + " | ".join(f"{written[v.label]['mb']:.0f} | " for v in variants) + " |")
    for label, cells in times.items():
        row = []
        for v in variants:
            if v.label not in cells:
                row.append("– | –")
                continue
            runs = cells[v.label]
            wall = f"{min(runs):.2f}" if len(runs) == 1 else f"{min(runs):.2f} / {statistics.median(runs):.2f}"
            if any(t == float("inf") for t in runs):
                wall = f"> {LIMIT:.0f}"
            row.append(f"{wall} | {peaks[label][v.label]:.0f}")
        print(f"| {label} | " + " | ".join(row) + " |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--write":
        write(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]),
              int(sys.argv[6]) if len(sys.argv) > 6 else 1)
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--before", type=Path, help="a checkout of the code before the change (git worktree)")
    parser.add_argument("--json", action="store_true", help="also the JSON store (this code)")
    parser.add_argument("--batch", type=int, default=0, help="also write in transactions of this many documents")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each targeted command per variant")
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip", nargs="*", default=[], help="commands not to time (e.g. view)")
    args = parser.parse_args()
    variants = ([Variant("before", args.before.resolve(), "sqlite")] if args.before else []) + \
        [Variant("after", ROOT, "sqlite")] + ([Variant("json", ROOT, "json")] if args.json else [])
    if args.batch > 1:
        variants.append(Variant(f"batch{args.batch}", ROOT, "sqlite", args.batch))
    run(args.workdir, args.documents, variants, args.sample, args.jobs, set(args.skip), args.repeat)


if __name__ == "__main__":
    main()
