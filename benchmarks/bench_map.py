"""How fast a large map is drawn and becomes interactive in headless Chromium.

Run: python benchmarks/bench_map.py [nodes] [edges]
Needs Debian's chromium and the playwright package (no browser download).
The target (issue 5) is a 2,000-node graph drawn and interactive within 3 s.
"""

from __future__ import annotations

import random
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


def synthetic(nodes: int, edges: int, seed: int = 1) -> MemoryStore:
    rng = random.Random(seed)
    text = "bench"
    doc = Document(id=document_id(text), source="bench/dokument.txt", title="Bench")
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


def main(nodes: int = 2000, edges: int = 4000) -> None:
    from playwright.sync_api import sync_playwright

    store = synthetic(nodes, edges)
    out = Path(tempfile.mkdtemp()) / "karta.html"
    started = time.perf_counter()
    render(store.to_networkx(), {d.id: d.source for d in store.documents()}, out)
    print(f"render (layout + HTML): {time.perf_counter() - started:.2f} s, {out.stat().st_size / 1e6:.1f} MB, "
          f"{nodes} nodes, {edges} relations")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for attempt in range(3):
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            started = time.perf_counter()
            page.goto(out.as_uri())
            page.wait_for_function("document.body.getAttribute('data-ready') === 'true'", timeout=60000)
            drawn = time.perf_counter() - started
            page.fill("#sv-search", "Aktör 1500")
            clicked = time.perf_counter()
            page.press("#sv-search", "Enter")
            page.wait_for_function("document.body.getAttribute('data-focused') === 'aktor-1500'")
            page.evaluate("new Promise(r => requestAnimationFrame(() => r()))")
            answered = time.perf_counter() - clicked
            print(f"run {attempt + 1}: drawn in {drawn:.2f} s; search + focus answered in {answered:.2f} s; "
                  f"interactive after {drawn + answered:.2f} s")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
