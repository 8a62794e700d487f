"""The command line as a user drives it, through typer's CliRunner."""

import json
import re

import pytest
from typer.testing import CliRunner

from samverkan import app
from tests.conftest import EXAMPLES
from viz.render import external_references

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "graph.json"
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_ingest_prints_what_it_found(store):
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--store", str(store)])
    assert result.exit_code == 0
    assert "000_dcc03598cb1e7b7d.txt" in result.output and "Aktörer" in result.output


def test_reingesting_changes_nothing(store):
    before = store.read_text(encoding="utf-8")
    runner.invoke(app, ["ingest", str(EXAMPLES), "--store", str(store)])
    assert store.read_text(encoding="utf-8") == before


def test_partners_of_the_police_region_name_the_city_with_agreement_and_quote(store):
    result = runner.invoke(app, ["partners", "Polisregion Stockholm", "--store", str(store)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Stockholms stad" in result.output
    assert "samverkansöverenskommelse" in result.output.lower()
    assert "I slutet av 2019 tecknade staden och Polisregion Stockholm" in result.output


def test_partner_rows_are_numbered_in_order_for_their_quotes(store):
    args = ["partners", "Stockholms stad", "--store", str(store)]
    rows = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    table = runner.invoke(app, args, env={"COLUMNS": "250"}).output
    numbers = [int(m) for m in re.findall(r"^│ (\d+)\s+│", table, flags=re.MULTILINE)]
    assert len(rows) >= 2 and numbers == list(range(1, len(rows) + 1))
    assert f"  [{len(rows)}] ”" in table  # the last row's quote carries its number


def test_unknown_name_suggests_the_nearest(store):
    result = runner.invoke(app, ["partners", "Fjällräddningen i Kiruna", "--store", str(store)])
    assert result.exit_code == 1
    # Nothing resembles it: no unrelated names are offered (issue 18).
    assert "Hittar ingen aktör" in result.output and "inget liknande namn" in result.output
    near = runner.invoke(app, ["partners", "Kriminalvårdsverket", "--store", str(store)])
    assert near.exit_code == 1 and "Menade du: Kriminalvården?" in near.output


def test_actors_lists_kinds_in_swedish(store):
    result = runner.invoke(app, ["actors", "--store", str(store)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Kriminalvården" in result.output and "Myndighet" in result.output


def test_view_writes_an_offline_map(store, tmp_path):
    out = tmp_path / "karta.html"
    result = runner.invoke(app, ["view", "-o", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "vis-network" in page
    assert "Kriminalvården" in page or "Kriminalv\\u00e5rden" in page
    assert external_references(page) == []


def test_export_json_contract(store, tmp_path):
    out = tmp_path / "graf.json"
    result = runner.invoke(app, ["export", "--format", "json", "-o", str(out), "--store", str(store)])
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"entities", "relations", "documents"} <= set(data)
    assert {"id", "name", "kind", "aliases", "label", "attributes"} <= set(data["entities"][0])
    assert any(e["attributes"].get("municipality") == "Stockholms stad" and e["label"].endswith("(Stockholms stad)")
               for e in data["entities"])
    rel = data["relations"][0]
    assert {"source", "target", "type", "status", "evidence"} <= set(rel)
    assert {"document", "section", "sentence", "start", "end"} <= set(rel["evidence"][0])
    ids = {e["id"] for e in data["entities"]}
    assert all(r["source"] in ids and r["target"] in ids and r["evidence"] for r in data["relations"])


def test_bad_files_are_reported_and_the_rest_is_ingested(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("Uppsala kommun och Polisregion Mitt samverkar.", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4")
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    path = tmp_path / "g.json"
    result = runner.invoke(app, ["ingest", str(docs), "--store", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    for name, problem in [("empty.txt", "tom"), ("binary.txt", "binärfil"), ("scan.pdf", "PDF"),
                          ("old.doc", "läses inte")]:
        assert name in result.output and problem in result.output
    assert "Polisregion Mitt" in path.read_text(encoding="utf-8")


def test_a_failed_run_keeps_the_stored_graph(store, tmp_path):
    before = store.read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(bad), "--store", str(store)])
    assert result.exit_code == 1
    assert store.read_text(encoding="utf-8") == before


def test_empty_graph_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["actors", "--store", str(tmp_path / "none.json")])
    assert result.exit_code == 1 and "samverkan ingest" in result.output


GOLD = EXAMPLES.parents[1] / "shared" / "gold" / "seeds.json"


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold/seeds.json is not beside the repository")
def test_eval_meets_the_quality_bar_on_the_examples(tmp_path):
    """The bar of issue 3: status-aware F1 over existing ties >= 0.85, actor F1 >= 0.90, per document."""
    out = tmp_path / "eval.json"
    result = runner.invoke(app, ["eval", str(GOLD), str(EXAMPLES), "-o", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["documents"]) == 2
    for doc in report["documents"]:
        assert doc["actors"]["f1"] >= 0.90, doc["document"]
        assert doc["existing_status_f1"]["f1"] >= 0.85, doc["document"]


def test_eval_names_a_bad_gold_file(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad), str(EXAMPLES)])
    assert result.exit_code == 2 and "gold.json" in result.output


@pytest.mark.parametrize(
    "args, expected",
    [
        (["between", "Kriminalvården", "Polismyndigheten"], "Trefas"),
        (["between", "Kriminalvården", "Polisregion Stockholm"], "→"),
        (["agreements"], "RK 2020/196"),
        (["projects"], "Trefas"),
        (["brokers"], "Polismyndigheten"),
        (["communities"], "Lokalpolisområde Rinkeby"),
        (["show", "Kriminalvården"], "Trefas"),
        (["evidence", "Stockholms stad", "Polisregion Stockholm"], "tecknade"),
        (["matrix", "--format", "table", "--kind", "agency"], "Kriminalvården"),
    ],
)
def test_queries_answer_on_the_examples(store, args, expected):
    result = runner.invoke(app, [*args, "--store", str(store)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert expected in result.output


@pytest.mark.parametrize("command", [["partners", "Kriminalvården"], ["agreements"], ["brokers"],
                                     ["evidence", "Kriminalvården", "Polismyndigheten"]])
def test_json_and_csv_output(store, command):
    as_json = runner.invoke(app, [*command, "--format", "json", "--store", str(store)])
    assert as_json.exit_code == 0 and isinstance(json.loads(as_json.output), list)
    as_csv = runner.invoke(app, [*command, "--format", "csv", "--store", str(store)])
    assert as_csv.exit_code == 0 and len(as_csv.output.splitlines()) >= 2


def test_matrix_csv_file_and_exports(store, tmp_path):
    out = tmp_path / "matris.csv"
    assert runner.invoke(app, ["matrix", "-o", str(out), "--store", str(store)]).exit_code == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Aktör;") and "Kriminalvården" in header
    for fmt, files in [("graphml", ["g.graphml"]), ("gexf", ["g.gexf"]), ("csv", ["g.nodes.csv", "g.edges.csv"])]:
        target = tmp_path / (files[0] if fmt != "csv" else "g")
        result = runner.invoke(app, ["export", "--format", fmt, "-o", str(target), "--store", str(store)])
        assert result.exit_code == 0, result.output
        assert all((tmp_path / f).exists() for f in files)


def test_unknown_name_in_between_is_clear(store):
    result = runner.invoke(app, ["between", "Kriminalvården", "Finlands polis", "--store", str(store)])
    assert result.exit_code == 1 and "Hittar ingen aktör" in result.output


def test_view_focus_depth_and_status(store, tmp_path):
    out = tmp_path / "ego.html"
    result = runner.invoke(app, ["view", "--focus", "Kriminalvården", "--depth", "1", "-o", str(out),
                                 "--store", str(store)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    data = json.loads(page.split('<script id="samverkan-data" type="application/json">')[1].split("</script>")[0])
    drawn = {row[data["nodeFields"].index("id")] for row in data["nodes"]}
    assert "kriminalvarden" in drawn and "lokalpolisomrade-rinkeby" not in drawn
    out2 = tmp_path / "befintlig.html"
    assert runner.invoke(app, ["view", "--status", "existing", "-o", str(out2), "--store", str(store)]).exit_code == 0
    page2 = out2.read_text(encoding="utf-8")
    data2 = json.loads(page2.split('<script id="samverkan-data" type="application/json">')[1].split("</script>")[0])
    assert {s for e in data2["edges"] for s in e[data2["edgeFields"].index("statuses")]} == {"existing"}


def test_bodies_of_different_municipalities_are_told_apart_by_name(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "hbg.txt").write_text("Helsingborgs stad\n\nSocialförvaltningen i Helsingborgs stad samarbetar med "
                                    "Kriminalvården sedan 2019.", encoding="utf-8")
    (folder / "orebro.txt").write_text("Örebro kommun\n\nSocialförvaltningen i Örebro kommun samarbetar med "
                                       "Arbetsförmedlingen sedan 2020.", encoding="utf-8")
    store = tmp_path / "g.json"
    assert runner.invoke(app, ["ingest", str(folder), "--store", str(store)]).exit_code == 0
    listed = runner.invoke(app, ["actors", "--store", str(store)]).output
    assert "Socialförvaltningen (Helsingborgs" in listed and "Socialförvaltningen (Örebro" in listed
    ambiguous = runner.invoke(app, ["partners", "Socialförvaltningen", "--store", str(store)])
    assert ambiguous.exit_code != 0 and "Socialförvaltningen (Örebro kommun)" in " ".join(ambiguous.output.split())
    chosen = runner.invoke(app, ["partners", "socialförvaltningen (örebro kommun)", "--store", str(store)])
    assert chosen.exit_code == 0 and "Arbetsförmedlingen" in chosen.output and "Kriminalvården" not in chosen.output


# --- text from documents and file names is shown as text ------------------------------------

MARKUP_PROJECT = "Trygg [/x]"
ODD_PROJECT = "Stark :x: [bold]vän\x1b[31m"
MARKUP_FILE = "[red]markup[:x].txt"


@pytest.fixture()
def odd_store(tmp_path):
    """A store whose names, quotes and file names hold rich markup, an emoji code and escape sequences."""
    from graph.model import Kind, RelationType, Status
    from graph.sqlite import SQLiteStore
    from tests.helpers import entity, extraction

    path = tmp_path / "odd.sqlite"
    store = SQLiteStore(path)
    cw, pi = RelationType.COLLABORATES_WITH, RelationType.PARTICIPATES_IN
    quote = f"Umeå kommun samverkar med Polisregion Nord i projektet ”{MARKUP_PROJECT}”."
    store.add(extraction(quote, MARKUP_FILE,
                         [entity("Umeå kommun", Kind.municipality), entity("Polisregion Nord", Kind.police_unit),
                          entity(MARKUP_PROJECT, Kind.project)],
                         [("Umeå kommun", "Polisregion Nord", cw, Status.existing, quote),
                          ("Umeå kommun", MARKUP_PROJECT, pi, Status.existing, quote),
                          ("Polisregion Nord", MARKUP_PROJECT, pi, Status.existing, quote)]))
    quote2 = f"Luleå kommun [/] deltar i ”{ODD_PROJECT}”.\x07"
    store.add(extraction(quote2, "doc\x1b]0;titel\x07.txt",
                         [entity("Luleå kommun", Kind.municipality), entity(ODD_PROJECT, Kind.project)],
                         [("Luleå kommun", ODD_PROJECT, pi, Status.existing, quote2)]))
    store.close()
    return path


@pytest.mark.parametrize("command", [
    ["actors"], ["projects"], ["agreements"], ["show", "Umeå kommun"], ["show", MARKUP_PROJECT],
    ["show", "Luleå kommun"], ["partners", "Umeå kommun"], ["partners", "Luleå kommun"],
    ["between", "Umeå kommun", "Polisregion Nord"], ["evidence", "Umeå kommun", "Polisregion Nord"],
    ["matrix", "--format", "table"], ["search", "samverkar"], ["partners", "[/x] :x: Tryg"],
])
def test_markup_and_escape_sequences_from_documents_are_printed_as_text(odd_store, command):
    result = runner.invoke(app, [*command, "--store", str(odd_store)], env={"COLUMNS": "250"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), repr(result.output)
    if command[0] in ("projects", "show", "between", "search") and "Luleå kommun" not in command:
        assert MARKUP_PROJECT in result.output


def test_a_marked_up_name_is_shown_whole(odd_store):
    shown = runner.invoke(app, ["show", "Luleå kommun", "--store", str(odd_store)], env={"COLUMNS": "250"}).output
    assert "Stark :x: [bold]vän[31m" in shown  # the escape character goes, the text stays
    quoted = runner.invoke(app, ["partners", "Umeå kommun", "--store", str(odd_store)], env={"COLUMNS": "250"}).output
    assert MARKUP_FILE in quoted and f"”{MARKUP_PROJECT}”" in quoted
    header = runner.invoke(app, ["show", MARKUP_PROJECT, "--store", str(odd_store)], env={"COLUMNS": "250"}).output
    assert header.splitlines()[0] == f"{MARKUP_PROJECT} (Projekt)"


def test_a_file_named_like_markup_is_listed_by_its_name(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / MARKUP_FILE).write_text("Umeå kommun samverkar med Polisregion Nord.", encoding="utf-8")
    (folder / "esc\x1b[2Jx.txt").write_text("Luleå kommun samverkar med Polisregion Nord.", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(tmp_path / "g.sqlite")],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert MARKUP_FILE in result.output and "\x1b" not in result.output


# --- a full disk, a read-only store, a broken pool: one line, no debris --------------------

def _left(folder):
    return sorted(p.name for p in folder.iterdir() if p.name not in ("old.txt", "filler"))


@pytest.mark.parametrize("command", [
    ["view", "-o", "{out}"], ["export", "--format", "graphml", "-o", "{out}"],
    ["export", "--format", "gexf", "-o", "{out}"], ["export", "--format", "json", "-o", "{out}"],
    ["export", "--format", "csv", "-o", "{out}"], ["matrix", "-o", "{out}"],
])
def test_an_output_on_a_full_disk_is_one_line_and_leaves_nothing(odd_store, full_disk, command):
    out = full_disk.path / "old.txt"
    args = [a.replace("{out}", str(out)) for a in command]
    result = runner.invoke(app, [*args, "--store", str(odd_store)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fel: kan inte skriva") and "disken är full" in lines[0], lines
    assert str(full_disk.path) in lines[0]
    assert _left(full_disk.path) == [] and out.read_text(encoding="utf-8") == "gammal"


def test_the_csv_export_writes_both_files_or_neither(odd_store, tmp_path, monkeypatch):
    out = tmp_path / "g"
    calls = []

    from queries import export as export_module

    real = export_module.csv_text

    def failing(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:  # the edges file: the nodes file is written by now
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(export_module, "csv_text", failing)
    result = runner.invoke(app, ["export", "--format", "csv", "-o", str(out), "--store", str(odd_store)])
    assert result.exit_code == 2 and "g.edges.csv: disken är full" in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odd.sqlite"] + sorted(
        p.name for p in tmp_path.iterdir() if p.name.startswith("odd.sqlite-"))


def test_a_read_only_store_file_is_refused_and_left_as_it_is(tmp_path):
    import os
    import stat

    from graph.memory import MemoryStore
    from tests.helpers import sample_extraction

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Umeå kommun samverkar med Polisregion Nord.", encoding="utf-8")
    for name in ("g.json", "g.sqlite"):
        path = tmp_path / name
        if name.endswith(".json"):
            store = MemoryStore(path)
            store.add(sample_extraction())
            store.save()
        else:
            assert runner.invoke(app, ["ingest", str(folder), "--store", str(path)]).exit_code == 0
        os.chmod(path, 0o444)
        before = runner.invoke(app, ["export", "--store", str(path)]).output
        result = runner.invoke(app, ["ingest", str(folder), "--store", str(path)])
        assert result.exit_code == 2, result.output
        assert "skrivskyddad" in result.output and str(path) in result.output and "Traceback" not in result.output
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
        assert runner.invoke(app, ["export", "--store", str(path)]).output == before  # reading it is fine


def test_a_read_only_json_store_is_not_replaced_by_save(tmp_path):
    import os
    import stat

    from graph.memory import MemoryStore
    from graph.storefile import StoreError
    from tests.helpers import sample_extraction

    path = tmp_path / "g.json"
    path.write_text('{"format": "samverkan-store/2", "evidence_row": ["quote", "start", "end", "rule", '
                    '"confidence"]}', encoding="utf-8")
    os.chmod(path, 0o444)
    store = MemoryStore(path)
    store.add(sample_extraction())
    with pytest.raises(StoreError, match="skrivskyddad"):
        store.save()
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_read_only_sqlite_store_is_not_written(tmp_path):
    import os

    from graph.sqlite import SQLiteStore
    from graph.storefile import StoreError
    from tests.helpers import sample_extraction

    path = tmp_path / "g.sqlite"
    SQLiteStore(path).add(sample_extraction())
    os.chmod(path, 0o444)
    store = SQLiteStore(path)
    with pytest.raises(StoreError, match="skrivskyddad"):
        store.add(sample_extraction("Kiruna kommun och Polisregion Nord samverkar.", "b.txt"))
    assert store.stats().documents == 1


@pytest.fixture()
def read_only_folder(tmp_path, monkeypatch):
    """An empty folder on a read-only mount where this user may mount (root), else one that
    os.access reports as not writable (as it does for a non-root user in a folder of mode 555)."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    folder = tmp_path / "låst"
    folder.mkdir()
    mounted = (os.geteuid() == 0 and shutil.which("mount") is not None
               and subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode == 0)
    if mounted and subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)],
                                  capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        mounted = False
    if not mounted:
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder and mode == os.W_OK
                            else real_access(p, mode, **kw))
    try:
        yield folder, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_read_only_folder_is_one_line(tmp_path, odd_store, read_only_folder):
    read_only_folder, mounted = read_only_folder
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Umeå kommun samverkar med Polisregion Nord.", encoding="utf-8")
    for name in ("g.sqlite", "g.json", "ny/g.sqlite"):
        result = runner.invoke(app, ["ingest", str(folder), "--store", str(read_only_folder / name)])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Fel:") and str(read_only_folder) in lines[0], lines
    for command in (["view", "-o"], ["export", "--format", "gexf", "-o"], ["matrix", "-o"]) if mounted else ():
        result = runner.invoke(app, [*command, str(read_only_folder / "ut.txt"), "--store", str(odd_store)])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert result.output.strip() == f"Fel: kan inte skriva {read_only_folder}/ut.txt: filsystemet är skrivskyddat."
    assert list(read_only_folder.iterdir()) == []


def test_ingest_on_a_full_disk_is_one_line_and_keeps_the_store(tmp_path, full_disk, monkeypatch):
    import sqlite3

    from graph.sqlite import SQLiteStore

    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(" ".join(f"Kommun{i}x{j} kommun samverkar med Polisregion Nord{j}."
                                                   for j in range(200)), encoding="utf-8")
    for name in ("new.sqlite", "new.json"):
        store = full_disk.path / name
        if not full_disk.real and name.endswith(".sqlite"):
            def full(self, *args, **kwargs):
                error = sqlite3.OperationalError("database or disk is full")
                error.sqlite_errorcode = 13
                raise error
            monkeypatch.setattr(SQLiteStore, "add", full)
        result = runner.invoke(app, ["ingest", str(folder), "--store", str(store)])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Fel:") and str(store) in lines[0], lines
        assert "disken är full" in lines[0] or "disk is full" in lines[0]
        assert _left(full_disk.path) == [], _left(full_disk.path)


def test_a_broken_worker_pool_is_one_line_and_keeps_what_was_read(tmp_path, monkeypatch):
    import errno

    import loaders.batch
    from graph.sqlite import SQLiteStore

    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(f"Kommun{i} kommun samverkar med Polisregion Nord.", encoding="utf-8")
    real = loaders.batch.extract_many

    def breaking(paths, *args, **kwargs):
        results = real(paths, *args, **{**kwargs, "isolate": False})
        yield next(results)
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(loaders.batch, "extract_many", breaking)
    store = tmp_path / "g.sqlite"
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(store), "--jobs", "2"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fel: arbetsprocesserna") and "d1.txt" in lines[0], lines
    assert SQLiteStore(store).stats().documents == 1


def test_a_pool_that_cannot_start_a_worker_is_one_line(tmp_path, monkeypatch):
    import errno

    import loaders.batch

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Umeå kommun samverkar med Polisregion Nord.", encoding="utf-8")

    def no_fork(self):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(loaders.batch._Pool, "_start", no_fork)
    store = tmp_path / "g.sqlite"
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(store)])
    if not loaders.batch.can_isolate():
        pytest.skip("files are read without worker processes here")
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert "a.txt" in result.output and "resurser" in result.output and not store.exists()


# --- --min-confidence on matrix and export ---------------------------------------------------

@pytest.fixture()
def weak_store(tmp_path):
    """Kiruna–Gällivare read surely (0.9), Kiruna–Pajala only weakly (0.4)."""
    from graph.model import Kind, RelationType, Status
    from graph.sqlite import SQLiteStore
    from tests.helpers import entity, extraction

    x = extraction("t", "a.txt", [entity("Kiruna kommun", Kind.municipality),
                                  entity("Gällivare kommun", Kind.municipality), entity("Pajala kommun", Kind.municipality)],
                   [("Kiruna kommun", "Gällivare kommun", RelationType.COLLABORATES_WITH, Status.existing, "q1"),
                    ("Kiruna kommun", "Pajala kommun", RelationType.COLLABORATES_WITH, Status.existing, "q2")])
    for relation, confidence in zip(x.relations, (0.9, 0.4)):
        relation.evidence = [e.model_copy(update={"confidence": confidence}) for e in relation.evidence]
    path = tmp_path / "weak.sqlite"
    store = SQLiteStore(path)
    store.add(x)
    store.close()
    return path


def test_matrix_takes_min_confidence(weak_store, tmp_path):
    every = runner.invoke(app, ["matrix", "--store", str(weak_store)])
    assert every.exit_code == 0 and "Pajala kommun" in every.output.splitlines()[0]
    sure = runner.invoke(app, ["matrix", "--min-confidence", "0.5", "--store", str(weak_store)])
    assert sure.exit_code == 0, sure.output
    assert sure.output.splitlines()[0] == "\ufeffAktör;Gällivare kommun;Kiruna kommun"
    out = tmp_path / "m.csv"
    assert runner.invoke(app, ["matrix", "--min-confidence", "0.5", "-o", str(out), "--store", str(weak_store)]).exit_code == 0
    assert "Pajala" not in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "csv"])
def test_export_takes_min_confidence(weak_store, tmp_path, fmt):
    import csv as csv_module

    import networkx as nx

    out = tmp_path / f"g.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "--min-confidence", "0.5", "-o", str(out),
                                 "--store", str(weak_store)])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        ties = {(r["source"], r["target"]) for r in json.loads(out.read_text(encoding="utf-8"))["relations"]}
    elif fmt == "csv":
        rows = csv_module.DictReader(tmp_path.joinpath("g.edges.csv").read_text(encoding="utf-8-sig").splitlines(),
                                     delimiter=";")
        ties = {(r["Source"], r["Target"]) for r in rows}
    else:
        graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
        ties = set(graph.edges())
        assert "pajala-kommun" in graph  # the actor stays, only the weak tie goes
    assert ties == {("gallivare-kommun", "kiruna-kommun")}
