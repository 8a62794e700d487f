"""Scoring extraction against a hand-made reference (samverkan-gold/1, see GOLD_FORMAT.md).

Each document is extracted alone and compared with its gold annotation: actors by
folded name, alias or fuzzy name; collaborations as unordered pairs, with and without
status. The headline is the status-aware F1 over existing rows, because a proposal
counted as existing cooperation is an error, not a near miss.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Optional

from rapidfuzz import fuzz

from graph.model import COOPERATION_TYPES, Entity, Extraction, Model, fold

GOLD_FORMAT = "samverkan-gold/1"
FUZZY_MATCH = 90


class GoldError(Exception):
    """The gold file is missing, unreadable or not samverkan-gold/1."""


class Score(Model):
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(true_positives=self.true_positives + other.true_positives,
                     predicted=self.predicted + other.predicted, gold=self.gold + other.gold)

    def summary(self) -> dict:
        return {"tp": self.true_positives, "predicted": self.predicted, "gold": self.gold,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


class DocumentScore(Model):
    document: str
    actors: Score
    actors_by_kind: dict[str, Score]
    pairs: Score
    status: Score
    existing: Score
    missed_actors: list[str] = []
    extra_actors: list[str] = []
    missed_existing: list[str] = []
    extra_existing: list[str] = []


def load_gold(path: Path) -> dict:
    """The gold file, checked and with every `{"same_as": "<file>"}` entry replaced by its twin's
    annotation (an OCR copy is scored against the clean document's gold)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: kan inte läsa referensfilen ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != GOLD_FORMAT:
        raise GoldError(f"{path}: inte en {GOLD_FORMAT}-fil")
    documents = data.get("documents")
    if not isinstance(documents, dict):
        raise GoldError(f"{path}: 'documents' saknas eller är inte ett objekt")
    resolved = {name: _resolve_same_as(path, documents, name) for name in documents}
    for name, annotation in resolved.items():
        _check_annotation(path, name, annotation)
    return {**data, "documents": resolved}


def _resolve_same_as(path: Path, documents: dict, name: str) -> dict:
    seen = [name]
    entry = documents[name]
    while isinstance(entry, dict) and "same_as" in entry:
        twin = entry["same_as"]
        if not isinstance(twin, str) or twin not in documents:
            raise GoldError(f"{path}: {name}: same_as pekar på {twin!r}, som inte finns i filen")
        if twin in seen:
            raise GoldError(f"{path}: {name}: same_as går i cirkel ({' → '.join(seen + [twin])})")
        seen.append(twin)
        entry = documents[twin]
    return entry


def _check_annotation(path: Path, name: str, annotation: object) -> None:
    """A clear message for a malformed entry, instead of a traceback while scoring."""
    where = f"{path}: {name}"
    if not isinstance(annotation, dict):
        raise GoldError(f"{where}: annoteringen är inte ett objekt")
    for key in ("actors", "collaborations"):
        if not isinstance(annotation.get(key), list):
            raise GoldError(f"{where}: '{key}' saknas eller är inte en lista")
    for i, actor in enumerate(annotation["actors"]):
        if not isinstance(actor, dict) or not isinstance(actor.get("name"), str) or not isinstance(actor.get("kind"), str):
            raise GoldError(f"{where}: aktör nr {i + 1} saknar 'name' eller 'kind'")
        if not isinstance(actor.get("aliases_in_text", []), list):
            raise GoldError(f"{where}: aktör {actor['name']!r}: 'aliases_in_text' är inte en lista")
    for i, row in enumerate(annotation["collaborations"]):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("a", "b", "status")):
            raise GoldError(f"{where}: samband nr {i + 1} saknar 'a', 'b' eller 'status'")


def _labels(entity: Entity) -> set[str]:
    return {fold(entity.name), *(fold(a) for a in entity.aliases)}


def match_actors(entities: list[Entity], gold_actors: list[dict]) -> dict[str, str]:
    """Predicted entity id -> gold actor name; one to one, exact names first, then aliases, then fuzzy."""
    candidates: list[tuple[int, float, float, str, str]] = []
    for g in gold_actors:
        gold_name = fold(g["name"])
        gold_labels = {gold_name, *(fold(a) for a in g.get("aliases_in_text", []))}
        for e in entities:
            if fold(e.name) == gold_name:
                candidates.append((0, 100.0, 100.0, e.id, g["name"]))
            elif _labels(e) & gold_labels:
                candidates.append((1, 100.0, 100.0, e.id, g["name"]))
            else:
                score = fuzz.token_set_ratio(fold(e.name), gold_name)
                if score >= FUZZY_MATCH:
                    # A name whose words are all in the other scores 100 however short it is
                    # ("Botkyrka" in a long agreement name): the whole names' likeness decides then.
                    candidates.append((2, score, fuzz.ratio(fold(e.name), gold_name), e.id, g["name"]))
    matched: dict[str, str] = {}
    used: set[str] = set()
    for _, _, _, entity_id, gold_name in sorted(candidates, key=lambda c: (c[0], -c[1], -c[2], c[3], c[4])):
        if entity_id not in matched and gold_name not in used:
            matched[entity_id] = gold_name
            used.add(gold_name)
    return matched


