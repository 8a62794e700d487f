"""Named efforts that Swedish introduces by apposition, with no word like "projektet" before them.

A report names a local effort once, beside the common noun that says what it is:
- the name after the noun phrase, between commas: "ett lokalt jobbspår mot lager och logistik,
  Logistikspåret, som ..." or "ett eget projekt med gårdsvärdar, Gårdslyftet, men ...";
- the name first, the noun phrase after it: "Språnget, en arbetsträning för unga vuxna, som ...",
  at the start of a sentence or a list item, or after "i"/"inom" ("samverkar … i Kontrollteam
  Norr, ett gemensamt team som ...");
- the name first, defined by a copula: "Trygga vägen var ett samverkansprojekt mellan ..." or
  "Stegvis Norrby är ett projekt mellan ...", at the start of a sentence or a list item. The
  name may have lowercase words after its first ("Trygga vägen"), so the definition must be
  of cooperation or of a project: "mellan" after the noun phrase, or a head that is itself a
  cooperation ("samverkansprojekt") or a project ("Närvarolyftet Norrby är ett treårigt projekt"); a single word must not be a definite noun ("Projektet är ett ...",
  "Nätverket är ett forum ...": a word pointing back, not a name).
The head of the noun phrase (a compound's last part: "jobbspår", "arbetsträning") says that the
name is an effort and of which kind; the heads are data (cues.yaml: apposition_heads). The name is
one or two capitalised words that are no place and no function word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.sv.stop_words import STOP_WORDS

from graph.model import Kind
from loaders.data_files import load
from loaders.extraction.gazetteer import place_names
from loaders.language.spans import Mention

#: One or two capitalised words, a hyphenated part allowed ("Stegvis-poolen").
_NAME = r"([A-ZÅÄÖ][a-zåäöé]+(?:-[a-zåäöé]+)?(?: [A-ZÅÄÖ][a-zåäöé]+)?)"
#: Words of a noun phrase before and after its head (adjectives, a short prepositional phrase).
_BEFORE_HEAD = r"(?:[a-zåäöé-]+ ){0,3}?"
_AFTER_HEAD = r"(?: [a-zåäöé]+){0,6}?"


@lru_cache(maxsize=1)
def _heads() -> dict[str, Kind]:
    return {head: Kind(kind) for head, kind in load("cues")["apposition_heads"].items()}


#: Where an apposition may stand: a capitalised name between a comma and a comma, a dash or
#: "som" ("…, Logistikspåret, som"), or a name followed by ", en"/", ett" ("Språnget, en …").
#: Found first, cheaply; the noun phrase around each is checked after.
_NAME_AFTER_COMMA = re.compile(rf", {_NAME}(?=,| –| som\b)")
_NAME_BEFORE_ARTICLE = re.compile(rf"{_NAME}, (?:en|ett) ")
#: A name that opens a sentence and a copula with an indefinite article after it: "Trygga vägen
#: var ett ", "Stegvis Norrby (bildades 2021 och) är en ". One to three words, the first capitalised.
_DEFINED_NAME = re.compile(
    r"([A-ZÅÄÖ][a-zåäöé]+(?:-[A-Za-zåäöé]+)?(?: [A-ZÅÄÖa-zåäöé][a-zåäöé]+(?:-[a-zåäöé]+)?){0,2})"
    r" (?:(?:bildades|startade|startades|inleddes) (?:[a-zåäö]+ )?\d{4} och )?(?:är|var) (?:ett|en) ")
#: After a defining noun phrase: the parties it is between.
_BETWEEN = re.compile(r"[^.]{0,40}?\bmellan ")
#: Heads that are cooperation themselves ("samverkansprojekt", "samarbetsnätverk").
_COOPERATIVE_HEAD = re.compile(r"(?:samverkans|samarbets|samarbete)")
#: A single word ending so is a definite noun, not a name ("Projektet", "Satsningen").
_DEFINITE = ("et", "en", "an", "na")
#: Prepositions before a name that the next noun phrase explains: "samverkar … i Kontrollteam
#: Norr, ett gemensamt team som …".
_WITHIN = (" i ", " inom ")
#: How far before an apposition its noun phrase may begin.
NP_CHARS = 120


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The noun phrase that ends right before a name ("ett lokalt jobbspår mot handel"), and the
    one that starts right after it ("en arbetsträning")."""
    heads = "|".join(sorted(_heads(), key=len, reverse=True))
    head = rf"([a-zåäö]*(?:{heads}))"
    before_name = re.compile(rf"\b(?:ett|en) {_BEFORE_HEAD}{head}{_AFTER_HEAD}$")
    after_name = re.compile(rf"{_BEFORE_HEAD}{head}\b")
    return before_name, after_name


def apposition_mentions(text: str) -> list[Mention]:
    """The efforts the text names by apposition (see the module's docstring)."""
    before_name, after_name = _patterns()
    out = []
    for m in _NAME_AFTER_COMMA.finditer(text) if ", " in text else ():
        phrase = before_name.search(text, max(0, m.start() - NP_CHARS), m.start())
        if phrase and not _no_name(m.group(1)):
            out.append(_mention(m.start(1), m.end(1), m.group(1), phrase.group(1)))
    for m in _NAME_BEFORE_ARTICLE.finditer(text) if ", " in text else ():
        if not (_opens(text, m.start()) or text.endswith(_WITHIN, 0, m.start())):
            continue
        phrase = after_name.match(text, m.end())
        if phrase and not _no_name(m.group(1)):
            out.append(_mention(m.start(1), m.end(1), m.group(1), phrase.group(1)))
    for m in _DEFINED_NAME.finditer(text):
        name = m.group(1)
        if not _opens(text, m.start()) or _no_name(name) or _not_a_name(name):
            continue
        phrase = after_name.match(text, m.end())
        if phrase and (_COOPERATIVE_HEAD.match(phrase.group(1)) or phrase.group(1).endswith("projekt")
                       or _BETWEEN.match(text, phrase.end())):
            out.append(_mention(m.start(1), m.end(1), name, phrase.group(1)))
    return out


def _not_a_name(name: str) -> bool:
    """A defined name with a function word in it ("Syftet med"), or one word that is a definite noun."""
    words = name.split(" ")
    return any(w.lower() in STOP_WORDS for w in words) or (len(words) == 1 and name.endswith(_DEFINITE))


def _opens(text: str, at: int) -> bool:
    """Does a name at `at` open a sentence or a list item ("Språnget, en …" but not "… i Norrby, en ort")?"""
    before = text[max(0, at - 3) : at]
    return at == 0 or before.endswith(("\n", ". ", "! ", "? ", ": ", "- ", "– ", "• ", "* "))


def _mention(start: int, end: int, name: str, head: str) -> Mention:
    return Mention(start, end, name, _kind_of(head), "apposition", name=name)


def _no_name(name: str) -> bool:
    first = name.split(" ")[0]
    return first.lower() in STOP_WORDS or name in place_names() or first in place_names()


def _kind_of(word: str) -> Kind:
    heads = _heads()
    return next(heads[h] for h in sorted(heads, key=len, reverse=True) if word.endswith(h))
