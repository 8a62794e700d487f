import csv
import io
import json

import networkx as nx
import pytest

from graph.model import Kind, RelationType, Status
from queries.actors import actors
from queries.between import between
from queries.catalog import agreements, projects
from queries.export import export_json, write_export
from queries.lookup import LookupError_, lookup
from queries.network import brokers, communities, matrix
from queries.partners import partners
from queries.present import Column, CsvStyle, as_csv, table_text
from graph.store import best_quotes
from queries.profile import evidence_between, profile


def test_partners_through_agreement_project_and_directly(store):
    rows = {(r.partner, r.via, r.status.value): r for r in partners(store, "alby-kommun")}
    assert set(rows) == {
        ("Polisregion Mitt", None, "existing"),
        ("Polisregion Mitt", "Avtal Alby", "existing"),
        ("Skatteverket", "Trygg Alby", "existing"),
    }
    assert rows[("Polisregion Mitt", None, "existing")].sources == 2


def test_partners_with_a_few_quotes_are_the_full_rows_cut_short(store):
    """The summary a table reads gives the same rows, sources and best quotes as the whole evidence."""
    for actor in ("alby-kommun", "polisregion-mitt", "skatteverket", "tullverket"):
        full = partners(store, actor)
        for quotes in (0, 1, 2):
            assert partners(store, actor, quotes=quotes) == [
                r.model_copy(update={"evidence": best_quotes(r.evidence, quotes)}) for r in full]


def test_partners_filters(store):
    assert {r.partner for r in partners(store, "tullverket", statuses=[Status.proposed])} == {"Kustbevakningen"}
    assert {r.partner for r in partners(store, "tullverket", kinds=[Kind.agency])} == {"Skatteverket", "Kustbevakningen"}


def test_between_direct_and_shared(store):
    result = between(store, "alby-kommun", "polisregion-mitt")
    assert {t.relation for t in result.direct} == {RelationType.COLLABORATES_WITH}
    assert [s.name for s in result.shared] == ["Avtal Alby"]
    assert result.paths == []


def test_between_without_a_tie_gives_shortest_paths(store):
    result = between(store, "polisregion-mitt", "kustbevakningen")
    assert not result.direct and not result.shared
    assert [[s.name for s in p] for p in result.paths] == [
        ["Polisregion Mitt", "Alby kommun", "Trygg Alby", "Skatteverket", "Tullverket", "Kustbevakningen"]
    ]


def test_agreements_and_projects(store):
    (agreement,) = agreements(store)
    assert agreement.name == "Avtal Alby" and {p.name for p in agreement.parties} == {"Alby kommun", "Polisregion Mitt"}
    assert agreement.status is Status.existing and agreement.sources == 1
    (project,) = projects(store)
    assert project.name == "Trygg Alby" and {p.name for p in project.parties} == {"Alby kommun", "Skatteverket"}


def test_matrix_counts_direct_and_shared_ties(store):
    m = matrix(store)
    i = {name: n for n, name in enumerate(m.names)}
    assert m.cells[i["Alby kommun"]][i["Polisregion Mitt"]] == 3  # two documents direct + one shared agreement
    assert m.cells[i["Alby kommun"]][i["Skatteverket"]] == 1
    assert m.cells[i["Alby kommun"]][i["Tullverket"]] == 0
    agencies = matrix(store, kinds=[Kind.agency])
    assert agencies.names == ["Kustbevakningen", "Skatteverket", "Tullverket"]


def test_brokers_rank_the_bridge_first(store):
    # The actor graph is a path: Polisregion Mitt - Alby kommun - Skatteverket - Tullverket - Kustbevakningen.
    ranked = brokers(store)
    assert ranked[0].name == "Skatteverket"
    assert {b.name for b in ranked[1:]} == {"Alby kommun", "Tullverket"}
    assert ranked[1].betweenness == ranked[2].betweenness


def test_communities_split_the_two_ends(store):
    groups = [set(c.members) for c in communities(store)]
    assert {"Alby kommun", "Polisregion Mitt"} <= groups[0] or {"Alby kommun", "Polisregion Mitt"} <= groups[1]
    assert any({"Tullverket", "Kustbevakningen"} <= g for g in groups)
    assert sum(len(g) for g in groups) == 5


def test_profile(store):
    p = profile(store, "alby-kommun")
    assert p.entity.name == "Alby kommun"
    assert [a.name for a in p.agreements] == ["Avtal Alby"] and [x.name for x in p.projects] == ["Trygg Alby"]
    assert {d.source for d in p.documents} == {"one.txt", "two.txt"}