def score_document(name: str, extraction: Extraction, gold: dict) -> DocumentScore:
    entities = extraction.entities
    matched = match_actors(entities, gold["actors"])
    gold_kind = {g["name"]: g["kind"] for g in gold["actors"]}
    by_kind: dict[str, Score] = {}
    for kind in sorted({g["kind"] for g in gold["actors"]} | {e.kind.value for e in entities}):
        tp = sum(1 for e in entities if e.id in matched and gold_kind[matched[e.id]] == kind)
        by_kind[kind] = Score(true_positives=tp,
                              predicted=sum(1 for e in entities if e.kind.value == kind),
                              gold=sum(1 for g in gold["actors"] if g["kind"] == kind))

    def pair_of(a: str, b: str) -> tuple[str, str]:
        return tuple(sorted((a, b)))  # type: ignore[return-value]

    predicted_pairs: set[tuple[str, str]] = set()
    predicted_status: set[tuple[tuple[str, str], str]] = set()
    for rel in extraction.relations:
        if rel.type not in COOPERATION_TYPES:
            continue
        a = matched.get(rel.source, rel.source)
        b = matched.get(rel.target, rel.target)
        predicted_pairs.add(pair_of(a, b))
        predicted_status.add((pair_of(a, b), rel.status.value))
    gold_pairs = {pair_of(c["a"], c["b"]) for c in gold["collaborations"]}
    gold_status = {(pair_of(c["a"], c["b"]), c["status"]) for c in gold["collaborations"]}
    pred_existing = {p for p in predicted_status if p[1] == "existing"}
    gold_existing = {p for p in gold_status if p[1] == "existing"}
    names = {e.id: e.name for e in entities}
    return DocumentScore(
        document=name,
        actors=Score(true_positives=len(matched), predicted=len(entities), gold=len(gold["actors"])),
        actors_by_kind=by_kind,
        pairs=Score(true_positives=len(predicted_pairs & gold_pairs), predicted=len(predicted_pairs),
                    gold=len(gold_pairs)),
        status=Score(true_positives=len(predicted_status & gold_status), predicted=len(predicted_status),
                     gold=len(gold_status)),
        existing=Score(true_positives=len(pred_existing & gold_existing), predicted=len(pred_existing),
                       gold=len(gold_existing)),
        missed_actors=sorted({g["name"] for g in gold["actors"]} - set(matched.values())),
        extra_actors=sorted(names[e] for e in names if e not in matched),
        missed_existing=sorted(" – ".join(p[0]) for p in gold_existing - pred_existing),
        extra_existing=sorted(" – ".join(names.get(x, x) for x in p[0]) for p in pred_existing - gold_existing),
    )


def confident(extraction: Extraction, threshold: float) -> Extraction:
    """The extraction with only the ties whose best evidence reaches the confidence threshold."""
    if threshold <= 0:
        return extraction
    kept = [r for r in extraction.relations if max((e.confidence for e in r.evidence), default=0.0) >= threshold]
    return extraction.model_copy(update={"relations": kept})


def evaluate(gold_path: Path, files: dict[str, Path],
             extract: Callable[[Path], Extraction],
             min_confidence: float = 0.0) -> tuple[list[DocumentScore], Optional[DocumentScore], list[str]]:
    """Score every gold document found among `files` (file name -> path); returns scores, total, missing.
    Ties read with less confidence than min_confidence are left out, as a query would."""
    gold = load_gold(gold_path)
    scores: list[DocumentScore] = []
    missing: list[str] = []
    for name, annotation in sorted(gold["documents"].items()):
        if name not in files:
            missing.append(name)
            continue
        scores.append(score_document(name, confident(extract(files[name]), min_confidence), annotation))
    if not scores:
        return scores, None, missing
    total = DocumentScore(
        document="totalt",
        actors=sum((s.actors for s in scores[1:]), scores[0].actors),
        actors_by_kind={},
        pairs=sum((s.pairs for s in scores[1:]), scores[0].pairs),
        status=sum((s.status for s in scores[1:]), scores[0].status),
        existing=sum((s.existing for s in scores[1:]), scores[0].existing),
    )
    for s in scores:
        for kind, sc in s.actors_by_kind.items():
            total.actors_by_kind[kind] = total.actors_by_kind[kind] + sc if kind in total.actors_by_kind else sc
    return scores, total, missing


def report(scores: list[DocumentScore], total: Optional[DocumentScore]) -> dict:
    def one(s: DocumentScore) -> dict:
        return {
            "document": s.document,
            "actors": s.actors.summary(),
            "actors_by_kind": {k: v.summary() for k, v in s.actors_by_kind.items()},
            "pairs": s.pairs.summary(),
            "status": s.status.summary(),
            "existing_status_f1": s.existing.summary(),
            "missed_actors": s.missed_actors,
            "extra_actors": s.extra_actors,
            "missed_existing": s.missed_existing,
            "extra_existing": s.extra_existing,
        }

    return {"documents": [one(s) for s in scores], "overall": one(total) if total else None}
