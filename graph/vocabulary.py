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