def test_profile_for_a_table_reads_no_quotes(store):
    full = profile(store, "alby-kommun")
    brief = profile(store, "alby-kommun", quotes=0)
    assert brief.entity == full.entity.model_copy(update={"evidence": []})
    assert brief.partners == [r.model_copy(update={"evidence": []}) for r in full.partners]
    assert brief.model_copy(update={"entity": full.entity, "partners": full.partners}) == full
    assert full.partners and all(r.evidence for r in full.partners)
    first = profile(store, "alby-kommun", quotes=0, documents=1)
    assert first.documents == full.documents[:1] and first.document_count == full.document_count == 2


def test_evidence_between_lists_every_quote_with_its_place(store):
    quotes = evidence_between(store, "alby-kommun", "polisregion-mitt")
    assert {q.source for q in quotes} == {"one.txt", "two.txt"}
    assert "Alby kommun samverkar med Polisregion Mitt." in {q.sentence for q in quotes}
    assert all(q.end > q.start for q in quotes)


def test_lookup_forgives_and_refuses_to_guess(store):
    assert lookup(store, "alby kommuns").name == "Alby kommun"
    assert lookup(store, "Skateverket").name == "Skatteverket"
    with pytest.raises(LookupError_) as info:
        lookup(store, "Länsstyrelsen")
    assert "inget liknande namn" in str(info.value) and info.value.candidates == []  # nothing unrelated offered


def test_ambiguous_names_list_the_candidates(store):
    from graph.model import Entity

    store._graph.add_node("socialnamnden-a", entity=Entity(id="socialnamnden-a", name="Socialnämnden", kind=Kind.board))
    store._graph.add_node("socialnamnden-b", entity=Entity(id="socialnamnden-b", name="Socialnämnden", kind=Kind.board))
    with pytest.raises(LookupError_) as info:
        lookup(store, "socialnämnden")
    assert info.value.ambiguous and len(info.value.candidates) == 2


def test_actors_are_ranked_by_ties(store):
    rows = actors(store)
    assert rows[0].name == "Alby kommun"
    assert {r.name for r in actors(store, [Kind.project])} == {"Trygg Alby"}


