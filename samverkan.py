"""The samverkan command line: a thin front door over loaders, graph, queries and viz.

Commands parse arguments, call one function and print; tables speak Swedish to users.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from graph.memory import MemoryStore, StoreError
from graph.model import Kind, Status
from loaders.evaluate import GoldError, evaluate, report
from loaders.pipeline import extract_file
from loaders.read import LoaderError, iter_files
from queries.actors import actors as actors_query
from queries.export import export_json
from queries.lookup import LookupError_, lookup
from queries.partners import best_quotes, partners as partners_query
from viz.labels import kind_label, relation_label, status_label
from viz.render import document_names, render

DEFAULT_STORE = Path(".samverkan") / "graph.json"

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Kartlägg vem som redan samverkar med vem.")
console = Console()
errors = Console(stderr=True)

StoreOption = typer.Option(
    None, "--store", envvar="SAMVERKAN_STORE",
    help=f"The graph file (default {DEFAULT_STORE} in the current directory).",
)


class ExportFormat(str, Enum):
    json = "json"


def _open_store(path: Optional[Path]) -> MemoryStore:
    try:
        return MemoryStore(path or DEFAULT_STORE)
    except StoreError as exc:
        errors.print(f"[red]Fel:[/red] {exc}")
        raise typer.Exit(2)


def _need_data(store: MemoryStore) -> None:
    if not store.entities():
        errors.print(f"[yellow]Grafen är tom ({store.path}). Kör först: samverkan ingest MAPP[/yellow]")
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Files or folders of documents."),
    store_path: Optional[Path] = StoreOption,
) -> None:
    """Read documents, extract actors and collaborations, and merge them into the graph."""
    store = _open_store(store_path)
    files = list(iter_files(paths))
    done: list[tuple[str, str, int, int]] = []
    failed: list[tuple[str, str]] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=errors, transient=True) as progress:
        task = progress.add_task("Läser dokument", total=len(files))
        for path, problem in files:
            progress.update(task, description=f"Läser {path.name}")
            try:
                if problem:
                    raise problem
                extraction = extract_file(path)
                store.add(extraction)
                done.append((path.name, extraction.document.type.value, len(extraction.entities),
                             len(extraction.relations)))
            except LoaderError as exc:
                failed.append((exc.path, exc.problem))
            progress.advance(task)
    if done:
        store.save()
    _print_ingest_summary(done, failed, store)
    if failed:
        raise typer.Exit(1)


def _print_ingest_summary(done, failed, store: MemoryStore) -> None:
    if done:
        table = Table(title="Inlästa dokument")
        for column in ("Fil", "Typ", "Aktörer", "Samband"):
            table.add_column(column, overflow="fold")
        for path, doc_type, n_entities, n_relations in done:
            table.add_row(path, doc_type, str(n_entities), str(n_relations))
        console.print(table)
    if failed:
        table = Table(title="Kunde inte läsas", style="red")
        table.add_column("Fil", overflow="fold")
        table.add_column("Problem", overflow="fold")
        for path, problem in failed:
            table.add_row(path, problem)
        errors.print(table)
    stats = store.stats()
    console.print(
        f"Grafen ({store.path}): {stats.documents} dokument, {stats.entities} aktörer, "
        f"{stats.relations} samband, {stats.evidence} belägg."
    )


@app.command()
def actors(
    kind: Optional[List[Kind]] = typer.Option(None, "--kind", help="Only these kinds."),
    store_path: Optional[Path] = StoreOption,
) -> None:
    """List the actors in the graph."""
    store = _open_store(store_path)
    _need_data(store)
    table = Table(title="Aktörer")
    for column in ("Namn", "Typ", "Samband", "Dokument"):
        table.add_column(column)
    for row in actors_query(store, kind):
        table.add_row(row.name, kind_label(row.kind.value), str(row.relations), str(row.documents))
    console.print(table)


@app.command()
def partners(
    name: str = typer.Argument(..., help="An actor's name; case, inflection and typos are forgiven."),
    status: Optional[List[Status]] = typer.Option(None, "--status", help="Only these statuses."),
    kind: Optional[List[Kind]] = typer.Option(None, "--kind", help="Only partners of these kinds."),
    store_path: Optional[Path] = StoreOption,
) -> None:
    """Who NAME cooperates with: through what, with what status, and on whose word."""
    store = _open_store(store_path)
    _need_data(store)
    try:
        entity = lookup(store, name)
    except LookupError_ as exc:
        errors.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    rows = partners_query(store, entity.id, status, kind)
    docs = document_names(store.documents())
    if not rows:
        console.print(f"{entity.name} har inga kända samverkanspartner i grafen.")
        return
    table = Table(title=f"Samverkanspartner till {entity.name}")
    for column in ("Nr", "Partner", "Samband", "Via", "Status", "Sedan", "Källor"):
        table.add_column(column, overflow="fold")
    for number, row in enumerate(rows, start=1):
        table.add_row(str(number), row.partner, relation_label(row.relation.value), row.via or "",
                      status_label(row.status.value), row.since or "", str(row.sources))
    console.print(table)
    console.print("[bold]Belägg[/bold]")
    for number, row in enumerate(rows, start=1):
        for quote in best_quotes(row.evidence, limit=2):
            where = docs.get(quote.document, quote.document)
            section = f", {quote.section}" if quote.section else ""
            console.print(f"  [{number}] ”{quote.sentence}” ({where}{section}, tecken {quote.start}–{quote.end})",
                          highlight=False, markup=False)


@app.command()
def view(
    output: Path = typer.Option(Path("karta.html"), "-o", "--output", help="The HTML file to write."),
    store_path: Optional[Path] = StoreOption,
) -> None:
    """Write the interactive map as one self-contained HTML file."""
    store = _open_store(store_path)
    _need_data(store)
    out = render(store.to_networkx(), document_names(store.documents()), output)
    stats = store.stats()
    console.print(f"Kartan skrevs till {out} ({stats.entities} aktörer, {stats.relations} samband).")


@app.command()
def export(
    format: ExportFormat = typer.Option(ExportFormat.json, "--format", help="Export format."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write; stdout when left out."),
    store_path: Optional[Path] = StoreOption,
) -> None:
    """Export the graph for other tools (the JSON contract is in docs/EXPORT.md)."""
    store = _open_store(store_path)
    text = json.dumps(export_json(store), ensure_ascii=False, indent=1)
    if output is None:
        sys.stdout.write(text + "\n")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, output)
    console.print(f"Exporterade till {output}.")


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


@app.command(name="eval")
def eval_(
    gold: Path = typer.Argument(..., help="A samverkan-gold/1 file (see GOLD_FORMAT.md)."),
    paths: List[Path] = typer.Argument(..., help="The annotated documents, or folders holding them."),
    format: ReportFormat = typer.Option(ReportFormat.table, "--format", help="table or json."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Also write the JSON report here."),
    details: bool = typer.Option(False, "--details", help="List missed and extra actors and ties."),
) -> None:
    """Score extraction against a hand-made reference annotation, per document and overall."""
    files = {path.name: path for path, problem in iter_files(paths) if problem is None}
    try:
        scores, total, missing = evaluate(gold, files, extract_file)
    except (GoldError, LoaderError) as exc:
        errors.print(f"[red]Fel:[/red] {exc}")
        raise typer.Exit(2)
    for name in missing:
        errors.print(f"[yellow]Saknas bland filerna: {name}[/yellow]")
    data = report(scores, total)
    if output:
        output.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title="Utvärdering mot referensannotering")
    for column in ("Dokument", "Aktörer P/R/F1", "Par F1", "Status F1", "Befintliga F1 (huvudmått)"):
        table.add_column(column, overflow="fold")
    for s in [*scores, *([total] if total else [])]:
        table.add_row(
            s.document,
            f"{s.actors.precision:.2f}/{s.actors.recall:.2f}/{s.actors.f1:.2f}",
            f"{s.pairs.f1:.2f}",
            f"{s.status.f1:.2f}",
            f"{s.existing.f1:.2f} ({s.existing.true_positives}/{s.existing.predicted} av {s.existing.gold})",
        )
    console.print(table)
    if details:
        for s in scores:
            console.print(f"[bold]{s.document}[/bold]", highlight=False)
            for label, items in (("Missade aktörer", s.missed_actors), ("Extra aktörer", s.extra_actors),
                                 ("Missade befintliga samband", s.missed_existing),
                                 ("Extra befintliga samband", s.extra_existing)):
                console.print(f"  {label}: " + ("; ".join(items) or "–"), highlight=False, markup=False)


if __name__ == "__main__":
    app()
