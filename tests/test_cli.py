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
    assert "Hittar ingen aktör" in result.output and "Närmaste namn:" in result.output


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
    assert header.startswith("Aktör,") and "Kriminalvården" in header
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
    assert "kriminalvarden" in data["nodes"] and "lokalpolisomrade-rinkeby" not in data["nodes"]
    out2 = tmp_path / "befintlig.html"
    assert runner.invoke(app, ["view", "--status", "existing", "-o", str(out2), "--store", str(store)]).exit_code == 0
    page2 = out2.read_text(encoding="utf-8")
    data2 = json.loads(page2.split('<script id="samverkan-data" type="application/json">')[1].split("</script>")[0])
    assert {s for e in data2["edges"].values() for s in e["statuses"]} == {"existing"}


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
