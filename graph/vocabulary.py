"""The vocabulary of the records: kinds of actor, relation types, statuses, document types.

Plain enums without pydantic, so that the command line can name them in its options (and
answer --help) without importing the record models; graph.model re-exports them.
"""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    """Kinds of node; the same vocabulary as the gold format."""

    municipality = "municipality"
    board = "board"
    administration = "administration"
    agency = "agency"
    police_unit = "police_unit"
    region = "region"
    company = "company"
    ngo = "ngo"
    party = "party"
    person = "person"
    project = "project"
    programme = "programme"
    agreement = "agreement"
    group = "group"
    area = "area"


class RelationType(str, Enum):
    COLLABORATES_WITH = "COLLABORATES_WITH"
    PARTY_TO = "PARTY_TO"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    CO_LOCATED_WITH = "CO_LOCATED_WITH"
    PART_OF = "PART_OF"
    OPERATES_IN = "OPERATES_IN"
    AUTHORED = "AUTHORED"
    REFERRED_TO = "REFERRED_TO"
    RESPONDED_TO = "RESPONDED_TO"
    PROPOSED_BY = "PROPOSED_BY"
    HOLDS_ROLE = "HOLDS_ROLE"


#: Relation types that express cooperation (as opposed to structure such as PART_OF).
COOPERATION_TYPES = frozenset(
    {
        RelationType.COLLABORATES_WITH,
        RelationType.PARTY_TO,
        RelationType.PARTICIPATES_IN,
        RelationType.CO_LOCATED_WITH,
    }
)

#: Types whose direction carries no meaning; their ends are stored in sorted order.
SYMMETRIC_TYPES = frozenset({RelationType.COLLABORATES_WITH, RelationType.CO_LOCATED_WITH})


class Status(str, Enum):
    existing = "existing"
    planned = "planned"
    proposed = "proposed"
    rejected = "rejected"
    ended = "ended"
    unknown = "unknown"


class DocumentType(str, Enum):
    utlatande = "utlåtande"
    tjansteutlatande = "tjänsteutlåtande"
    motion = "motion"
    remissvar = "remissvar"
    protokoll = "protokoll"
    overenskommelse = "överenskommelse"
    other = "other"


# --- The Swedish words a user may type for a kind or a status ------------------------------
# Data in graph/data/words.json, read with the standard library only: the command line
# checks --kind and --status while it parses its arguments, before any heavy import.


def _fold_word(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words() -> dict:
    global _WORDS
    if _WORDS is None:
        import json
        from pathlib import Path

        with (Path(__file__).with_name("data") / "words.json").open(encoding="utf-8") as fh:
            _WORDS = json.load(fh)
    return _WORDS


_WORDS = None


def swedish_words(enum: type[Enum]) -> dict[str, list[str]]:
    """code -> the Swedish words for it (the first one is the word the tables print)."""
    return _words()["kinds" if enum is Kind else "statuses"]


def parse_choice(enum: type[Enum], value) -> Enum:
    """A Kind or Status from its English code or one of its Swedish words, in any case and
    with or without diacritics ('befintlig', 'Kommun', 'nämnd', 'polis', 'foreslagen').
    Raises ValueError with a Swedish message listing the accepted words."""
    if isinstance(value, enum):
        return value
    folded = _fold_word(str(value))
    for member in enum:
        if folded == _fold_word(member.value) or folded in {_fold_word(w) for w in swedish_words(enum)[member.value]}:
            return member
    raise ValueError(f"'{value}' är inte ett av: {choice_list(enum)}.")


def choice_list(enum: type[Enum]) -> str:
    """The printed words and codes: 'befintlig (existing), planerad (planned), ...'."""
    words = swedish_words(enum)
    return ", ".join(f"{words[m.value][0]} ({m.value})" for m in enum)


def parse_kind(value) -> Kind:
    return parse_choice(Kind, value)


def parse_status(value) -> Status:
    return parse_choice(Status, value)