def test_exports_open_in_other_tools(store, tmp_path):
    (graphml,) = write_export(store, "graphml", tmp_path / "g.graphml")
    assert nx.read_graphml(graphml).number_of_nodes() == 7
    (gexf,) = write_export(store, "gexf", tmp_path / "g.gexf")
    back = nx.read_gexf(gexf)
    assert back.number_of_edges() == 7 and back.number_of_nodes() == 7
    assert back.nodes["alby-kommun"]["label"] == "Alby kommun" and back.nodes["alby-kommun"]["Typkod"] == "municipality"
    edge = next(d for u, v, d in back.edges(data=True) if (u, v) == ("skatteverket", "tullverket"))
    assert edge["Statuskod"] == "existing" and edge["Belägg"] == "Skatteverket samverkar med Tullverket."
    nodes, edges = write_export(store, "csv", tmp_path / "g")
    assert len(list(csv.DictReader(io.StringIO(nodes.read_text(encoding="utf-8-sig")), delimiter=";"))) == 7
    rows = list(csv.DictReader(io.StringIO(edges.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 7 and all(r["Belägg"] for r in rows)
    data = export_json(store)
    assert len(data["relations"]) == 7 and json.dumps(data)


def test_csv_rendering():
    text = as_csv([("a", 1), ("b, c", None)], [Column("X", lambda r: r[0]), Column("Y", lambda r: r[1])])
    assert text.splitlines() == ["\ufeffX;Y", "a;1", "b, c;"]
    plain = as_csv([("a", 1), ("b, c", None)], [Column("X", lambda r: r[0]), Column("Y", lambda r: r[1])],
                   CsvStyle.rfc4180)
    assert plain.splitlines() == ["X,Y", "a,1", '"b, c",']


def test_gexf_escapes_markup_and_quotes(store, tmp_path):
    from graph.model import Entity, Evidence

    odd = 'Föreningen "Trygg & <säker>"'
    ev = Evidence(document="d", sentence=odd, start=0, end=len(odd), rule="test")
    store._graph.add_node("odd", entity=Entity(id="odd", name=odd, kind=Kind.ngo, evidence=[ev]))
    (gexf,) = write_export(store, "gexf", tmp_path / "g.gexf")
    assert nx.read_gexf(gexf).nodes["odd"]["label"] == odd


def test_tables_fit_the_terminal_and_keep_every_word():
    rows = [["1", "Bromma stadsdelsförvaltning", "Ett mycket långt projektnamn om trygghet i Västerort"],
            ["2", "Överförmyndarnämndenochsåvidare", ""]]
    for width in (120, 40, 25):
        lines = table_text(["Nr", "Partner", "Via"], rows, "Partner till X", width).plain.splitlines()
        assert max(len(line) for line in lines) <= width
        assert lines[1].startswith("┏") and lines[-1].startswith("└")
        body = "".join(line.replace("│", " ") for line in lines)
        for word in ("Bromma", "Västerort", "trygghet"):
            assert word in body or width < 30
        assert "".join(body.split()).count("Överförmyndarnämndenochsåvidare") == 1
    wide = table_text(["Nr", "Partner", "Via"], rows, "", 120).plain.splitlines()
    assert wide[1] == "┃ Nr ┃ Partner                         ┃ Via                                                  ┃"


def test_xml_exports_leave_out_characters_xml_forbids(store, tmp_path):
    from lxml import etree

    from graph.model import Document, Entity, Evidence, Extraction, make_relation

    odd = "Trygg \uffff hemma\x07\x1b[31m"
    doc = Document(id="doc-odd", source="fil\x0bnamn\udcff.txt")
    ev = Evidence(document="doc-odd", sentence=f"Alby kommun driver ”{odd}”.\x0c", start=0, end=10, rule="test")
    project = Entity(id="trygg-hemma", name=odd, kind=Kind.project, aliases=["T\x00H"], evidence=[ev])
    store.add(Extraction(document=doc, entities=[project], relations=[
        make_relation("alby-kommun", "trygg-hemma", RelationType.PARTICIPATES_IN, Status.existing, [ev])]))
    for fmt in ("graphml", "gexf"):
        (path,) = write_export(store, fmt, tmp_path / f"g.{fmt}")
        etree.parse(str(path))  # strict: one forbidden character and the file does not parse
        back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert back.nodes["trygg-hemma"]["label"] == "Trygg  hemma[31m"
        quote = next(d["Belägg"] for u, v, d in back.edges(data=True) if "trygg-hemma" in (u, v))
        assert quote == "Alby kommun driver ”Trygg  hemma[31m”."
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".tmp", ".graphml", ".gexf")) == [
        "g.gexf", "g.graphml"]


def test_exports_leave_out_ties_below_min_confidence(store, tmp_path):
    from graph.model import Evidence

    weak = store.relations(types={RelationType.COLLABORATES_WITH})
    for rel in weak:  # Tullverket's two direct ties are read weakly
        if "tullverket" in (rel.source, rel.target):
            rel.evidence = [Evidence(**{**e.model_dump(), "confidence": 0.4}) for e in rel.evidence]
    assert len(export_json(store)["relations"]) == 7
    assert len(export_json(store, min_confidence=0.5)["relations"]) == 5
    (graphml,) = write_export(store, "graphml", tmp_path / "g.graphml", min_confidence=0.5)
    back = nx.read_graphml(graphml)
    assert back.number_of_edges() == 5 and back.number_of_nodes() == 7  # every actor stays
    nodes, edges = write_export(store, "csv", tmp_path / "g", min_confidence=0.5)
    assert len(list(csv.DictReader(io.StringIO(edges.read_text(encoding="utf-8-sig")), delimiter=";"))) == 5


def test_matrix_leaves_out_ties_below_min_confidence(store):
    from graph.model import Evidence
    from queries.network import matrix

    for rel in store.relations(types={RelationType.COLLABORATES_WITH}):
        if {rel.source, rel.target} == {"skatteverket", "tullverket"}:
            rel.evidence = [Evidence(**{**e.model_dump(), "confidence": 0.4}) for e in rel.evidence]
    assert "Tullverket" in matrix(store, statuses=[Status.existing]).names
    sure = matrix(store, statuses=[Status.existing], min_confidence=0.5)
    assert "Tullverket" not in sure.names and "Skatteverket" in sure.names


def test_json_text_is_the_text_json_dumps_writes():
    import enum
    import json

    from queries.present import json_text

    class Word(str, enum.Enum):
        a = "ord"

    samples = [{}, [], {"a": []}, [1.5, float("nan"), float("inf"), None, True, False, "x\n\u2028é\"\\", [], {}, -0.0],
               {1: 2, True: 3, None: 4, 2.5: 1}, "s", 3, None, [[[]]], {"a": {"b": [1, {"c": None}]}, "d": (1, 2)},
               [Word.a, {"k": Word.a}], 10 ** 30]
    for sample in samples:
        assert json_text(sample) == json.dumps(sample, ensure_ascii=False, indent=1), sample
