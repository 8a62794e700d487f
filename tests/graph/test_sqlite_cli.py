"""The command line on the SQLite store: the default path, old JSON stores, search, migrate."""

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.memory import MemoryStore
from graph.sqlite import SQLiteStore, is_sqlite_file
from samverkan import app
from tests.conftest import EXAMPLES

runner = CliRunner()
WIDE = {"COLUMNS": "250"}


def write_documents(folder: Path, count: int, tag: str) -> Path:
    """`count` small documents that each name a cooperation of their own."""
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"{tag.lower()}{n}.txt").write_text(
            f"Tjänsteutlåtande {tag} {n}\n\nUppsala kommun samverkar med Polisregion Mitt i projektet "
            f"{tag}{n} sedan 2020. Region Uppsala deltar i projektet {tag}{n}.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder where the examples were ingested with no --store: the default store."""
    folder = tmp_path_factory.mktemp("ws")
    here = Path.cwd()
    os.chdir(folder)
    try:
        result = runner.invoke(app, ["ingest", str(EXAMPLES)])
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def json_store(tmp_path_factory):
    """The examples in an old-style JSON store."""
    path = tmp_path_factory.mktemp("json") / "g.json"
    assert runner.invoke(app, ["ingest", str(EXAMPLES), "--store", str(path)]).exit_code == 0
    return path


def test_the_default_store_is_sqlite(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    store = workspace / ".samverkan" / "graph.sqlite"
    assert is_sqlite_file(store)
    assert not (workspace / ".samverkan" / "graph.json").exists()
    result = runner.invoke(app, ["partners", "Polisregion Stockholm"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Stockholms stad" in result.output and "Belägg" in result.output


def test_reingesting_into_sqlite_changes_nothing(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    before = SQLiteStore(workspace / ".samverkan" / "graph.sqlite").dump()
    assert runner.invoke(app, ["ingest", str(EXAMPLES)]).exit_code == 0
    assert SQLiteStore(workspace / ".samverkan" / "graph.sqlite").dump() == before


def test_sqlite_and_json_stores_answer_alike(workspace, monkeypatch, json_store):
    monkeypatch.chdir(workspace)
    old = json_store
    assert MemoryStore(old).dump() == SQLiteStore(workspace / ".samverkan" / "graph.sqlite").dump()
    for command in (["partners", "Polisregion Stockholm"], ["between", "Kriminalvården", "Polisregion Stockholm"],
                    ["show", "Kriminalvården"], ["evidence", "Kriminalvården", "Polisregion Stockholm"],
                    ["agreements"], ["brokers"], ["communities"], ["matrix"]):
        on_sqlite = runner.invoke(app, [*command, "--format", "json"])
        on_json = runner.invoke(app, [*command, "--format", "json", "--store", str(old)])
        assert on_sqlite.exit_code == 0 and on_sqlite.output == on_json.output, command
    on_sqlite, on_json = runner.invoke(app, ["actors"], env=WIDE), runner.invoke(app, ["actors", "--store", str(old)], env=WIDE)
    assert on_sqlite.exit_code == 0 and on_sqlite.output == on_json.output


def test_view_and_export_read_the_sqlite_store(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    assert runner.invoke(app, ["view", "-o", "karta.html"]).exit_code == 0
    assert (workspace / "karta.html").stat().st_size > 10_000
    assert runner.invoke(app, ["export", "--format", "gexf", "-o", "g.gexf"]).exit_code == 0


def test_search_lists_quotes_documents_and_actors(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    result = runner.invoke(app, ["search", "överenskommelse"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Citat som nämner" in result.output and "Aktörer" in result.output
    assert "000_dcc03598cb1e7b7d.txt" in result.output
    nothing = runner.invoke(app, ["search", "Fjällräddningen"])
    assert nothing.exit_code == 0 and "Inga citat nämner" in nothing.output
    as_json = runner.invoke(app, ["search", "Kriminalvården", "--format", "json", "--limit", "2"])
    assert as_json.exit_code == 0 and as_json.output.count('"sentence"') == 2


def test_search_says_how_many_quotes_match_beyond_those_shown(workspace, monkeypatch):
    import graph.sqlite

    monkeypatch.chdir(workspace)
    shown = runner.invoke(app, ["search", "överenskommelse", "--limit", "1"], env=WIDE)
    assert shown.exit_code == 0 and "de 1 bästa av " in shown.output and "senast inlästa" not in shown.output
    monkeypatch.setattr(graph.sqlite, "SEARCH_RANKED", 1)
    bounded = runner.invoke(app, ["search", "överenskommelse", "--limit", "1"], env=WIDE)
    assert "bland de 1 senast inlästa" in bounded.output


def test_search_on_a_json_store_says_what_to_do(json_store):
    result = runner.invoke(app, ["search", "samverkan", "--store", str(json_store)], env=WIDE)
    assert result.exit_code == 2 and "store migrate" in result.output


def test_store_migrate_converts_and_refuses_to_overwrite(tmp_path, json_store):
    old, new = json_store, tmp_path / "ny.sqlite"
    result = runner.invoke(app, ["store", "migrate", str(old), str(new)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "konverterades" in result.output
    assert SQLiteStore(new).dump() == MemoryStore(old).dump()
    again = runner.invoke(app, ["store", "migrate", str(old), str(new)], env=WIDE)
    assert again.exit_code == 2 and "finns redan" in again.output


def test_an_old_default_json_store_is_pointed_out(tmp_path, monkeypatch, json_store):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".samverkan").mkdir()
    (tmp_path / ".samverkan" / "graph.json").write_bytes(json_store.read_bytes())
    result = runner.invoke(app, ["actors"], env=WIDE)
    assert result.exit_code == 1 and "store migrate .samverkan/graph.json" in result.output


def test_a_json_store_under_another_name_is_still_read(tmp_path, json_store):
    renamed = tmp_path / "graf.data"
    renamed.write_bytes(json_store.read_bytes())
    result = runner.invoke(app, ["actors", "--store", str(renamed)])
    assert result.exit_code == 0 and "Kriminalvården" in result.output


def test_a_question_to_a_missing_store_creates_nothing(tmp_path):
    result = runner.invoke(app, ["actors", "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1 and "Grafen är tom" in result.output
    assert list(tmp_path.iterdir()) == []


def test_ingest_with_jobs_writes_batches_and_the_same_graph(tmp_path, monkeypatch):
    import samverkan

    folder = write_documents(tmp_path / "docs", 7, "batch")
    batches: list[int] = []
    original = SQLiteStore.add_many

    def counted(self, extractions):
        extractions = list(extractions)
        batches.append(len(extractions))
        original(self, extractions)

    monkeypatch.setattr(SQLiteStore, "add_many", counted)
    monkeypatch.setattr(samverkan, "INGEST_BATCH", 3)
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    assert runner.invoke(app, ["ingest", str(folder), "--jobs", "1", "--store", str(one)]).exit_code == 0
    assert batches == []  # one transaction per document
    assert runner.invoke(app, ["ingest", str(folder), "--jobs", "2", "--store", str(two)]).exit_code == 0
    assert sum(batches) == 7 and max(batches) == 3
    assert SQLiteStore(one).dump() == SQLiteStore(two).dump()


def test_show_lists_the_first_documents_on_screen_and_all_in_csv(workspace, monkeypatch):
    import samverkan

    store = str(workspace / ".samverkan" / "graph.sqlite")
    graph = SQLiteStore(store)
    counts = {name.id: len(graph.mentions(name.id)) for name in graph.names().values()}
    busiest = graph.names([max(counts, key=lambda i: (counts[i], i))])
    (name,) = busiest.values()
    assert counts[name.id] > 1  # the examples name some body in several documents
    monkeypatch.setattr(samverkan, "SHOW_DOCUMENTS", 1)
    csv = runner.invoke(app, ["show", name.id, "--format", "csv", "--store", store])
    # Swedish Excel's CSV (see queries/present.py): ';' between cells
    listed = [line for line in csv.output.splitlines() if line.lstrip("\ufeff").startswith("dokument;")]
    assert len(listed) == counts[name.id]
    screen = runner.invoke(app, ["show", name.id, "--store", store], env={"COLUMNS": "200"})
    assert screen.exit_code == 0, screen.output
    assert f"Nämns i {len(listed)} dokument, oftast i" in screen.output
    assert f"… och {len(listed) - 1} dokument till" in screen.output
