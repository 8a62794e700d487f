"""Names written in sentence case: "insatsen Nästa steg Öst", "IOP Trygg kust".

Swedish capitalises only the first word of most names of projects, insatser and networks, so
the capitalised words alone cut them short ("Nästa", "Trygg"). What marks the name is that
the text repeats it word for word: the words after a word that introduces an effort
("insatsen", "projektet", patterns.yaml: sentence_case_triggers) form its name up to where the
document stops repeating them. The longest run of up to MAX_WORDS words that occurs at least
twice, runs past no verb of the cue vocabulary ("Stegvis samverkar") and does not end in a
function word, is taken; every occurrence of it is a mention.

Occurrences are counted among the places where the run's first word stands, found once per
word; runs of capitalised words only are left to the readers that already find them whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.sv.stop_words import STOP_WORDS

from graph.model import Kind
from loaders.data_files import load
from loaders.language.spans import Mention
from loaders.reading.normalize import NormalText

#: Words a sentence-case name may have at most.
MAX_WORDS = 4

_WORDS_AFTER = re.compile(r"[A-ZÅÄÖ][\wåäöé-]*(?: [a-zåäöéA-ZÅÄÖ][\wåäöé-]*){0,%d}" % (MAX_WORDS - 1))


@lru_cache(maxsize=1)
def _triggers() -> dict[str, Kind]:
    return {word.lower(): Kind(kind) for word, kind in load("patterns")["sentence_case_triggers"].items()}


def _triggered(text: str) -> list[tuple[str, int]]:
    """(the introducing word as written, where the words after it begin), for each introducing
    word followed by a capitalised one; found with str.find in the lower-cased text (a regex
    that ignores case was a tenth of this module's reading of a page)."""
    lowered = text.lower()
    out = []
    for word in _triggers():
        at = lowered.find(word + " ")
        while at >= 0:
            after = at + len(word) + 1
            if (at == 0 or not lowered[at - 1].isalnum()) and text[after : after + 1].isupper():
                out.append((text[at : at + len(word)], after))
            at = lowered.find(word + " ", after)
    return sorted(out, key=lambda found: found[1])


@lru_cache(maxsize=1)
def cue_verbs() -> frozenset[str]:
    """Words no name runs past: the auxiliaries and the verbs of the cue vocabulary (a name is
    followed by what is said of it: "Stegvis samverkar med …", "Stegvis drivs av …"). The cue
    phrases' small words ("i", "med") may stand inside a name and are left out."""
    cues = load("cues")
    phrases = [p for status in cues["status"].values() for p in status] + cues["collaboration"] + cues["participation"]
    words = {w for phrase in phrases for w in phrase.split()} | set(load("relations")["agent_surface"])
    return frozenset(w for w in words if w not in STOP_WORDS) | _AUXILIARIES


#: Auxiliaries among spaCy's stop words: a name ends before them ("Stöd i vardagen är …").
_AUXILIARIES = frozenset({"är", "var", "har", "hade", "ska", "skall", "kommer", "blir", "blev", "kan", "får", "fick"})


def repeated_names(text: str) -> list[Mention]:
    """Every occurrence of each sentence-case name the text introduces and repeats, as a mention
    of the kind its introducing word gives; names of one word are left to the other readers."""
    kinds = _triggers()
    runs: dict[str, tuple[str, Kind]] = {}  # the words after a trigger -> (trigger, kind), each run once
    for trigger, after in _triggered(text):
        run = _WORDS_AFTER.match(text, after)
        if run is not None:
            runs.setdefault(run.group(0), (trigger, kinds[trigger.lower()]))
    # a run of capitalised words only is a name the other readers find whole ("Steget Vivalla")
    runs = {run: how for run, how in runs.items() if " " in run and not all(w[:1].isupper() for w in run.split())}
    if not runs:
        return []
    starts = _Starts(text)
    names: dict[str, Kind] = {}
    for run, (trigger, kind) in runs.items():
        name = _repeated_prefix(text, run.split(" "), starts)
        if name and trigger.isupper():  # an acronym that introduces a name is part of it: "IOP Trygg kust"
            name = f"{trigger} {name}" if len(_occurrences(text, f"{trigger} {name}", starts)) >= 2 else ""
        if name:
            names.setdefault(name, kind)
    return [Mention(at, at + len(name), name, kind, "pattern:sentence_case", name=name)
            for name, kind in names.items() for at in _occurrences(text, name, starts)]


def _repeated_prefix(text: str, words: list[str], starts: "_Starts") -> str:
    """The longest run of two or more of the words that the text has at least twice, with no
    word that ends a name inside it; "" when there is none."""
    verbs = cue_verbs()
    for n in range(1, len(words)):
        if words[n].lower() in verbs:
            words = words[:n]
            break
    for n in range(len(words), 1, -1):
        if not words[n - 1].replace("-", "").isalpha() or words[n - 1].lower() in STOP_WORDS:
            continue
        candidate = " ".join(words[:n])
        if len(_occurrences(text, candidate, starts)) >= 2:
            return candidate
    return ""


class _Starts(dict):
    """A capitalised word -> where it stands as a whole word in the text, found when first asked."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, word: str) -> list[int]:
        text, found, at = self.text, [], self.text.find(word)
        while at >= 0:
            if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "-_"):
                found.append(at)
            at = text.find(word, at + 1)
        self[word] = found
        return found


def _occurrences(text: str, phrase: str, starts: "_Starts") -> list[int]:
    """Where the phrase stands as whole words, looked for only where its first word stands."""
    end_ok = lambda at: at >= len(text) or not (text[at].isalnum() or text[at] in "-_")  # noqa: E731
    return [at for at in starts[phrase.split(" ", 1)[0]] if text.startswith(phrase, at) and end_ok(at + len(phrase))]


def headed_names(normal: NormalText) -> list[Mention]:
    """'Steget Norrby' as a heading, and under it "Insatsen drivs av …": a short heading that the
    paragraph under it opens by pointing back at with an effort's noun ("Insatsen", "Projektet",
    "Nätverket": patterns.yaml sentence_case_triggers), or in sentence case and repeated in that
    paragraph's first sentence, is that effort's name, and so is every other place the text
    writes it. Annual reports and plans list their efforts so."""
    kinds = _triggers()
    names: dict[str, Kind] = {}
    blocks = normal.blocks
    for block, below in zip(blocks, blocks[1:]):
        if block.kind != "heading" or below.kind == "heading":
            continue
        name = normal.block_text(block).strip()
        words = name.split()
        if not (2 <= len(words) <= MAX_HEADING_WORDS) or not name[:1].isupper() \
                or not name.replace(" ", "").replace("-", "").isalpha() or not any(w[:1].isupper() for w in words[1:]):
            continue  # "Pågående insatser 2026", "Avslutade insatser": a section's title, no name of one
        paragraph = normal.block_text(below).lstrip()
        opening = paragraph.split(" ", 1)[0].lower()
        if opening in kinds:
            names.setdefault(name, kinds[opening])
        elif not all(w[:1].isupper() for w in words) and name in paragraph.split(". ", 1)[0]:
            # "I Vägen fram Norrby samarbetar …" right under the heading "Vägen fram Norrby": a
            # sentence-case heading its paragraph's first sentence repeats names an effort
            names.setdefault(name, Kind.project)
    if not names:
        return []
    starts = _Starts(normal.text)
    return [Mention(at, at + len(name), name, kind, "pattern:headed_name", name=name)
            for name, kind in names.items() for at in _occurrences(normal.text, name, starts)]


#: Words a heading that names an effort may have at most.
MAX_HEADING_WORDS = 5
