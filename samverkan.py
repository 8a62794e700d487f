"""The samverkan command line: a thin front door over loaders, graph, queries and viz.

Commands parse arguments, call one function and print; tables speak Swedish to users.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Optional

# First: click's and typer's own messages (usage, help panels, argument errors) in Swedish.
import queries.cli_text  # noqa: F401  (installs itself on import, before typer and click load)
import queries.cli_startup
queries.cli_startup.install()  # typer without pydantic for plain values, and rich.markdown when used
import typer
queries.cli_text.install_vendored()  # typer's own copy of click, loaded by `import typer`
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

# Only what --help and the options need is imported here: typer, rich and the enums. The
# stores, the queries and the loaders (pydantic, spaCy, networkx, pyvis) are imported by the
# commands that use them, so that --help and a mistyped argument answer at once.
from graph.vocabulary import Kind, RelationType, Status, choice_list, parse_kind, parse_status
from queries.present import Column, CsvStyle, OutputFormat, as_json, json_text, literal, plain, print_parts, show, write_rows
from viz.labels import kind_label, relation_label, status_label

if TYPE_CHECKING:
    from graph.memory import MemoryStore

DEFAULT_STORE = Path(".samverkan") / "graph.sqlite"
#: Documents per SQLite transaction in `ingest --jobs N` (N > 1).
INGEST_BATCH = 20
OLD_DEFAULT_STORE = Path(".samverkan") / "graph.json"
#: ingest's limits as loaders.reading.limits.Limits has them by default, for the options' defaults.
#: Written out, not imported: loaders.reading.limits brings in the record models (pydantic), which
#: --help would pay for; tests/test_cli.py checks that they equal Limits().
LIMITS = {"max_bytes": 50 * 1024 * 1024, "max_unpacked_bytes": 200_000_000, "max_html_depth": 1_000,
          "max_html_seconds": 60.0, "max_pdf_pages": 3_000, "max_text_chars": 20_000_000, "max_sentences": 30_000,
          "max_evidence": 20_000, "max_seconds": 600.0, "max_memory_bytes": 2_000_000_000}

#: The commands that write the store: they end as Python ends, which closes the store
#: (SQLite then moves what its write-ahead log holds into the file itself).
WRITING_COMMANDS = frozenset({"ingest", "review", "store"})


class CommandLine(typer.Typer):
    """The program: run with only the command it is asked for built, and, run as the
    program (no arguments given in code), a command that only reads the store ended
    without freeing its objects one by one (cli_startup.only_invoked, exit_now)."""

    def __call__(self, *args, **kwargs):
        argv = kwargs.get("args", sys.argv[1:])
        reading = not (args or kwargs) and not (argv and argv[0] in WRITING_COMMANDS)
        if reading:
            # A question builds its answer from records with no cycles among them, and the
            # process ends when it is answered: the cyclic collector's rounds over a whole
            # graph (a quarter of a second at a time) would free nothing.
            gc.disable()
        with queries.cli_startup.only_invoked(self, argv):
            try:
                return super().__call__(*args, **kwargs)
            except SystemExit as done:
                if reading:
                    queries.cli_startup.exit_now(done.code)
                raise


app = CommandLine(add_completion=False, no_args_is_help=True, help="Kartlägg vem som redan samverkar med vem.")
console = Console()
errors = Console(stderr=True)

StoreOption = typer.Option(
    None, "--store", envvar="SAMVERKAN_STORE",
    help=f"Grafens fil (standard {DEFAULT_STORE} i aktuell mapp); en .json-fil läses och skrivs i det äldre JSON-formatet.",
)


class ExportFormat(str, Enum):
    json = "json"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    xlsx = "xlsx"
    kumu = "kumu"


def KindOption(help: str = "Bara aktörer av dessa typer."):  # noqa: N802 (an option, like typer.Option)
    """--kind: the Swedish word the tables print (kommun, nämnd, myndighet, polis ...) or the English code."""
    return typer.Option(None, "--kind", parser=parse_kind, metavar="TYP",
                        help=f"{help} Svenska ord eller koder: {choice_list(Kind)}; kan anges flera gånger.")


def StatusOption(help: str = "Bara samband med dessa statusar."):  # noqa: N802
    """--status: befintlig, planerad ... or existing, planned ..."""
    return typer.Option(None, "--status", parser=parse_status, metavar="STATUS",
                        help=f"{help} Svenska ord eller koder: {choice_list(Status)}; kan anges flera gånger.")


CsvOption = typer.Option(
    CsvStyle.excel, "--csv", envvar="SAMVERKAN_CSV",
    help="CSV-stil: excel (standard: UTF-8 med BOM, semikolon, decimalkomma, celler som börjar med = + - @ "
         "oskadliggjorda) eller rfc4180 (för program: UTF-8 utan BOM, komma, decimalpunkt, cellerna oförändrade).")

OutputOption = typer.Option(
    None, "-o", "--output",
    help="Skriv tabellen till en fil i stället: .xlsx en Excel-arbetsbok, .json JSON, annars CSV.")


IncludeRejectedOption = typer.Option(
    False, "--include-rejected", "--med-avvisade",
    help="Visa också samband som en granskare har avvisat (samverkan review reject).")

NeoOption = typer.Option(
    None, "--neo4j", envvar="NEO4J_URI",
    help="Använd grafen på denna Neo4j-server (bolt://VÄRD:PORT) i stället för den lokala filen; "
         "NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE och NEO4J_DIALECT (neo4j|falkordb) läses från miljön.",
)


def _open_store(path: Optional[Path], neo4j: Optional[str] = None, reviewed: bool = True,
                include_rejected: bool = False):
    """The store a command reads: with the review statements applied (graph/reviewed.py)
    when there are any, else the store itself; reviewed=False: the store itself, for the
    commands that write to it (ingest, review)."""
    from graph.storefile import StoreError

    try:
        if neo4j:
            from graph.neo4j import Neo4jStore

            store = Neo4jStore(neo4j, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"),
                               database=os.environ.get("NEO4J_DATABASE"),
                               batch_rows=int(os.environ.get("NEO4J_BATCH_ROWS", "500")))
        else:
            store = _embedded_store(path)
        if not reviewed or not (store.statements() if hasattr(store, "statements") else []):
            return store  # as graph.reviewed.reviewed() gives it: a store no one reviewed is itself
        from graph.reviewed import reviewed as with_reviews

        return with_reviews(store, include_rejected)
    except StoreError as exc:
        _error(str(exc))
        raise typer.Exit(2)


def _error(message: str) -> None:
    """'Fel: ' and one line that may name files and actors: printed as text, never as markup."""
    errors.print(Text("Fel: ", style="red") + literal(message), soft_wrap=True)


def _output(path: Path, write):
    """write() makes the file `path` (whole or not at all, see graph/files.py); when it cannot,
    one line says which file and why, instead of a traceback."""
    from graph.files import cause

    try:
        return write()
    except OSError as exc:
        _error(f"kan inte skriva {exc.filename or path}: {cause(exc)}.")
        raise typer.Exit(2)


def _embedded_store(path: Optional[Path]):
    """SQLite by default; a JSON store (by its .json name, or its content) as it always was."""
    if path is None:
        path = DEFAULT_STORE
        if not path.exists() and OLD_DEFAULT_STORE.exists():
            errors.print(f"[yellow]Grafen ligger nu i {DEFAULT_STORE}. Den äldre grafen {OLD_DEFAULT_STORE} "
                         f"konverteras med: samverkan store migrate {OLD_DEFAULT_STORE} {DEFAULT_STORE}[/yellow]")
    from graph.sqlite import SQLiteStore, is_sqlite_file

    if is_sqlite_file(path) or not (path.suffix == ".json" or _looks_like_json(path)):
        import atexit

        store = SQLiteStore(path)
        atexit.register(store.disconnect)  # also when the command ends at once (cli_startup.exit_now)
        return store
    from graph.memory import MemoryStore

    return MemoryStore(path)


def _looks_like_json(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(64).lstrip()[:1] == b"{"
    except OSError:
        return False


def _is_empty(store) -> bool:
    """Asked without reading the graph where the store can (SQLite reads one row)."""
    return store.is_empty() if hasattr(store, "is_empty") else not store.entities()


def _need_data(store) -> None:
    if _is_empty(store):
        errors.print(literal(f"Grafen är tom ({store.path}). Kör först: samverkan ingest MAPP", style="yellow"))
        raise typer.Exit(1)


@app.command(help="Läs dokument, hitta aktörer och samverkan och för in dem i grafen.")
def ingest(
    paths: List[Path] = typer.Argument(..., metavar="SÖKVÄG", help="Filer eller mappar med dokument."),
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1,
        help="Arbetsprocesser som läser filerna (varje fil läses i en bevakad process, också med 1)."),
    max_mb: float = typer.Option(LIMITS["max_bytes"] / 1e6, "--max-mb", min=0.001, help="Läs inte filer större än så här (MB)."),
    follow_links: bool = typer.Option(
        False, "--follow-links", help="Följ symboliska länkar som leder ut ur mappen (annars hoppas de över)."),
    max_unpacked_mb: float = typer.Option(
        LIMITS["max_unpacked_bytes"] / 1e6, "--max-unpacked-mb", min=0.001,
        help="Största uppackade storlek för en Word-fil (.docx), i MB."),
    max_html_depth: int = typer.Option(
        LIMITS["max_html_depth"], "--max-html-depth", min=1, help="Högst så många element inuti varandra på en webbsida."),
    max_html_seconds: float = typer.Option(
        LIMITS["max_html_seconds"], "--max-html-seconds", min=0.01, help="Längsta tid att tolka en webbsida, i sekunder."),
    max_pdf_pages: int = typer.Option(LIMITS["max_pdf_pages"], "--max-pdf-pages", min=1, help="Högst så många sidor i en PDF."),
    max_text_mb: float = typer.Option(
        LIMITS["max_text_chars"] / 1e6, "--max-text-mb", min=0.001, help="Högst så många miljoner tecken text ur en PDF."),
    max_sentences: int = typer.Option(
        LIMITS["max_sentences"], "--max-sentences", min=1,
        help="Läs högst så många meningar (och 200 tecken per mening) per dokument; resten lämnas och dokumentet "
             "märks som förkortat."),
    max_evidence: int = typer.Option(
        LIMITS["max_evidence"], "--max-evidence", min=1,
        help="Spara högst så många belägg per dokument; fler sammanfattas och dokumentet märks."),
    max_seconds: float = typer.Option(
        LIMITS["max_seconds"], "--max-seconds", min=0.1, help="Längsta tid att läsa en fil, i sekunder; sedan avbryts den."),
    max_memory_mb: float = typer.Option(
        LIMITS["max_memory_bytes"] / 1e6, "--max-memory-mb", min=10,
        help="Mest minne som läsningen av en fil får använda, i MB (utöver de delade språkmodellerna)."),
    save_every: Optional[int] = typer.Option(
        None, "--save-every", min=1,
        help="Spara grafen efter så här många dokument (standard: ungefär varje minut, högst en tiondel av tiden)."),
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """Read documents, extract actors and collaborations, and merge them into the graph."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    import sqlite3

    from graph.checkpoint import Checkpoints
    from graph.files import cause, check_writable
    from graph.sqlite import SQLiteStore
    from graph.storefile import StoreError
    from loaders.batch import Failure, extract_many, relaxed_collector
    from loaders.reading.limits import Limits
    from loaders.reading.read import Skipped, display_path, iter_files

    store = _open_store(store_path, neo4j, reviewed=False)
    existed = neo4j is not None or store.path.exists()
    if not neo4j:
        try:  # refused now, not after every file has been read
            check_writable(store.path)
        except StoreError as exc:
            _error(str(exc))
            raise typer.Exit(2)
    if jobs > 1 and isinstance(store, SQLiteStore):
        store.batch = INGEST_BATCH  # one transaction per batch: workers outpace a commit per document
    limits = Limits(max_bytes=int(max_mb * 1e6), max_unpacked_bytes=int(max_unpacked_mb * 1e6),
                    max_html_depth=max_html_depth, max_html_seconds=max_html_seconds, max_pdf_pages=max_pdf_pages,
                    max_text_chars=int(max_text_mb * 1e6), max_sentences=max_sentences, max_evidence=max_evidence,
                    max_seconds=max_seconds, max_memory_bytes=int(max_memory_mb * 1e6))
    found = list(iter_files(paths, follow_links=follow_links))
    readable = [path for path, problem in found if problem is None]
    done: list[tuple[str, str, int, int]] = []
    failed: list[tuple[str, str]] = [(p.path, p.problem) for _, p in found if p is not None and not isinstance(p, Skipped)]
    skipped: list[tuple[str, str]] = [(p.path, p.problem) for _, p in found if isinstance(p, Skipped)]
    limited: list[tuple[str, str]] = []
    checkpoints = Checkpoints(every_documents=save_every)
    results = _PoolGuard(extract_many(readable, jobs=jobs, limits=limits))
    try:
        with relaxed_collector(), Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                           console=errors, transient=True) as progress:
            task = progress.add_task("Läser dokument", total=len(readable))
            for path, result in zip(readable, results):
                progress.update(task, description=escape(f"Läser {display_path(path.name)}"))
                if isinstance(result, Failure):
                    failed.append((result.path, result.problem))
                else:
                    store.add(result, owned=True)  # each result is read once, here
                    done.append((display_path(path.name), result.document.type.value, len(result.entities),
                                 len(result.relations)))
                    if result.document.limited:
                        limited.append((result.document.source, result.document.limited))
                    if len(done) % 100 == 0:
                        gc.freeze()  # stored records live to the end: spare them the collector's rounds
                    if checkpoints.added():
                        checkpoints.save(store.save)  # a crash from here on loses at most the documents read since
                progress.advance(task)
            if results.broken is None and checkpoints.unsaved:
                store.save()
        if results.broken is not None:  # the documents read before the pool broke are kept
            store.save()
    except (StoreError, OSError, sqlite3.Error) as exc:
        # The store keeps what was committed before; the document at hand was rolled back.
        if not existed and not done:
            _remove_new_store(store)
        _error(str(exc) if isinstance(exc, StoreError) else f"kan inte skriva grafen {store.path}: {cause(exc)}; "
               f"grafen har kvar det som sparades före felet, kör ingest igen när felet är åtgärdat.")
        raise typer.Exit(2)
    if results.broken is not None:
        from loaders.language.swedish import LanguageUnavailable

        if isinstance(results.broken, LanguageUnavailable):
            _error(str(results.broken))
            raise typer.Exit(2)
        where = display_path(readable[results.taken]) if results.taken < len(readable) else "filerna"
        _error(f"arbetsprocesserna som läser filerna slutade fungera vid {where} ({cause(results.broken)}); "
               f"{len(done)} dokument sparades i {store.path}, kör ingest igen för resten.")
        raise typer.Exit(2)
    _print_ingest_summary(done, failed, store, skipped, limited)
    if failed:
        raise typer.Exit(1)


