"""Generate a realistic synthetic corpus of Swedish administrative documents.

Run: python benchmarks/make_corpus.py OUTDIR [--documents 10000] [--seed 1]
Documents are built from varied sentence templates (agreements, projects, proposals,
rejections, remiss sections, ordinary administrative prose) over real bodies from the
gazetteer and invented projects and places, as .md and .txt files of 2-12 KB.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.model import Kind  # noqa: E402
from loaders.extraction.gazetteer import gazetteer  # noqa: E402

PLACES = ["Gottsunda", "Rosengård", "Hjällbo", "Ronna", "Fittja", "Alby", "Tensta", "Vivalla", "Araby",
          "Skäggetorp", "Navestad", "Kronogården", "Holma", "Bergsjön", "Hovsjö", "Husby", "Brandbergen"]
PROJECTS = ["Trygg", "Tryggare", "Framtid", "Nya vägar", "Ung kraft", "Samverkan", "Steget", "Lyftet", "Bron"]
FILLER = [
    "Ärendet har beretts i samråd med berörda avdelningar.",
    "Förvaltningen bedömer att förslaget inte medför några ekonomiska konsekvenser för nämnden.",
    "Arbetet följs upp i verksamhetsberättelsen och redovisas för nämnden under hösten.",
    "Det brottsförebyggande arbetet ska utgå från en gemensam lägesbild och lokala förutsättningar.",
    "Barn och unga i riskzonen ska erbjudas stöd tidigt och insatserna ska vara kunskapsbaserade.",
    "Trygghetsmätningen visar att andelen invånare som känner sig otrygga har minskat något.",
    "Det är viktigt att insatserna utvärderas och att resultaten sprids inom organisationen.",
    "Enligt prop. 2019/20:1 och SFS 2023:196 har kommunerna ett ansvar för det brottsförebyggande arbetet.",
    "Skolan, socialtjänsten och fritidsverksamheten är centrala aktörer i det förebyggande arbetet.",
    "Uppdraget i budgeten ska genomföras inom befintliga ramar.",
]
COOPERATION = [
    ("{a} och {b} tecknade {year} en samverkansöverenskommelse om trygghet i {place}.", "existing"),
    ("{a} har tillsammans med {b} och {c} ingått en lokal samverkansöverenskommelse (dnr {dnr}).", "existing"),
    ("Projektet {project} {place} startade {year} och drivs av {a} tillsammans med {b}.", "existing"),
    ("Sedan {year} samverkar {a} med {b} kring ungdomar i {place}.", "existing"),
    ("Under {next} kommer {a} att inleda samverkan med {b} i {place}.", "planned"),
    ("Motionärerna föreslår att {a} tar kontakt med {b} för att inrätta ett samarbete.", "proposed"),
    ("Samarbetet mellan {a} och {b} avslutades {year}.", "ended"),
    ("{a} och {b} delar lokaler i {place} sedan {year}.", "existing"),
    ("I samverkan med {a}, {b} och {c} genomförs insatsen {project} {place}.", "existing"),
]


def bodies() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"municipality": [], "agency": [], "police": [], "admin": []}
    for body in gazetteer().bodies.values():
        if body.kind is Kind.municipality:
            groups["municipality"].append(body.name)
        elif body.kind is Kind.agency:
            groups["agency"].append(body.name)
        elif body.kind is Kind.police_unit:
            groups["police"].append(body.name)
        elif body.kind is Kind.administration and body.parent:
            groups["admin"].append(body.name)
    groups["police"] += [f"Lokalpolisområde {p}" for p in PLACES]
    return groups


def document(rng: random.Random, groups: dict[str, list[str]], number: int) -> tuple[str, str]:
    municipality = rng.choice(groups["municipality"])
    actors = [municipality, *rng.sample(groups["agency"], 3), rng.choice(groups["police"]),
              *rng.sample(groups["admin"], 2)]
    markdown = rng.random() < 0.5
    heading = "## " if markdown else ""
    title = rng.choice(["Svar på remiss om trygghet", "Tjänsteutlåtande om samverkan", "Motion om brottsförebyggande arbete",
                        "Utlåtande om lokal samverkan", "Uppföljning av samverkansöverenskommelse"])
    parts = [f"{'# ' if markdown else ''}{title} {number}", f"Dnr KS {rng.randint(2015, 2025)}/{rng.randint(1, 3000)}"]
    for section in range(rng.randint(2, 6)):
        parts.append(heading + rng.choice(["Sammanfattning", "Bakgrund", "Ärendet", "Synpunkter och förslag",
                                           "Förvaltningens bedömning", actors[-1]]))
        for _ in range(rng.randint(2, 5)):
            sentences = rng.sample(FILLER, rng.randint(2, 5))
            if rng.random() < 0.7:
                template, _ = rng.choice(COOPERATION)
                a, b, c = rng.sample(actors, 3)
                sentences.insert(rng.randrange(len(sentences) + 1), template.format(
                    a=a, b=b, c=c, place=rng.choice(PLACES), project=rng.choice(PROJECTS),
                    year=rng.randint(2012, 2024), next=rng.randint(2025, 2027),
                    dnr=f"{rng.choice(['SOC', 'KS', 'RK'])} {rng.randint(2018, 2025)}/{rng.randint(10, 900)}"))
            parts.append(" ".join(sentences))
    if rng.random() < 0.3:
        parts.append("Motionen avslås med hänvisning till vad som sägs i utlåtandet.")
    return ("\n\n".join(parts) + "\n", ".md" if markdown else ".txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    groups = bodies()
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(args.documents):
        text, suffix = document(rng, groups, number)
        path = args.out / f"{number // 1000:02d}" / f"dokument{number:05d}{suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    print(f"{args.documents} documents, {total / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
