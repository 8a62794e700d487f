"""Issue 18, the strategist's workbench: Excel that opens right, lookup a person expects,
exports Gephi and Kumu read as they are.

Uses the hand-built store of conftest.py (saved to a file for the command line), plus a few
records made here: a formula-looking name, two Kommunstyrelsen, a place and its city.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import networkx as nx
import pytest
from typer.testing import CliRunner

from graph.model import Entity, Kind, RelationType, Status, slug
from queries.export import write_export
from queries.present import Column, CsvStyle, as_csv, write_workbook, Sheet
from samverkan import app
from tests.helpers import entity, extraction

runner = CliRunner()
FORMULA = '=HYPERLINK("http://evil.example","klicka")'


@pytest.fixture()
def saved(store, tmp_path):
    """The conftest graph plus an actor whose name is a formula, tied to Skatteverket, on disk."""
    store.add(extraction(
        "doc three", "three.txt",
        [entity(FORMULA, Kind.ngo), entity("Skatteverket", Kind.agency)],
        [(FORMULA, "Skatteverket", RelationType.COLLABORATES_WITH, Status.existing,
          "-Skatteverket och föreningen samverkar.")],
    ))
    store.save()
    return store.path


def cli(*args):
    result = runner.invoke(app, [*map(str, args)], env={"COLUMNS": "200"})
    return result


def rows_of(text: str, delimiter: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


# --- Excel ------------------------------------------------------------------------------------


def test_query_csv_is_swedish_excel_by_default(saved):
    out = cli("brokers", "--format", "csv", "--store", saved)
    assert out.exit_code == 0, out.output
    assert out.stdout_bytes.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads "å" as "å"
    rows = rows_of(out.output.lstrip("\ufeff"))
    assert rows[0] == ["Aktör", "Typ", "Mellanliggande (betweenness)", "Partner"]
    skatteverket = next(r for r in rows if r[0] == "Skatteverket")
    assert "," in skatteverket[2] and "." not in skatteverket[2]  # decimal comma
    float(skatteverket[2].replace(",", "."))


def test_rfc4180_csv_for_programs(saved):
    out = cli("brokers", "--format", "csv", "--csv", "rfc4180", "--store", saved)
    assert out.exit_code == 0, out.output
    assert not out.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = rows_of(out.output, ",")
    assert rows[0][:2] == ["Aktör", "Typ"]
    float(next(r for r in rows if r[0] == "Skatteverket")[2])  # decimal point


def test_formula_cells_are_neutralised_in_csv(saved):
    out = cli("actors", "--format", "csv", "--store", saved)
    assert out.exit_code == 0, out.output
    names = [r[0] for r in rows_of(out.output.lstrip("\ufeff"))]
    assert "'" + FORMULA in names and FORMULA not in names
    ev = cli("evidence", FORMULA, "Skatteverket", "--format", "csv", "--store", saved)
    quote = rows_of(ev.output.lstrip("\ufeff"))[1][-1]
    assert quote == "'-Skatteverket och föreningen samverkar."
    for text in ("+1", "@SUM(A1)", "  =1+1"):
        cell = rows_of(as_csv([(text,)], [Column("X", lambda r: r[0])]).lstrip("\ufeff"))[1][0]
        assert cell.startswith("'")
    numbers = rows_of(as_csv([(-3, -0.5)], [Column("A", lambda r: r[0]), Column("B", lambda r: r[1])]).lstrip("\ufeff"))
    assert numbers[1] == ["-3", "-0,5000"]  # numbers are not text: nothing to neutralise


def test_matrix_xlsx_is_a_real_workbook(saved, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "m.xlsx"
    result = cli("matrix", "-o", out, "--store", saved)
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)  # before: CSV text in a file named .xlsx
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[0] == "Aktör" and "Skatteverket" in header and ws["A1"].font.b
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["A"].width >= len("Polisregion Mitt")
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Skatteverket")
    assert all(isinstance(c.value, int) for c in row[1:])


def test_every_table_writes_xlsx_with_formulas_kept_as_text(saved, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "aktorer.xlsx"
    assert cli("actors", "-o", out, "--store", saved).exit_code == 0
    ws = load_workbook(out).active
    cell = next(r[0] for r in ws.iter_rows(min_row=2) if r[0].value == FORMULA)
    assert cell.data_type == "s" and cell.quotePrefix  # text, not a formula
    assert [c.value for c in ws[1]] == ["Namn", "Typ", "Samband", "Dokument"]
    assert isinstance(next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Skatteverket")[2].value, int)
    for args in (["partners", "Skatteverket"], ["agreements"], ["projects"], ["brokers"], ["communities"],
                 ["show", "Skatteverket"], ["evidence", "Skatteverket", "Tullverket"], ["between", "Alby kommun", "Skatteverket"]):
        target = tmp_path / f"{args[0]}.xlsx"
        result = cli(*args, "-o", target, "--store", saved)
        assert result.exit_code == 0, (args, result.output)
        assert load_workbook(target).active.max_row >= 2, args


def test_export_xlsx_has_every_sheet_and_every_quote(saved, store, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "graf.xlsx"
    assert cli("export", "--format", "xlsx", "-o", out, "--store", saved).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Aktörer", "Samband", "Belägg", "Avtal och projekt", "Matris"]
    quotes = book["Belägg"]
    assert quotes.max_row - 1 == sum(len(r.evidence) for r in store.relations())
    assert [c.value for c in quotes[1]][:2] == ["Från", "Till"] and quotes.freeze_panes == "A2"
    ties = book["Samband"]
    header = [c.value for c in ties[1]]
    for column in ("Status", "Via", "Sedan", "Källor", "Säkerhet"):
        assert column in header
    statuses = {r[header.index("Status")].value for r in ties.iter_rows(min_row=2)}
    assert statuses <= {"befintlig", "föreslagen"}
    vehicles = {r[0].value: r[2].value for r in book["Avtal och projekt"].iter_rows(min_row=2)}
    assert vehicles["Trygg Alby"] == "Alby kommun; Skatteverket"


# --- Lookup -----------------------------------------------------------------------------------


def _body(name: str, municipality: str | None) -> Entity:
    attributes = {"municipality": municipality} if municipality else {}
    return Entity(id=slug(f"{name} {municipality or ''}"), name=name, kind=Kind.board, attributes=attributes,
                  parent=slug(municipality) if municipality else None)


@pytest.fixture(params=["memory", "sqlite"])
def towns(request, tmp_path):
    from graph.memory import MemoryStore
    from graph.sqlite import SQLiteStore

    s = MemoryStore(tmp_path / "t.json") if request.param == "memory" else SQLiteStore(tmp_path / "t.sqlite")
    ents = [entity("Stockholms stad", Kind.municipality), entity("Botkyrka kommun", Kind.municipality),
            entity("Stockholm", Kind.area), entity("Polisregion Stockholm", Kind.police_unit),
            entity("Kriminalvården", Kind.agency), entity("Socialnämnden", Kind.board),
            _body("Kommunstyrelsen", "Stockholms stad"), _body("Kommunstyrelsen", "Botkyrka kommun"),
            _body("Kommunfullmäktige", "Stockholms stad"), _body("Kommunfullmäktige", "Botkyrka kommun"),
            _body("Kommunfullmäktige", None)]
    s.add(extraction("town doc", "town.txt", ents, [
        ("Stockholms stad", "Polisregion Stockholm", RelationType.COLLABORATES_WITH, Status.existing, "De samverkar.")]))
    s.save()
    yield s
    if hasattr(s, "close"):
        s.close()


def test_an_exact_name_wins(towns):
    from queries.lookup import lookup

    assert lookup(towns, "Kommunfullmäktige").attributes == {}  # the one named exactly so
    assert lookup(towns, "kommunfullmäktige (botkyrka kommun)").attributes["municipality"] == "Botkyrka kommun"
    assert lookup(towns, "Kommunstyrelsen (Stockholms stad)").attributes["municipality"] == "Stockholms stad"
    assert lookup(towns, "Kriminalvårdens").name == "Kriminalvården"


def test_several_bodies_of_one_name_are_listed_with_what_they_belong_to(towns):
    from queries.lookup import LookupError_, lookup

    with pytest.raises(LookupError_) as exc:
        lookup(towns, "Kommunstyrelsen")
    message = str(exc.value)
    assert "Kommunstyrelsen (Stockholms stad)" in message and "Kommunstyrelsen (Botkyrka kommun)" in message
    assert "del av Stockholms stad" in message and "nämnd" in message


def test_a_place_suggests_its_municipality_and_nothing_unrelated(towns):
    from queries.lookup import LookupError_, lookup, place_hint

    assert place_hint(towns, lookup(towns, "Stockholm")).name == "Stockholms stad"
    with pytest.raises(LookupError_) as exc:
        lookup(towns, "Botkyrka")
    assert [e.name for e in exc.value.candidates][0] == "Botkyrka kommun"
    with pytest.raises(LookupError_) as exc:
        lookup(towns, "Malmö")
    assert exc.value.candidates == []  # before: five unrelated actors
    result = cli("partners", "Stockholm", "--store", towns.path)
    assert "Stockholms stad" in result.output


def test_swedish_words_for_status_and_kind(saved):
    sv = cli("partners", "Alby kommun", "--status", "befintlig", "--kind", "myndighet", "--format", "json",
             "--store", saved)
    en = cli("partners", "Alby kommun", "--status", "existing", "--kind", "agency", "--format", "json",
             "--store", saved)
    assert sv.exit_code == 0, sv.output
    assert json.loads(sv.output) == json.loads(en.output) and json.loads(sv.output)
    assert cli("actors", "--kind", "kommun", "--store", saved).exit_code == 0
    assert cli("brokers", "--status", "föreslagen", "--status", "Befintliga", "--store", saved).exit_code == 0
    wrong = cli("actors", "--kind", "kommunn", "--store", saved)
    assert wrong.exit_code == 2 and "befintlig" not in wrong.output and "kommun (municipality)" in wrong.output


def test_every_word_the_tables_print_is_accepted():
    from graph.vocabulary import parse_kind, parse_status
    from viz.labels import labels

    for code, spec in labels()["kinds"].items():
        assert parse_kind(spec["label"]).value == code
        for part in spec["label"].split("/"):
            assert parse_kind(part).value == code
    for code, spec in labels()["statuses"].items():
        assert parse_status(spec["label"]).value == code
        assert parse_status(code).value == code


def test_every_query_takes_format_and_output():
    import typer.main

    command = typer.main.get_command(app)
    for name in ("actors", "partners", "between", "agreements", "projects", "matrix", "brokers", "communities",
                 "show", "evidence", "search"):
        options = {o for p in command.commands[name].params for o in getattr(p, "opts", [])}
        assert {"--format", "-o", "--csv"} <= options, name


def test_actors_as_json(saved):
    out = cli("actors", "--format", "json", "--store", saved)
    assert out.exit_code == 0, out.output
    assert {"Skatteverket", FORMULA} <= {a["name"] for a in json.loads(out.output)}


# --- Gephi and Kumu ---------------------------------------------------------------------------


def test_graphml_and_gexf_are_undirected_with_the_direction_as_a_column(store, tmp_path):
    from lxml import etree

    (graphml,) = write_export(store, "graphml", tmp_path / "g.graphml")
    root = etree.parse(str(graphml)).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert root.find("g:graph", ns).get("edgedefault") == "undirected"
    (gexf,) = write_export(store, "gexf", tmp_path / "g.gexf")
    assert etree.parse(str(gexf)).getroot().find("{http://www.gexf.net/1.2draft}graph").get(
        "defaultedgetype") == "undirected"
    for back in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        assert not back.is_directed()
        kinds = {(d["Sambandskod"], d["Riktad"]) for _, _, d in back.edges(data=True)}
        assert ("COLLABORATES_WITH", False) in kinds and ("PARTY_TO", True) in kinds
        assert back.nodes["skatteverket"]["Typ"] == "Myndighet"


def test_edge_csv_speaks_gephis_columns(store, tmp_path):
    nodes, edges = write_export(store, "csv", tmp_path / "g", csv_style=CsvStyle.rfc4180)
    node_rows = list(csv.DictReader(io.StringIO(nodes.read_text(encoding="utf-8"))))
    edge_rows = list(csv.DictReader(io.StringIO(edges.read_text(encoding="utf-8"))))
    assert list(edge_rows[0])[:4] == ["Source", "Target", "Type", "Id"] and "type" not in edge_rows[0]
    assert {r["Type"] for r in edge_rows} == {"Undirected"}
    assert list(node_rows[0])[:2] == ["Id", "Label"]
    ids = {r["Id"] for r in node_rows}
    assert all(r["Source"] in ids and r["Target"] in ids for r in edge_rows)
    skatteverket = next(r for r in node_rows if r["Id"] == "skatteverket")
    assert skatteverket["Typ"] == "Myndighet" and skatteverket["Typkod"] == "agency"
    assert float(skatteverket["Mellanliggande"]) > 0 and int(skatteverket["Grad"]) == 2
    assert skatteverket["Gemenskap"] and {r["Statuskod"] for r in edge_rows} == {"existing", "proposed"}
    assert {r["Status"] for r in edge_rows} == {"befintlig", "föreslagen"}


def test_every_quote_of_a_tie_is_exported(store, tmp_path):
    (graphml,) = write_export(store, "graphml", tmp_path / "g.graphml")
    tie = next(d for u, v, d in nx.read_graphml(graphml).edges(data=True)
               if {u, v} == {"alby-kommun", "polisregion-mitt"} and d["Sambandskod"] == "COLLABORATES_WITH")
    assert "Alby kommun och Polisregion Mitt tecknade avtal." in tie["Belägg"]
    assert "Alby kommun samverkar med Polisregion Mitt." in tie["Belägg"]  # before: only the first
    assert tie["Källor"] == 2


def test_kumu_workbook_joins_by_name(store, tmp_path):
    from openpyxl import load_workbook

    twin = Entity(id="trygg-alby-myndigheten", name="Trygg Alby", kind=Kind.agency)  # a second "Trygg Alby"
    store.add(extraction("doc dup", "dup.txt", [twin], []))
    (path,) = write_export(store, "kumu", tmp_path / "kumu.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].values)
    connections = list(book["Connections"].values)
    assert elements[0][:2] == ("Label", "Type") and connections[0][:4] == ("From", "To", "Type", "Direction")
    labels = [r[0] for r in elements[1:]]
    assert len(labels) == len(set(labels))  # Kumu joins by label: each is unique
    assert "Trygg Alby (Projekt)" in labels and "Trygg Alby (Myndighet)" in labels
    assert {r[1] for r in elements[1:]} >= {"Kommun", "Myndighet", "Överenskommelse"}
    assert all(r[0] in labels and r[1] in labels for r in connections[1:])
    assert "alby-kommun" not in {r[0] for r in connections[1:]}  # names, not id slugs
    assert {r[3] for r in connections[1:]} == {"undirected", "directed"}
    assert {r[4] for r in connections[1:]} == {"befintlig", "föreslagen"}
    elements_csv, connections_csv = write_export(store, "kumu", tmp_path / "kumu.csv")
    assert connections_csv.read_text(encoding="utf-8-sig").startswith("From;To;Type;Direction")


def test_write_workbook_keeps_numbers_and_strips_what_xml_forbids(tmp_path):
    from openpyxl import load_workbook

    path = write_workbook(tmp_path / "w.xlsx", [Sheet("A/B: test", ["X", "Y"], [["a\x07b", 1.5], [None, 2]])])
    ws = load_workbook(path).worksheets[0]
    assert [c.value for c in ws[2]] == ["ab", 1.5] and ws["B3"].value == 2
