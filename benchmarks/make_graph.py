"""Generate a large synthetic graph store (10,000+ relations) for query benchmarks.

Run: python benchmarks/make_graph.py OUT.json [--relations 12000] [--seed 1]
Actors are the real bodies of the gazetteer; agreements and projects are invented,
each tie has one or two quotes in made-up documents.
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.memory import MemoryStore  # noqa: E402
from graph.model import (  # noqa: E402
    Document, Entity, Evidence, Extraction, Kind, RelationType, Status, document_id, make_relation, slug,
)
from loaders.extraction.gazetteer import gazetteer  # noqa: E402

STATUSES = [Status.existing] * 6 + [Status.planned, Status.proposed, Status.rejected, Status.ended]
ACTOR_KINDS = {Kind.municipality, Kind.agency, Kind.police_unit, Kind.region, Kind.board, Kind.administration, Kind.ngo}


def build(relations: int, seed: int) -> list[Extraction]:
    rng = random.Random(seed)
    actors = [Entity(id=slug(b.name), name=b.name, kind=b.kind, aliases=list(b.aliases))
              for b in gazetteer().bodies.values() if b.kind in ACTOR_KINDS]
    extractions: list[Extraction] = []
    made = 0
    doc_no = 0
    while made < relations:
        doc_no += 1
        text = f"Syntetiskt dokument {doc_no}"
        doc = Document(id=document_id(text), source=f"synthetic/{doc_no:05d}.txt", title=text, length=5000)
        region = rng.sample(actors, 25)  # documents talk about a neighbourhood of bodies
        entities: dict[str, Entity] = {}
        rels = []

        def quote(sentence: str, n: int) -> list[Evidence]:
            return [Evidence(document=doc.id, section="Ärendet", sentence=sentence, start=n * 100,
                             end=n * 100 + len(sentence), rule="synthetic")]

        for k in range(3):
            kind = rng.choice([Kind.agreement, Kind.project, Kind.group])
            parties = rng.sample(region, rng.randint(2, 5))
            name = f"{kind.value.capitalize()} {doc_no}-{k} " + " och ".join(p.name for p in parties[:2])
            vehicle = Entity(id=slug(name), name=name, kind=kind)
            entities[vehicle.id] = vehicle
            status = rng.choice(STATUSES)
            member_type = RelationType.PARTY_TO if kind is Kind.agreement else RelationType.PARTICIPATES_IN
            sentence = f"{', '.join(p.name for p in parties)} ingick {name}."
            for p in parties:
                entities[p.id] = p
                rels.append(make_relation(p.id, vehicle.id, member_type, status, quote(sentence, k)))
            for a, b in combinations(parties, 2):
                rels.append(make_relation(a.id, b.id, RelationType.COLLABORATES_WITH, status, quote(sentence, k),
                                          via=vehicle.id, since=str(rng.randint(2010, 2024))))
        for n in range(30):
            a, b = rng.sample(region, 2)
            entities[a.id], entities[b.id] = a, b
            rels.append(make_relation(a.id, b.id, RelationType.COLLABORATES_WITH, rng.choice(STATUSES),
                                      quote(f"{a.name} samverkar med {b.name}.", 10 + n)))
        for e in entities.values():
            e.evidence = quote(e.name, 99)
        unique = {r.id: r for r in rels}
        made += len(unique)
        extractions.append(Extraction(document=doc, entities=[e.model_copy(deep=True) for e in entities.values()],
                                      relations=list(unique.values())))
    return extractions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--relations", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    store = MemoryStore(args.out)
    for extraction in build(args.relations, args.seed):
        store.add(extraction)
    store.save()
    stats = store.stats()
    print(f"{args.out}: {stats.documents} documents, {stats.entities} entities, {stats.relations} relations, "
          f"{stats.evidence} quotes")


if __name__ == "__main__":
    main()