def _remove_new_store(store) -> None:
    """An ingest that failed before its first document landed leaves no store file it made
    (SQLite creates the file before it finds the disk full)."""
    import sqlite3

    from graph.sqlite import SQLiteStore
    from graph.storefile import StoreError

    if isinstance(store, SQLiteStore):
        store._pending.clear()  # nothing more is written
        try:
            store.close()
        except (StoreError, sqlite3.Error):
            pass
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(f"{store.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass


class _PoolGuard:
    """The results of the worker pool; when the pool itself breaks (no worker can be
    started, the watcher fails), the iteration ends and `broken` holds the cause, so that
    ingest can keep what was read and say in one line what happened."""

    def __init__(self, results) -> None:
        self.results = iter(results)
        self.broken: Optional[BaseException] = None
        self.taken = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.broken is not None:
            raise StopIteration
        try:
            result = next(self.results)
        except StopIteration:
            raise
        except Exception as exc:  # the pool, not a file: a file's own failure is a Failure result
            self.broken = exc
            raise StopIteration from exc
        self.taken += 1
        return result


def _print_ingest_summary(done, failed, store: MemoryStore, skipped=(), limited=()) -> None:
    """What was read, then one line for each file skipped, shortened or not read: a line
    each, whatever the terminal's width, so a long list can be searched and counted."""
    if done and len(done) <= 50:
        table = Table(title="Inlästa dokument")
        for column in ("Fil", "Typ", "Aktörer", "Samband"):
            table.add_column(column, overflow="fold")
        for path, doc_type, n_entities, n_relations in done:
            table.add_row(Text(plain(path)), doc_type, str(n_entities), str(n_relations))  # a name is no markup
        console.print(table)
    elif done:
        console.print(f"{len(done)} dokument lästes in: {sum(d[2] for d in done)} aktörsomnämnanden, "
                      f"{sum(d[3] for d in done)} samband.")
    for title, rows, style in (("Förkortade", limited, "yellow"), ("Hoppades över", skipped, "yellow"),
                               ("Kunde inte läsas", failed, "red")):
        if rows:
            errors.print(Text(f"{title} ({len(rows)}):", style=f"bold {style}"))
        for path, problem in rows:
            errors.print(literal(f"  {path}: {problem}", style=style), soft_wrap=True)
    stats = store.stats()
    console.print(literal(
        f"Grafen ({store.path}): {stats.documents} dokument, {stats.entities} aktörer, "
        f"{stats.relations} samband, {stats.evidence} belägg."
    ))


@app.command(help="Aktörerna i grafen, med antal samband och dokument.")
def actors(
    kind: Optional[List[Kind]] = KindOption(),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, json eller csv."),
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """List the actors in the graph."""
    from queries.actors import actors as actors_query

    store = _open_store(store_path, neo4j, include_rejected=include_rejected)
    _need_data(store)
    # Drawn by queries.present, not rich.table: rich took a minute for 4,000 actors on a loaded machine.
    _emit(actors_query(store, kind), [
        Column("Namn", lambda r: r.name), Column("Typ", lambda r: kind_label(r.kind.value)),
        Column("Samband", lambda r: r.relations), Column("Dokument", lambda r: r.documents)],
        format, "Aktörer", output=output, csv_style=csv_style)


FormatOption = typer.Option(OutputFormat.table, "--format", help="table, json eller csv.")


def _emit(rows, columns, format: OutputFormat, title: str, payload=None, output: Optional[Path] = None,
          csv_style: CsvStyle = CsvStyle.excel) -> None:
    """Print rows as `format` says, or write them to `output` (.xlsx, .json or CSV) and say so."""
    if output is None:
        show(console, rows, columns, format, title, payload=payload, csv_style=csv_style)
        return
    written = _output(output, lambda: write_rows(output, rows, columns, format, title, payload=payload,
                                                 csv_style=csv_style))
    console.print(literal(f"{len(rows)} rader skrevs till {written}."))


def _entity(store, name: str):
    from queries.lookup import LookupError_, lookup, place_hint

    try:
        entity = lookup(store, name)
    except LookupError_ as exc:
        errors.print(literal(str(exc), style="red"), soft_wrap=True)
        raise typer.Exit(1)
    municipality = place_hint(store, entity)
    if municipality is not None:
        errors.print(literal(f"Obs: {entity.label} är ett område. Kommunen heter {municipality.label}: "
                             f"samverkan partners \"{municipality.label}\"", style="yellow"), soft_wrap=True)
    return entity


def _loaded(store_path: Optional[Path], neo4j: Optional[str] = None, include_rejected: bool = False):
    store = _open_store(store_path, neo4j, include_rejected=include_rejected)
    _need_data(store)
    return store


def _pair(store_path: Optional[Path], neo4j: Optional[str], a: str, b: str, include_rejected: bool = False):
    """The store and the two actors a two-name command is about."""
    store = _loaded(store_path, neo4j, include_rejected)
    return store, _entity(store, a), _entity(store, b)


AsOfOption = typer.Option(
    None, "--as-of", metavar="DATUM",
    help="Bara samband som gällde vid detta datum eller under denna tid: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD. "
         "Ett samband gäller från sitt 'sedan', sitt avtals eller projekts start eller det första dokument "
         "som nämner det, till sitt avtals slut eller det dokument som säger att det upphört.")


def _at(store, as_of: Optional[str]):
    """The store as it stood at `as_of` (graph/asof.py), or the store itself; a bad date is
    one line and exit code 2, and the reader is told how many ties no document dates."""
    if not as_of:
        return store
    from graph.asof import DateError, at

    try:
        seen = at(store, as_of)
    except DateError as exc:
        _error(str(exc))
        raise typer.Exit(2)
    seen.kept()
    if seen.undated:
        errors.print(literal(f"Obs: {seen.undated} samband saknar datum i sina dokument och är inte med "
                             f"(--as-of {as_of}).", style="yellow"), soft_wrap=True)
    return seen


MinConfidenceOption = typer.Option(
    0.0, "--min-confidence", min=0.0, max=1.0,
    help="Visa bara samband som lästs med minst denna säkerhet (0–1); svagare läsningar, "
         "t.ex. representanter eller ett omnämnande, har lägre säkerhet.")


@app.command(help="Vilka NAMN samverkar med: genom vad, med vilken status och enligt vilka källor.")
def partners(
    name: str = typer.Argument(..., metavar="NAMN", help="En aktörs namn; versaler, böjning och stavfel förlåts."),
    status: Optional[List[Status]] = StatusOption("Bara dessa statusar."),
    kind: Optional[List[Kind]] = KindOption("Bara partner av dessa typer."),
    min_confidence: float = MinConfidenceOption,
    as_of: Optional[str] = AsOfOption,
    format: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """Who NAME cooperates with: through what, with what status, and on whose word."""
    from queries.documents import document_names
    from queries.partners import best_quotes
    from queries.partners import partners as partners_query

    store = _at(_loaded(store_path, neo4j, include_rejected), as_of)
    entity = _entity(store, name)
    # JSON gives every quote; CSV shows one and the table two, so only those are read.
    quotes = {OutputFormat.json: None, OutputFormat.csv: 1}.get(format, 1 if output else 2)
    rows = partners_query(store, entity.id, status, kind, quotes=quotes, min_confidence=min_confidence)
    columns = [
        Column("Partner", lambda r: r.partner),
        Column("Typ", lambda r: kind_label(r.kind.value)),
        Column("Samband", lambda r: relation_label(r.relation.value)),
        Column("Via", lambda r: r.via),
        Column("Status", lambda r: status_label(r.status.value)),
        Column("Sedan", lambda r: r.since),
        Column("Källor", lambda r: r.sources),
    ]
    if format is not OutputFormat.table or output:
        _emit(rows, columns + [Column("Belägg", lambda r: best_quotes(r.evidence, 1)[0].sentence)],
              format, f"Partner till {entity.label}", output=output, csv_style=csv_style)
        return
    if not rows:
        console.print(literal(f"{entity.label} har inga kända samverkanspartner i grafen."))
        return
    # On screen the agreement or project is named briefly, and the kind left to `show`;
    # JSON and CSV give both whole.
    screen = [c if c.header != "Via" else Column("Via", lambda r: _brief(r.via)) for c in columns if c.header != "Typ"]
    number = {id(row): n for n, row in enumerate(rows, start=1)}  # rows.index() compared every pair: minutes
    numbered = [Column("Nr", lambda r: number[id(r)]), *screen]
    show(console, rows, numbered, format, f"Samverkanspartner till {entity.label}")
    console.print("[bold]Belägg[/bold]")
    shown = [(number, best_quotes(row.evidence, limit=2)) for number, row in enumerate(rows, start=1)]
    docs = document_names(store.documents({q.document for _, found in shown for q in found}))
    _print_quotes([(f"[{number}]", quote) for number, found in shown for quote in found], docs)


def _brief(name: Optional[str], limit: int = 32) -> str:
    if not name:
        return ""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _print_quotes(quotes, docs: dict[str, str]) -> None:
    """Each (marker, quote) on a line of its own, printed at once: one console.print per
    quote cost the busiest body's `partners` a second for its 2,600 quotes."""
    lines = []
    for marker, quote in quotes:
        where = docs.get(quote.document, quote.document)
        section = f", {quote.section}" if quote.section else ""
        lines.append(plain(f"  {marker} ”{quote.sentence}” ({where}{section}, tecken {quote.start}–{quote.end})")
                     .replace("\n", " "))
    if lines:
        # soft_wrap: the terminal wraps a long quote itself; rich's own wrapping of hundreds
        # of quotes cost the busiest body's `partners` most of a second.
        print_parts(console, [("\n".join(lines), "")])


@app.command(help="Vad som förbinder A och B: direkta samband med citat, gemensamma överenskommelser och projekt, vägar mellan dem.")
def between(
    a: str = typer.Argument(..., metavar="A", help="Den ena aktören."),
    b: str = typer.Argument(..., metavar="B", help="Den andra aktören."),
    min_confidence: float = MinConfidenceOption,
    as_of: Optional[str] = AsOfOption,
    format: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """What ties A to B: direct ties with quotes, shared agreements and projects, paths between them."""
    from graph.model import confidence_of
    from queries.between import between as between_query
    from queries.documents import document_names
    from queries.partners import best_quotes

    store, ea, eb = _pair(store_path, neo4j, a, b, include_rejected)
    store = _at(store, as_of)
    result = between_query(store, ea.id, eb.id)
    if min_confidence > 0:
        result.direct = [t for t in result.direct if confidence_of(t.evidence) >= min_confidence]
    if format is OutputFormat.json and output is None:
        show(console, [], [], format, "", payload=result)
        return
    rows = [("direkt", relation_label(t.relation.value), t.via or "", status_label(t.status.value),
             best_quotes(t.evidence, 1)[0].sentence if t.evidence else "") for t in result.direct]
    rows += [("delad", kind_label(s.kind.value), s.name,
              f"{status_label(s.status_a.value)} / {status_label(s.status_b.value)}", "") for s in result.shared]
    rows += [("väg", "", " → ".join(step.name for step in path), "", "") for path in result.paths]
    columns = [Column(h, (lambda i: lambda r: r[i])(i)) for i, h in
               enumerate(["Slag", "Samband", "Via / väg", "Status", "Belägg"])]
    if format is OutputFormat.csv or output:
        _emit(rows, columns, format, f"{ea.label} – {eb.label}", payload=result, output=output, csv_style=csv_style)
        return
    if not rows:
        console.print(literal(f"Inget samband mellan {ea.label} och {eb.label} i grafen."))
        return
    show(console, rows, columns[:4], format, f"{ea.label} – {eb.label}")
    shown = [best_quotes(tie.evidence, 2) for tie in result.direct]
    docs = document_names(store.documents({q.document for found in shown for q in found}))
    _print_quotes([("•", quote) for found in shown for quote in found], docs)
    _print_reviews((relation_label(t.relation.value), t.review) for t in result.direct)


def _print_reviews(reviews) -> None:
    """Each reviewed tie's 'Granskad: ...' line, once, after the table it belongs to."""
    for label, line in dict.fromkeys((label, line) for label, line in reviews if line):
        console.print(literal(f"{label}: {line}", style="cyan"), soft_wrap=True)


def _vehicle_table(rows, format: OutputFormat, title: str, output: Optional[Path] = None,
                   csv_style: CsvStyle = CsvStyle.excel) -> None:
    columns = [
        Column("Namn", lambda r: r.name),
        Column("Typ", lambda r: kind_label(r.kind.value)),
        Column("Parter", lambda r: "; ".join(
            p.name if p.status == r.status else f"{p.name} ({status_label(p.status.value)})" for p in r.parties)),
        Column("Status", lambda r: status_label(r.status.value) if r.status else ""),
        Column("Dnr", lambda r: r.dnr),
        Column("Sedan", lambda r: r.since or r.date),
        Column("Gäller från", lambda r: r.valid_from),
        Column("Gäller till", lambda r: r.valid_to),
        Column("Källor", lambda r: r.sources),
    ]
    _emit(rows, columns, format, title, output=output, csv_style=csv_style)


ExpiringOption = typer.Option(
    None, "--expiring", metavar="DATUM",
    help="Bara de vars giltighetstid löper ut under denna tid: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.")


def _vehicles_at(rows, as_of: Optional[str], ending: Optional[str]):
    """With --as-of, the vehicles with a party in force then; with --expiring, those whose
    period ends within the given year, month or day."""
    from graph.asof import DateError, expiring

    if as_of:
        rows = [r for r in rows if r.parties]
    if ending:
        try:
            rows = [r for r in rows if expiring({"valid_to": r.valid_to} if r.valid_to else {}, ending)]
        except DateError as exc:
            _error(str(exc))
            raise typer.Exit(2)
    return rows


@app.command(help="Alla överenskommelser med parter, status, dnr, giltighetstid och antal källor.")
def agreements(format: OutputFormat = FormatOption, output: Optional[Path] = OutputOption,
               csv_style: CsvStyle = CsvOption, as_of: Optional[str] = AsOfOption,
               expiring: Optional[str] = ExpiringOption, include_rejected: bool = IncludeRejectedOption,
               store_path: Optional[Path] = StoreOption,
               neo4j: Optional[str] = NeoOption) -> None:
    """Every agreement with its parties, status, dnr, period and number of sources."""
    from queries.catalog import agreements as agreements_query

    rows = agreements_query(_at(_loaded(store_path, neo4j, include_rejected), as_of))
    _vehicle_table(_vehicles_at(rows, as_of, expiring), format, "Överenskommelser", output, csv_style)


@app.command(help="Alla projekt, program och grupper med deltagare, status och källor.")
def projects(format: OutputFormat = FormatOption, output: Optional[Path] = OutputOption,
             csv_style: CsvStyle = CsvOption, include_rejected: bool = IncludeRejectedOption,
             store_path: Optional[Path] = StoreOption,
             neo4j: Optional[str] = NeoOption) -> None:
    """Every project, programme and group with its participants, status and sources."""
    from queries.catalog import projects as projects_query

    _vehicle_table(projects_query(_loaded(store_path, neo4j, include_rejected)), format,
                   "Projekt, insatser och grupper", output, csv_style)


@app.command(help="Aktör × aktör: hur många samband som förbinder varje par.")
def matrix(
    kind: Optional[List[Kind]] = KindOption("Bara aktörer av dessa typer."),
    status: Optional[List[Status]] = StatusOption(),
    format: OutputFormat = typer.Option(OutputFormat.csv, "--format", help="csv (standard), json eller table."),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help="Skriv matrisen till en fil: .xlsx en Excel-arbetsbok, .json JSON, annars CSV."),
    csv_style: CsvStyle = CsvOption,
    min_confidence: float = MinConfidenceOption,
    as_of: Optional[str] = AsOfOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """Actor x actor cooperation matrix: the number of ties joining each pair."""
    from queries.network import matrix as matrix_query

    def compute() -> Any:
        return matrix_query(_at(_loaded(store_path, neo4j, include_rejected), as_of), kind, status,
                            min_confidence=min_confidence)

    if output is not None and output.suffix.lower() == ".xlsx":
        # The matrix is counted in a child process while this one imports openpyxl (a third
        # of a second that would otherwise come after it); a failing child is counted again here.
        from queries.background import in_background

        pending = in_background(compute)
        import openpyxl  # noqa: F401  (loaded now, used by write_rows)

        m = pending()
    else:
        m = compute()
    columns = [Column("Aktör", lambda r: r[0])] + [
        Column(name, (lambda i: lambda r: r[1][i])(i)) for i, name in enumerate(m.names)
    ]
    rows = list(zip(m.names, m.cells))
    if output:
        written = _output(output, lambda: write_rows(output, rows, columns, format, "Matris", payload=m,
                                                     csv_style=csv_style))
        console.print(literal(f"Matrisen ({len(m.names)} aktörer) skrevs till {written}."))
        return
    show(console, rows, columns, format, "Samverkansmatris", payload=m, csv_style=csv_style)


@app.command(help="Aktörer som förbinder annars åtskilda delar av nätverket (mellanhandscentralitet).")
def brokers(
    top: int = typer.Option(20, "--top", help="Hur många som listas."),
    status: Optional[List[Status]] = StatusOption(),
    format: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """Actors that connect otherwise separate parts of the network (betweenness centrality)."""
    from queries.network import brokers as brokers_query

    rows = brokers_query(_loaded(store_path, neo4j, include_rejected), top, status)
    columns = [
        Column("Aktör", lambda r: r.name),
        Column("Typ", lambda r: kind_label(r.kind.value)),
        Column("Mellanliggande (betweenness)", lambda r: r.betweenness),
        Column("Partner", lambda r: r.partners),
    ]
    _emit(rows, columns, format, "Brobyggare i nätverket", output=output, csv_style=csv_style)


@app.command(help="Grupper av aktörer som samverkar mer med varandra än med resten (Louvain).")
def communities(
    status: Optional[List[Status]] = StatusOption(),
    format: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """Groups of actors that cooperate more with each other than with the rest (Louvain)."""
    from queries.network import communities as communities_query

    rows = communities_query(_loaded(store_path, neo4j, include_rejected), status)
    columns = [
        Column("Nr", lambda r: r.number),
        Column("Antal", lambda r: r.size),
        Column("Aktörer", lambda r: "; ".join(r.members)),
    ]
    _emit(rows, columns, format, "Samverkansgrupperingar", output=output, csv_style=csv_style)


#: How many documents `show` lists on screen, most mentions first: a body named in
#: thousands of documents would fill the terminal with a table no one reads (CSV and JSON list all).
SHOW_DOCUMENTS = 20


@app.command(name="show", help="En aktörs profil: typ, andra namn, överordnat organ, partner, överenskommelser, projekt, dokument.")
def show_actor(
    name: str = typer.Argument(..., metavar="NAMN", help="En aktörs namn."),
    format: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """One actor's profile: kind, aliases, parent body, partners, agreements, projects, documents."""
    from queries.profile import profile as profile_query

    store = _loaded(store_path, neo4j, include_rejected)
    # Only JSON gives the partners' quotes and the actor's own evidence; read them only then.
    p = profile_query(store, _entity(store, name).id, quotes=None if format is OutputFormat.json else 0,
                      documents=SHOW_DOCUMENTS if format is OutputFormat.table and not output else None)
    if format is not OutputFormat.table or output:
        rows = [("partner", r.partner, relation_label(r.relation.value), status_label(r.status.value), r.via or "")
                for r in p.partners]
        rows += [("överenskommelse", v.name, "", status_label(v.status.value) if v.status else "", "")
                 for v in p.agreements]
        rows += [("projekt", v.name, kind_label(v.kind.value), status_label(v.status.value) if v.status else "", "")
                 for v in p.projects]
        rows += [("dokument", d.source, str(d.mentions), "", "") for d in p.documents]
        columns = [Column(h, (lambda i: lambda r: r[i])(i)) for i, h in
                   enumerate(["Slag", "Namn", "Samband/typ", "Status", "Via"])]
        _emit(rows, columns, format, p.entity.label, payload=p, output=output, csv_style=csv_style)
        return
    e = p.entity
    console.print(literal(e.label, style="bold") + literal(f" ({kind_label(e.kind.value)})"))
    if e.aliases:
        console.print(literal("Även kallad: " + ", ".join(e.aliases)))
    if p.parent:
        console.print(literal(f"Del av: {p.parent}"))
    if p.children:
        console.print(literal("Underordnade: " + ", ".join(p.children)))
    for key, value in sorted(e.attributes.items()):
        console.print(literal(f"{key}: {value}"))
    if p.partners:
        show(console, p.partners, [
            Column("Partner", lambda r: r.partner), Column("Samband", lambda r: relation_label(r.relation.value)),
            Column("Via", lambda r: r.via), Column("Status", lambda r: status_label(r.status.value)),
            Column("Källor", lambda r: r.sources)], format, "Partner")
    if p.agreements or p.projects:
        _vehicle_table(p.agreements + p.projects, format, "Överenskommelser och projekt")
    show(console, p.documents, [Column("Dokument", lambda d: d.source), Column("Titel", lambda d: d.title),
                                Column("Omnämnanden", lambda d: d.mentions)], format,
         "Nämns i" if len(p.documents) == p.document_count else f"Nämns i {p.document_count} dokument, oftast i")
    if len(p.documents) < p.document_count:
        console.print(f"… och {p.document_count - len(p.documents)} dokument till (alla med --format csv eller json).",
                      highlight=False, markup=False)


@app.command(help="Citaten bakom varje samband mellan A och B, med dokument, avsnitt och position.")
def evidence(
    a: str = typer.Argument(..., metavar="A", help="Den ena aktören."),
    b: str = typer.Argument(..., metavar="B", help="Den andra aktören."),
    min_confidence: float = MinConfidenceOption,
    as_of: Optional[str] = AsOfOption,
    format: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """The quotes behind every tie between A and B, with document, section and position."""
    from queries.profile import evidence_between as evidence_query

    store, ea, eb = _pair(store_path, neo4j, a, b, include_rejected)
    store = _at(store, as_of)
    quotes = evidence_query(store, ea.id, eb.id)
    if not quotes and format is OutputFormat.table and not output:
        console.print(literal(f"Inga belägg för samband mellan {ea.label} och {eb.label}."))
        return
    columns = [
        Column("Samband", lambda q: relation_label(q.relation.value)),
        Column("Status", lambda q: status_label(q.status)),
        Column("Via", lambda q: q.via),
        Column("Dokument", lambda q: Path(q.source).name),
        Column("Avsnitt", lambda q: q.section),
        Column("Position", lambda q: f"{q.start}–{q.end}"),
        Column("Citat", lambda q: q.sentence),
    ]
    if any(q.review for q in quotes) and (format is not OutputFormat.table or output):
        columns.append(Column("Granskning", lambda q: q.review))
    _emit(quotes, columns, format, f"Belägg: {ea.label} – {eb.label}", output=output, csv_style=csv_style)
    if format is OutputFormat.table and not output:
        _print_reviews((relation_label(q.relation.value), q.review) for q in quotes)


def _write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """The file whole or not at all; one line, not a traceback, when it cannot be written."""
    from graph.files import write_text_atomic

    _output(path, lambda: write_text_atomic(path, text, encoding=encoding))


@app.command(help="Skriv den interaktiva kartan som en fristående HTML-fil som öppnas utan nätverk.")
def view(
    output: Path = typer.Option(Path("karta.html"), "-o", "--output", help="HTML-filen som skrivs."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Rita bara denna aktörs grannskap."),
    depth: int = typer.Option(1, "--depth", min=1, max=6, help="Hur många steg från --focus."),
    status: Optional[List[Status]] = StatusOption(),
    title: str = typer.Option("Samverkanskarta", "--title", help="Kartans rubrik."),
    isolated: bool = typer.Option(False, "--all", help="Rita också aktörer som saknar samband."),
    min_confidence: float = MinConfidenceOption,
    as_of: Optional[str] = AsOfOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """Write the interactive map as one self-contained HTML file that opens offline."""
    from graph.collector import collector_paused
    from queries.documents import document_names
    from viz.render import load, quoted_documents, render

    store = _at(_loaded(store_path, neo4j, include_rejected), as_of)
    if focus:
        entity = _entity(store, focus)
        title = f"{title}: {entity.label}" if title == "Samverkanskarta" else title
    # The map's hundreds of thousands of objects have no cycles: the collector's rounds
    # over them were a third of the command's time.
    with collector_paused():
        graph = load(store, entity.id if focus else None, depth, set(status) if status else None, isolated,
                     min_confidence)
        if graph.number_of_nodes() == 0:
            errors.print("[yellow]Inget att rita med de valda filtren.[/yellow]")
            raise typer.Exit(1)
        # Only the documents the map quotes or counts are named (and dated) in it; every
        # actor is in its search index, so it can say which exist but have no ties.
        docs = store.documents(quoted_documents(graph))
        dates = {d.id: d.date for d in docs if d.date}
        # A focused or filtered map leaves ties out: its search tells an actor without ties
        # from one whose ties are not drawn.
        narrowed = bool(focus or status or min_confidence > 0)
        tied = {end for r in store.relations(evidence=False) for end in (r.source, r.target)} if narrowed else None
        out = _output(output, lambda: render(graph, document_names(docs), output, title=title, dates=dates,
                                             actors=store.entities(evidence=False), tied=tied))
    console.print(literal(f"Kartan skrevs till {out} ({graph.number_of_nodes()} noder, "
                          f"{graph.number_of_edges()} samband)."))


@app.command(help="Exportera grafen: JSON, GraphML/GEXF för Gephi och yEd, CSV, Excel eller Kumu.")
def export(
    format: ExportFormat = typer.Option(
        ExportFormat.json, "--format",
        help="json (för program), graphml eller gexf (Gephi, yEd), csv (Gephis nod- och sambandstabeller), "
             "xlsx (en Excel-arbetsbok: Aktörer, Samband, Belägg, Avtal och projekt, Matris) eller kumu "
             "(Kumus Elements och Connections, som .xlsx eller med ett .csv-namn som två CSV-filer)."),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output",
        help="Filen som skrivs (csv: NAMN.nodes.csv och NAMN.edges.csv); json skrivs till terminalen utan -o."),
    min_confidence: float = typer.Option(
        0.0, "--min-confidence", min=0.0, max=1.0,
        help="Exportera bara samband som lästs med minst denna säkerhet (0–1); alla aktörer och dokument följer med."),
    as_of: Optional[str] = AsOfOption,
    csv_style: CsvStyle = CsvOption,
    include_rejected: bool = IncludeRejectedOption,
    store_path: Optional[Path] = StoreOption,
    neo4j: Optional[str] = NeoOption,
) -> None:
    """Export the graph: JSON (contract in docs/EXPORT.md), GraphML/GEXF for Gephi and yEd, CSV, Excel, Kumu."""
    from graph.collector import collector_paused
    from queries.export import export_json, write_export

    store = _at(_open_store(store_path, neo4j, include_rejected=include_rejected), as_of)
    if format is ExportFormat.json:
        with collector_paused():  # the whole graph as records and dicts, without cycles
            text = json_text(export_json(store, min_confidence))  # json.dumps(indent=1)'s text, faster
        if output is None:
            sys.stdout.write(text + "\n")
            return
        _write_atomic(output, text)
        console.print(literal(f"Exporterade till {output}."))
        return
    if output is None:
        errors.print(f"[red]Ange en fil med -o för formatet {format.value}.[/red]")
        raise typer.Exit(2)
    with collector_paused():
        written = _output(output, lambda: write_export(store, format.value, output, min_confidence, csv_style))
    console.print(literal("Exporterade till " + ", ".join(str(p) for p in written) + "."))


@app.command(help="Bygg de svenska språkmodellerna en gång (ungefär en minut); ingest gör det också när de saknas.")
def setup() -> None:
    """Build the Swedish language models once (about a minute); ingest does it too when they are missing."""
    from loaders.language.swedish import LanguageUnavailable, build_models, model_dir, models_ready

    if models_ready():
        console.print(literal(f"Språkmodellerna finns redan i {model_dir()}."))
        return
    try:
        build_models(progress=console.print)
    except LanguageUnavailable as exc:
        _error(str(exc))
        raise typer.Exit(1)


@app.command()
def search(
    words: str = typer.Argument(..., metavar="ORD", help="Ord att söka efter i citaten; början av ett ord räcker "
                                          "('överenskommelse' hittar 'överenskommelsen')."),
    limit: int = typer.Option(20, "--limit", min=1, help="Visa högst så många citat."),
    format: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    csv_style: CsvStyle = CsvOption,
    store_path: Optional[Path] = StoreOption,
) -> None:
    """Sök i beläggens citat: meningarna och dokumenten som nämner orden, med aktörerna i varje mening."""
    store = _loaded(store_path)
    if not hasattr(store, "search"):
        errors.print("[red]Fel:[/red] sökning i citaten kräver en SQLite-graf; konvertera den med "
                     "samverkan store migrate GAMMAL.json NY.sqlite")
        raise typer.Exit(2)
    from graph.sqlite import SEARCH_RANKED

    hits = store.search(words, limit)
    if not hits and format is OutputFormat.table and not output:
        console.print(literal(f"Inga citat nämner ”{words}”."))
        return
    columns = [
        Column("Citat", lambda h: h.sentence),
        Column("Dokument", lambda h: Path(h.source).name),
        Column("Avsnitt", lambda h: h.section),
        Column("Aktörer", lambda h: "; ".join(h.actors)),
    ]
    title = f"Citat som nämner ”{words}”"
    matches = store.search_count(words) if len(hits) == limit else len(hits)
    if matches > len(hits):
        title += f": de {len(hits)} bästa av {_number(matches)}"
        if matches > SEARCH_RANKED:
            title += (f", bland de {_number(SEARCH_RANKED)} senast inlästa; "
                      f"fler ord eller hela ord ger färre och bättre träffar")
    _emit(hits, columns, format, title, output=output, csv_style=csv_style)


def _number(n: int) -> str:
    """A count as Swedish writes it: groups of three digits apart (225 600)."""
    return f"{n:,}".replace(",", "\u00a0")


store_app = typer.Typer(no_args_is_help=True, help="Grafens fil: konvertera en äldre JSON-graf till SQLite.")
app.add_typer(store_app, name="store")


@store_app.command("migrate")
def store_migrate(
    old: Path = typer.Argument(..., metavar="GAMMAL", help="Den äldre grafen (JSON, samverkan-store/1 eller /2)."),
    new: Path = typer.Argument(..., metavar="NY", help="Den nya SQLite-filen; den får inte redan finnas."),
) -> None:
    """Konvertera en JSON-graf till en ny SQLite-graf; den gamla filen lämnas orörd."""
    from graph.sqlite import migrate
    from graph.storefile import StoreError

    try:
        stats = migrate(old, new)
    except StoreError as exc:
        _error(str(exc))
        raise typer.Exit(2)
    console.print(literal(f"{new}: {stats.documents} dokument, {stats.entities} aktörer, {stats.relations} samband "
                          f"och {stats.evidence} belägg konverterades från {old}."))


review_app = typer.Typer(
    no_args_is_help=True,
    help="Granskning: bekräfta, avvisa och rätta samband, slå ihop, dela och byt namn på aktörer. Uttalandena "
         "sparas bredvid de inlästa uppgifterna, gäller i alla frågor, exporter och kartan och finns kvar när "
         "dokumenten läses in igen.")
app.add_typer(review_app, name="review")


def _relation_type(value):
    """--typ: a Swedish word (samverkar, part i, deltar i ...) or the code; imported when given."""
    from graph.review import parse_relation_type

    return parse_relation_type(value)


ByOption = typer.Option(..., "--by", "--av", metavar="NAMN", help="Vem som gör uttalandet (krävs).")
NoteOption = typer.Option("", "--note", "--not", help="Varför: en anteckning som visas med sambandet.")
DateOption = typer.Option(None, "--date", "--datum", metavar="ÅÅÅÅ-MM-DD", help="Uttalandets datum (standard: i dag).")
TypeOption = typer.Option(None, "--type", "--typ", parser=_relation_type, metavar="TYP",
                          help="Sambandets typ när paret har samband av flera typer (samverkar, part i, deltar i ...).")


def _review_store(store_path: Optional[Path], neo4j: Optional[str]):
    """The store to write the statement to, and the reviewed view its actors and ties are
    looked up in (rejected ties too: they can be confirmed again)."""
    from graph.reviewed import ReviewedStore

    raw = _open_store(store_path, neo4j, reviewed=False)
    _need_data(raw)
    return raw, ReviewedStore(raw, raw.statements(), include_rejected=True)


def _refused(exc: Exception) -> None:
    _error(str(exc))
    raise typer.Exit(1)


def _keep_statement(raw, make, view=None) -> None:
    """Make the statement (a ReviewError or a wrong date is one line), keep it beside the
    records and say what it says (with `view`'s name for a via)."""
    from graph.review import review_line
    from graph.storefile import StoreError
    from queries.review import ReviewError

    try:
        statement = make()
    except (ReviewError, ValueError) as exc:
        _refused(exc)
    try:
        raw.add_statement(statement)
        raw.save()
    except (StoreError, OSError) as exc:
        _error(f"kan inte spara uttalandet i {raw.path}: {exc}")
        raise typer.Exit(2)
    names = {i: n.label for i, n in view.names([statement.value]).items()} if view and statement.value else {}
    console.print(literal(f"Sparat {statement.id}: {review_line([statement], names)}"), soft_wrap=True)


def _tie_statement(action: str, a: str, b: str, type_, by: str, note: str, date: Optional[str],
                   store_path: Optional[Path], neo4j: Optional[str], value_of=None) -> None:
    """confirm, reject, status and via: a statement about the existing tie between A and B."""
    from graph.review import make_statement
    from queries.review import find_tie

    raw, view = _review_store(store_path, neo4j)
    ea, eb = _entity(view, a), _entity(view, b)

    def make():
        source, target, found_type = find_tie(view, ea, eb, type_)
        value = value_of(view) if value_of else None
        return make_statement(action, source, by, target=target, type_=found_type, value=value, note=note,
                              date=date)

    _keep_statement(raw, make, view)


@review_app.command("confirm")
def review_confirm(a: str = typer.Argument(..., metavar="A", help="Den ena aktören."),
                   b: str = typer.Argument(..., metavar="B", help="Den andra aktören."),
                   type_: Optional[RelationType] = TypeOption, by: str = ByOption, note: str = NoteOption,
                   date: Optional[str] = DateOption,
                   store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Bekräfta sambandet mellan A och B: det stämmer."""
    _tie_statement("confirm", a, b, type_, by, note, date, store_path, neo4j)


@review_app.command("reject")
def review_reject(a: str = typer.Argument(..., metavar="A", help="Den ena aktören."),
                  b: str = typer.Argument(..., metavar="B", help="Den andra aktören."),
                  type_: Optional[RelationType] = TypeOption, by: str = ByOption, note: str = NoteOption,
                  date: Optional[str] = DateOption,
                  store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Avvisa sambandet mellan A och B: det döljs i frågor, exporter och kartan (visas med --include-rejected)."""
    _tie_statement("reject", a, b, type_, by, note, date, store_path, neo4j)


@review_app.command("status")
def review_status(a: str = typer.Argument(..., metavar="A", help="Den ena aktören."),
                  b: str = typer.Argument(..., metavar="B", help="Den andra aktören."),
                  status: Status = typer.Argument(..., parser=parse_status, metavar="NY_STATUS",
                                                  help=f"Rätt status: {choice_list(Status)}."),
                  type_: Optional[RelationType] = TypeOption, by: str = ByOption, note: str = NoteOption,
                  date: Optional[str] = DateOption,
                  store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Rätta sambandets status (befintlig, planerad, föreslagen, avslagen, avslutad)."""
    _tie_statement("status", a, b, type_, by, note, date, store_path, neo4j, value_of=lambda _: status.value)


@review_app.command("via")
def review_via(a: str = typer.Argument(..., metavar="A", help="Den ena aktören."),
               b: str = typer.Argument(..., metavar="B", help="Den andra aktören."),
               via: str = typer.Argument(..., metavar="AVTAL", help="Överenskommelsen, projektet eller gruppen."),
               type_: Optional[RelationType] = TypeOption, by: str = ByOption, note: str = NoteOption,
               date: Optional[str] = DateOption,
               store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Rätta vad A och B samverkar genom (en överenskommelse, ett projekt, en grupp)."""
    _tie_statement("via", a, b, type_, by, note, date, store_path, neo4j, value_of=lambda view: _entity(view, via).id)


@review_app.command("merge")
def review_merge(a: str = typer.Argument(..., metavar="A", help="Aktören som behålls."),
                 b: str = typer.Argument(..., metavar="B", help="Aktören som är samma organ som A."),
                 by: str = ByOption, note: str = NoteOption, date: Optional[str] = DateOption,
                 store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Slå ihop två aktörer som är samma organ: B:s namn, belägg och samband blir A:s."""
    from graph.review import make_statement
    from queries.review import check_merge

    raw, view = _review_store(store_path, neo4j)
    ea, eb = _entity(view, a), _entity(view, b)

    def make():
        check_merge(ea, eb)
        return make_statement("merge", ea.id, by, target=eb.id, note=note, date=date)

    _keep_statement(raw, make)


@review_app.command("split")
def review_split(actor: str = typer.Argument(..., metavar="AKTÖR", help="Aktören som fått ett namn för mycket."),
                 name: str = typer.Argument(..., metavar="NAMN", help="Namnet som är en egen aktör."),
                 by: str = ByOption, note: str = NoteOption, date: Optional[str] = DateOption,
                 store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Dela av ett felaktigt ihopslaget namn som en egen aktör, med de samband och omnämnanden vars citat nämner det."""
    from queries.review import check_split

    _name_statement("split", check_split, actor, name, by, note, date, store_path, neo4j)


@review_app.command("rename")
def review_rename(actor: str = typer.Argument(..., metavar="AKTÖR", help="Aktören."),
                  name: str = typer.Argument(..., metavar="NYTT_NAMN", help="Aktörens rätta namn."),
                  by: str = ByOption, note: str = NoteOption, date: Optional[str] = DateOption,
                  store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Byt namn på en aktör; det gamla namnet blir ett annat namn för den."""
    from queries.review import check_rename

    _name_statement("rename", check_rename, actor, name, by, note, date, store_path, neo4j)


def _name_statement(action: str, check, actor: str, name: str, by: str, note: Optional[str], date: Optional[str],
                    store_path: Optional[Path], neo4j: Optional[str]) -> None:
    """split and rename: a statement that gives one actor's name a new place (checked first)."""
    from graph.review import make_statement

    raw, view = _review_store(store_path, neo4j)
    entity = _entity(view, actor)

    def make():
        check(entity, name)
        return make_statement(action, entity.id, by, value=name.strip(), note=note, date=date)

    _keep_statement(raw, make)


@review_app.command("add")
def review_add(a: str = typer.Argument(..., metavar="A", help="Den ena aktören."),
               b: str = typer.Argument(..., metavar="B", help="Den andra aktören (för part i/deltar i: överenskommelsen eller projektet)."),
               type_: RelationType = typer.Option("samverkar", "--type", "--typ", parser=_relation_type, metavar="TYP",
                                  help="Sambandets typ: samverkar (standard), part i, deltar i, samlokaliserad ..."),
               status: Status = typer.Option("befintlig", "--status", parser=parse_status, metavar="STATUS",
                                             help=f"Sambandets status: {choice_list(Status)}."),
               note: str = typer.Option(..., "--note", "--not", help="Vad som sagts om sambandet (krävs)."),
               reference: str = typer.Option(..., "--source", "--källa",
                                             help="Var det står eller sades: ett dokument, ett möte, en person (krävs)."),
               by: str = ByOption, date: Optional[str] = DateOption,
               store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Lägg till ett samband som dokumenten inte visar: en persons uppgift, med anteckning och källa."""
    from graph.review import make_statement

    raw, view = _review_store(store_path, neo4j)
    ea, eb = _entity(view, a), _entity(view, b)

    def make():
        from queries.review import ReviewError

        if ea.id == eb.id:
            raise ReviewError(f"{ea.label} kan inte samverka med sig själv.")
        return make_statement("add", ea.id, by, target=eb.id, type_=type_, value=status.value, note=note,
                              reference=reference, date=date)

    _keep_statement(raw, make)


@review_app.command("list")
def review_list(format: OutputFormat = FormatOption, output: Optional[Path] = OutputOption,
                csv_style: CsvStyle = CsvOption, store_path: Optional[Path] = StoreOption,
                neo4j: Optional[str] = NeoOption) -> None:
    """Alla granskningsuttalanden, i den ordning de gjordes."""
    from queries.review import describe

    raw, view = _review_store(store_path, neo4j)
    rows = describe(view, raw.statements())
    if not rows and format is OutputFormat.table and not output:
        console.print("Inga granskningsuttalanden ännu.", highlight=False)
        return
    _emit(rows, [Column("Id", lambda r: r.id), Column("Datum", lambda r: r.date), Column("Av", lambda r: r.by),
                 Column("Uttalande", lambda r: r.statement), Column("Anteckning", lambda r: r.note),
                 Column("Källa", lambda r: r.reference)],
          format, "Granskning", output=output, csv_style=csv_style)


@review_app.command("remove")
def review_remove(statement_id: str = typer.Argument(..., metavar="ID", help="Uttalandets id (eller början av det)."),
                  store_path: Optional[Path] = StoreOption, neo4j: Optional[str] = NeoOption) -> None:
    """Ta tillbaka ett uttalande; de inlästa uppgifterna gäller då som förut."""
    from queries.review import ReviewError, find_statement

    raw = _open_store(store_path, neo4j, reviewed=False)
    try:
        statement = find_statement(raw.statements(), statement_id.strip())
    except ReviewError as exc:
        _refused(exc)
    raw.remove_statement(statement.id)
    raw.save()
    console.print(literal(f"Uttalandet {statement.id} togs bort."))


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


@app.command(name="eval", help="Mät extraktionen mot en handgjord referensannotering, per dokument och totalt.")
def eval_(
    gold: Path = typer.Argument(..., metavar="REFERENS", help="En referensannotering i formatet samverkan-gold/1 (se GOLD_FORMAT.md)."),
    paths: List[Path] = typer.Argument(..., metavar="SÖKVÄG", help="De annoterade dokumenten, eller mappar med dem."),
    format: ReportFormat = typer.Option(ReportFormat.table, "--format", help="table eller json."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Skriv också rapporten som JSON hit."),
    details: bool = typer.Option(False, "--details", help="Lista missade och extra aktörer och samband."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                                         help="Räkna bara samband som lästs med minst denna säkerhet (0–1)."),
) -> None:
    """Score extraction against a hand-made reference annotation, per document and overall."""
    from loaders.evaluate import GoldError, evaluate, report
    from loaders.pipeline import extract_file
    from loaders.reading.read import LoaderError, iter_files

    files = {path.name: path for path, problem in iter_files(paths) if problem is None}
    try:
        scores, total, missing = evaluate(gold, files, extract_file, min_confidence)
    except (GoldError, LoaderError) as exc:
        _error(str(exc))
        raise typer.Exit(2)
    for name in missing:
        errors.print(literal(f"Saknas bland filerna: {name}", style="yellow"))
    data = report(scores, total)
    if output:
        _write_atomic(output, json.dumps(data, ensure_ascii=False, indent=1))
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title="Utvärdering mot referensannotering")
    for column in ("Dokument", "Aktörer P/R/F1", "Par F1", "Status F1", "Befintliga F1 (huvudmått)"):
        table.add_column(column, overflow="fold")
    for s in [*scores, *([total] if total else [])]:
        table.add_row(
            Text(plain(s.document)),
            f"{s.actors.precision:.2f}/{s.actors.recall:.2f}/{s.actors.f1:.2f}",
            f"{s.pairs.f1:.2f}",
            f"{s.status.f1:.2f}",
            f"{s.existing.f1:.2f} ({s.existing.true_positives}/{s.existing.predicted} av {s.existing.gold})",
        )
    console.print(table)
    if total:
        console.print("Raden 'totalt' är mikromedelvärden: summan av träffar, förutsägelser och "
                      "referensrader över alla dokument.", highlight=False)
    if details:
        for s in scores:
            console.print(literal(s.document, style="bold"))
            for label, items in (("Missade aktörer", s.missed_actors), ("Extra aktörer", s.extra_actors),
                                 ("Missade befintliga samband", s.missed_existing),
                                 ("Extra befintliga samband", s.extra_existing)):
                console.print(literal(f"  {label}: " + ("; ".join(items) or "–")), soft_wrap=True)


# Usage lines in Swedish too: "samverkan partners [FLAGGOR] NAMN", "samverkan [FLAGGOR] KOMMANDO [ARGUMENT]...".
for _typer in (app, store_app, review_app):
    _typer.info.options_metavar = "[FLAGGOR]"
    _typer.info.subcommand_metavar = "KOMMANDO [ARGUMENT]..."
    for _command in _typer.registered_commands:
        _command.options_metavar = "[FLAGGOR]"
    for _group in _typer.registered_groups:
        _group.options_metavar = "[FLAGGOR]"
        _group.subcommand_metavar = "KOMMANDO [ARGUMENT]..."

if __name__ == "__main__":
    app()
