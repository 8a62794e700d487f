"""'Parterna' in a document that is an agreement: the agreement's own parties, acting together.

An avsiktsförklaring or a samverkansavtal names its parties once (in its first sentence, a
"Parter" list or its signatures) and afterwards writes "parterna": "Sedan 2023 driver parterna
tillsammans med Norrby kommun projektet X". Such a sentence ties the parties with the other
body it names, and all of them with the effort it names. Only sentences that name another
acting body are read: the parties' ties with one another are the agreement's own already.
"""

from __future__ import annotations

import re
from itertools import product
from typing import Optional

from graph.model import RelationType, slug
from loaders.extraction.clauses import clause_around
from loaders.extraction.relate import VEHICLE_KINDS, Fact, Relater, has, sentence_status
from loaders.language.spans import Sentence

#: "parterna" and "parternas" as whole words; "parter" alone is indefinite and names none.
_PARTIES = re.compile(r"\bparterna\b", re.IGNORECASE)


def parties_facts(facts: list[Fact], sentences: list[Sentence], relater: Relater) -> list[Fact]:
    """Ties of the agreement's parties, told as "parterna", with the other bodies and the
    efforts of the sentence that tells it."""
    if "parterna" not in relater.lowered:  # most documents: a substring scan settles it
        return []
    agreement = _document_agreement(relater)
    if agreement is None:
        return []
    parties = list(dict.fromkeys(f.source for f in facts
                                 if f.type is RelationType.PARTY_TO and f.target == agreement))
    if len(parties) < 2:
        return []
    out: list[Fact] = []
    for s in sentences:
        found = _PARTIES.search(s.text)
        if found is None or not _tells_of_cooperation(s.text.lower()):
            continue
        lo, hi = clause_around(s.text.lower(), found.start())  # "…, som delas mellan X och Y": not the parties'
        inside = relater.mentions_in(s.start + lo, s.start + hi)
        # a name only the tagger found is too unsure a partner here ("i Navestad, Hageby och …")
        others = list(dict.fromkeys(r.actor for r in inside if relater.acts(r) and r.actor not in parties
                                    and not r.mention.rule.startswith("language:")))
        efforts = list(dict.fromkeys(r.actor for r in inside if relater.actors[r.actor].kind in VEHICLE_KINDS))
        if not others:
            continue
        status = sentence_status(s.text, relater.motion_rejected)
        via = efforts[0] if len(efforts) == 1 else None
        for party, other in product(parties, others):
            out.append(Fact(party, other, RelationType.COLLABORATES_WITH, status, s, "relate:parties", via=via))
        for member, effort in product([*parties, *others], efforts):
            out.append(Fact(member, effort, RelationType.PARTICIPATES_IN, status, s, "relate:parties"))
    return out


def _document_agreement(relater: Relater) -> Optional[str]:
    """The agreement the document is, when its title names one."""
    if not relater.title:
        return None
    actor = slug(relater.title)
    return actor if actor in relater.actors else None


def _tells_of_cooperation(lowered: str) -> bool:
    """A cue of cooperation or of taking part ("tillsammans med", "driver", "deltar i")."""
    return has("collaboration", lowered) or has("participation", lowered)
