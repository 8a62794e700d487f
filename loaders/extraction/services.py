"""'Norrby kommun köper lönetjänster av Lunnaby kommun': cooperation by agreement between public bodies.

Swedish municipalities, regions and agencies cooperate by one buying a service of another
(avtalssamverkan: one body performs a task for another under an agreement). The sentence
names the buyer before the verb and the seller after a preposition ("köper X av B", "säljer
X till B", "utför X åt B"), with the service between them. Only a tie between two public
bodies is read so: a company that sells a service to a municipality is a supplier, not a
partner. Verbs, services and prepositions are data (cues.yaml: service_agreement).
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.model import Kind, RelationType
from loaders.extraction.clauses import denial_words
from loaders.data_files import load
from loaders.language.phrases import alternation
from loaders.extraction.relate import Fact, Relater, coordinated, sentence_status
from loaders.language.spans import Sentence

#: Bodies that cooperate by selling each other services; the others buy and sell.
PUBLIC_KINDS = frozenset({Kind.municipality, Kind.region, Kind.agency, Kind.police_unit, Kind.administration,
                          Kind.board})
#: Characters a service phrase may take between the verb and the preposition.
SERVICE_CHARS = 60
#: How far after the buyer its verb may stand ("har sedan 2019 köpt").
VERB_REACH = 30


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    cues = load("cues")["service_agreement"]
    verbs, services, prepositions = (alternation(cues[key]) for key in ("verbs", "services", "prepositions"))
    return re.compile(rf"\b{verbs}\b[^.;]{{0,{SERVICE_CHARS}}}?{services}[a-zåäö]*\s+{prepositions}\s+$")


def service_facts(sents: list[Sentence], relater: Relater) -> list[Fact]:
    """A COLLABORATES_WITH fact for each sentence in which one public body buys a service of
    another, or sells or performs one for it (see the module's docstring)."""
    out = []
    for s in sents:
        inside = relater.mentions_in(s.start, s.end)
        if len(inside) < 2:
            continue
        lowered = s.text.lower()
        if not _verbs().search(lowered):
            continue
        for i, (before, after) in enumerate(zip(inside, inside[1:])):
            gap = lowered[before.mention.end - s.start : after.mention.start - s.start]
            found = _pattern().search(gap)
            if not found or found.start() > VERB_REACH or denial_words() & set(gap.split()):
                continue  # "köper inte längre …"
            buyer = relater.actors[before.actor]
            status = sentence_status(s.text, False)
            for partner in coordinated(inside[i + 1:], s.text, s.start):
                seller = relater.actors[partner.actor]
                if buyer.id != seller.id and buyer.kind in PUBLIC_KINDS and seller.kind in PUBLIC_KINDS:
                    out.append(Fact(buyer.id, seller.id, RelationType.COLLABORATES_WITH, status, s, "relate:service"))
    return out


@lru_cache(maxsize=1)
def _verbs() -> re.Pattern[str]:
    return re.compile(rf"\b{alternation(load('cues')['service_agreement']['verbs'])}\b")
