"""How fast a map is written and becomes usable in headless Chromium.

Run: python benchmarks/bench_map.py [nodes] [edges]        (a synthetic graph)
     python benchmarks/bench_map.py --store PATH             (a store, drawn as `view` draws it)
Needs Debian's chromium and the playwright package (no browser download).

The target (issues 5 and the map's speed issue) is a usable map within 3 s of the command on a
store of 2,000 documents. Reported: the CPU (user + sys) and wall time of writing the page, its
size, and in the browser the time until the map is drawn, a search focuses an actor, and a
filter is applied. On a shared machine compare CPU time, old code against new in one run.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.memory import MemoryStore  # noqa: E402
from graph.model import (  # noqa: E402
    Document, Entity, Evidence, Extraction, Kind, RelationType, Status, document_id, make_relation, slug,
)
from viz.render import render  # noqa: E402

KINDS = [Kind.municipality, Kind.agency, Kind.board, Kind.administration, Kind.police_unit, Kind.ngo,
         Kind.project, Kind.agreement, Kind.group]
STATUSES = [Status.existing] * 5 + [Status.planned, Status.proposed, Status.rejected]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def synthetic(nodes: int, edges: int, seed: int = 1) -> MemoryStore:
    rng = random.Random(seed)
    text = "bench"
    doc = Document(id=document_id(text), source="bench/dokument.txt", title="Bench", date="2021-05-01")
    entities = [Entity(id=slug(f"aktör {i}"), name=f"Aktör {i}", kind=rng.choice(KINDS)) for i in range(nodes)]
    for e in entities:
        e.evidence = [Evidence(document=doc.id, sentence=e.name, start=0, end=len(e.name), rule="bench")]
    weights = [1.0 / (i + 1) ** 0.5 for i in range(nodes)]  # a few hubs, many small actors
    relations = {}
    while len(relations) < edges:
        a, b = rng.choices(entities, weights=weights, k=2)
        if a.id == b.id:
            continue
        sentence = f"{a.name} samverkar med {b.name}."
        rel = make_relation(a.id, b.id, RelationType.COLLABORATES_WITH, rng.choice(STATUSES),
                            [Evidence(document=doc.id, sentence=sentence, start=0, end=len(sentence), rule="bench")])
        relations[rel.id] = rel
    store = MemoryStore()
    store.add(Extraction(document=doc, entities=entities, relations=list(relations.values())))
    return store


def write_synthetic(nodes: int, edges: int, out: Path) -> str:
    store = synthetic(nodes, edges)
    started = time.perf_counter()
    render(store.to_networkx(), {d.id: d.source for d in store.documents()}, out,
           dates={d.id: d.date for d in store.documents() if d.date}, actors=store.entities(evidence=False))
    return f"render: {time.perf_counter() - started:.2f} s wall, {nodes} nodes, {edges} relations"


def write_store(store: Path, out: Path) -> str:
    """`samverkan view` as a user runs it, in its own process: CPU and wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "samverkan.py"), "view", "--store", str(store), "-o", str(out)],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return f"view: {cpu:.2f} s CPU (user+sys), {wall:.2f} s wall"


def browse(out: Path, runs: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for attempt in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            started = time.perf_counter()
            page.goto(out.as_uri())
            page.wait_for_function("document.body.getAttribute('data-ready') === 'true'", timeout=120000)
            drawn = time.perf_counter() - started
            name = page.evaluate("(() => { const d = JSON.parse(document.getElementById('samverkan-data').textContent);"
                                 " return d.nodes[Math.floor(d.nodes.length / 2)][1]; })()")
            page.fill("#sv-search", name)
            clicked = time.perf_counter()
            page.press("#sv-search", "Enter")
            page.wait_for_function("document.body.hasAttribute('data-focused')")
            page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
            answered = time.perf_counter() - clicked
            filtered = page.evaluate("""() => { const t = performance.now();
                document.getElementById('sv-min-sources').value = '2'; samverkan.applyFilters();
                return (performance.now() - t) / 1000; }""")
            print(f"run {attempt + 1}: drawn in {drawn:.2f} s; search + focus {answered:.2f} s; "
                  f"usable after {drawn + answered:.2f} s; a filter of 2+ sources {filtered:.2f} s")
            page.close()
        browser.close()


def main(argv: list[str]) -> None:
    out = Path(tempfile.mkdtemp()) / "karta.html"
    if argv[:1] == ["--store"]:
        print(write_store(Path(argv[1]), out))
    else:
        sizes = [int(a) for a in argv[:2]] or [2000, 4000]
        print(write_synthetic(*sizes, out=out))
    print(f"page: {out.stat().st_size / 1e6:.1f} MB")
    browse(out)


if __name__ == "__main__":
    main(sys.argv[1:])
