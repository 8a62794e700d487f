"""The known bodies of bodies.yaml, with every inflected surface form they appear in.

Swedish inflects names: "Kriminalvårdens", "socialnämnden", "Skärholmens stadsdelsnämnds".
Rather than lemmatising text (spaCy's lookup tables miss most compounds), the
gazetteer inflects the names once, from the suffix classes in morphology.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from graph.model import Kind, fold
from loaders.data_files import load


@dataclass(frozen=True)
class Body:
    name: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    parent: Optional[str] = None
    municipal: bool = False
    administration: Optional[str] = None
    board: Optional[str] = None
    place: Optional[str] = None
    abbreviation: Optional[str] = None


@dataclass
class Gazetteer:
    bodies: dict[str, Body] = field(default_factory=dict)
    #: folded surface form (any inflection) -> canonical name
    surface: dict[str, str] = field(default_factory=dict)
    #: folded name-like keys (names, aliases, "<place> <head>") -> canonical name
    names: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> Optional[Body]:
        key = self.names.get(fold(name)) or self.surface.get(fold(name))
        return self.bodies.get(key) if key else None


_SECTION_KINDS = {
    "municipalities": Kind.municipality,
    "regions": Kind.region,
    "police": Kind.police_unit,
    "agencies": Kind.agency,
    "municipal": Kind.board,
    "local": Kind.board,
    "programmes": Kind.programme,
    "areas": Kind.area,
    "parties": Kind.party,
}


@lru_cache(maxsize=1)
def noun_classes() -> list[list[str]]:
    classes = load("morphology")["noun_classes"]
    return sorted(classes, key=lambda forms: -max(len(f) for f in forms))


def inflections(name: str) -> set[str]:
    """Singular forms of a name: its head word in every listed case and definiteness."""
    forms = {name}
    head_start = name.rfind(" ") + 1
    stem_text, head = name[:head_start], name[head_start:]
    lower = head.lower()
    if head.isupper():
        return {name, name + ":s", name + "s"}
    for cls in noun_classes():
        for index, form in sorted(enumerate(cls), key=lambda pair: -len(pair[1])):
            if lower.endswith(form):
                root = head[: len(head) - len(form)]
                # Keep definiteness: "Kriminalvården" is never written "Kriminalvård".
                same = cls[2:] if index >= 2 else cls[:2]
                for other in same:
                    forms.add(stem_text + root + other)
                return forms
    if not name.endswith(("s", "x", "z")):
        forms.add(name + "s")
    return forms


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    data = load("bodies")
    gaz = Gazetteer()
    for section, default_kind in _SECTION_KINDS.items():
        for raw in data.get(section, []) or []:
            kind = Kind(raw.get("kind", default_kind.value))
            if section == "police" and "kind" not in raw:
                kind = Kind.police_unit
            body = Body(
                name=raw["name"],
                kind=kind,
                aliases=tuple(raw.get("aliases", [])),
                parent=raw.get("parent"),
                municipal=section == "municipal",
                administration=raw.get("administration"),
                board=raw.get("board"),
                place=raw.get("place"),
                abbreviation=raw.get("abbreviation"),
            )
            _add(gaz, body)
    for body in municipal_bodies():
        if body.name not in gaz.bodies:
            _add(gaz, body)
    return gaz


def genitive(place: str) -> str:
    """Swedish genitive of a place name: 'Lund' -> 'Lunds', 'Uppsala' -> 'Uppsala', 'Borås' -> 'Borås'."""
    return place if place[-1].lower() in "aeiouyåäösxz" else place + "s"


def municipal_bodies() -> list[Body]:
    """Every municipality, and every county's länsstyrelse, from municipalities.yaml."""
    data = load("municipalities")
    official: dict[str, str] = data.get("official", {})
    out: list[Body] = []
    for county, places in data["counties"].items():
        out.append(Body(name=f"Länsstyrelsen i {county}", kind=Kind.agency,
                        aliases=(f"Länsstyrelsen {county.removesuffix(' län')}",)))
        for place in places:
            regular = f"{genitive(place)} kommun"
            name = official.get(place, regular)
            if name.startswith("Region "):
                continue  # Gotland is a region that is also a municipality; it is listed as a region.
            aliases = tuple(a for a in {regular, f"{place} kommun"} if a != name)
            out.append(Body(name=name, kind=Kind.municipality, aliases=aliases, place=place))
    return out


def _add(gaz: Gazetteer, body: Body) -> None:
    gaz.bodies[body.name] = body
    for label in (body.name, *body.aliases):
        gaz.names.setdefault(fold(label), body.name)
        for form in inflections(label):
            gaz.surface.setdefault(fold(form), body.name)
    if body.place and " " in body.name:
        head = body.name.rsplit(" ", 1)[1]
        gaz.names.setdefault(fold(f"{body.place} {head}"), body.name)


def _with_genitives(names) -> dict[str, str]:
    """Each name, as written and in its plain genitive ("Nordosts", "Botkyrkas": not the
    genitive of "Botkyrka kommun"), to the name."""
    out: dict[str, str] = {}
    for name in names:
        out[name] = name
        out.setdefault(name if name.endswith(("s", "x", "z")) else name + "s", name)
    return out


@lru_cache(maxsize=1)
def municipality_by_place() -> dict[str, str]:
    """Each municipality's place name, as written and in the genitive, to the municipality's
    name ('Danderyd' and 'Danderyds' -> 'Danderyds kommun', 'Borås' -> 'Borås Stad')."""
    places = {b.place: b.name for b in municipal_bodies() if b.place}
    return {form: places[place] for form, place in _with_genitives(places).items()}


@lru_cache(maxsize=1)
def places_of_municipality() -> dict[str, tuple[str, ...]]:
    """Each municipality's name to its place's written forms ('Danderyds kommun' -> ('Danderyd', 'Danderyds'))."""
    out: dict[str, list[str]] = {}
    for form, name in municipality_by_place().items():
        out.setdefault(name, []).append(form)
    return {name: tuple(forms) for name, forms in out.items()}


@lru_cache(maxsize=1)
def district_names() -> dict[str, str]:
    """The districts of patterns.yaml, as written and in the genitive, to their names."""
    return _with_genitives(load("patterns")["district_names"])


def district_of(word: str) -> Optional[str]:
    return district_names().get(word)


@lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """The municipalities' place names, as written and in the genitive, to the names."""
    return _with_genitives(p for places in load("municipalities")["counties"].values() for p in places)


@lru_cache(maxsize=20000)
def split_district(name: str) -> tuple[str, Optional[str]]:
    """'Socialnämnden Nordost' -> ('Socialnämnden', 'Nordost'): the body every municipality has, and where."""
    head, _, last = name.rpartition(" ")
    if head and " " not in head and district_names().get(last) == last:
        return head, last
    return name, None
