"""The map's data without a browser: quotes stored once, every tie quoted, years and sources,
the alias index with actors that have no ties, and the brokers and communities it carries."""

import json

import pytest

from graph.model import Entity, Kind, fold
from queries.graphs import Ties
from queries.network import betweenness
from tests.viz.mapfixture import interaction_store, render_interaction_map
from viz.mapdata import year_of
from viz.metrics import estimated_betweenness, map_metrics
from viz.search_index import alias_index, fast_fold, keys_of


def _data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(text.split('<script id="samverkan-data" type="application/json">')[1].split("</script>")[0])


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return _data(render_interaction_map(tmp_path_factory.mktemp("data") / "karta.html"))


def _rows(data: dict, kind: str) -> list[dict]:
    fields = data[f"{kind}Fields"]
    return [dict(zip(fields, row)) for row in data[f"{kind}s"]]


def test_every_line_carries_a_quote_and_its_documents(data):
    edges = _rows(data, "edge")
    assert len(edges) == 7
    for edge in edges:
        assert edge["quotes"] and edge["documents"]
        for q in edge["quotes"]:
            sentence, doc, _section, start, end = data["quotes"][q]
            assert sentence and data["docs"][doc][0].endswith(".txt") and end > start


def test_a_tie_stated_in_two_documents_counts_both_and_their_years(data):
    nodes = [n["id"] for n in _rows(data, "node")]
    tie = next(e for e in _rows(data, "edge")
               if {nodes[e["source"]], nodes[e["target"]]} == {"polismyndigheten", "malmo-stad"})
    assert sorted(data["docs"][d][0] for d in tie["documents"]) == ["protokoll-var-2019.txt", "rapport-host-2022.txt"]
    assert tie["years"] == [2019, 2022] and len(tie["quotes"]) == 2
    assert tie["confidence"] == 0.95


def test_a_ties_since_adds_its_year(data):
    nodes = [n["id"] for n in _rows(data, "node")]
    tie = next(e for e in _rows(data, "edge") if nodes[e["target"]] == "raddningstjansten-syd"
               or nodes[e["source"]] == "raddningstjansten-syd")
    assert tie["years"] == [2022, 2023] and tie["statuses"] == ["planned"]


def test_quotes_and_documents_are_stored_once(data):
    assert len(data["quotes"]) == len({(q[1], q[3], q[4]) for q in data["quotes"]})
    assert len(data["docs"]) == 2


def test_the_alias_index_holds_actors_without_ties(data):
    assert data["absent"] == [["Tullverket", "agency", 0]]
    keys = {key: ref for key, ref in data["index"]}
    nodes = [n["id"] for n in _rows(data, "node")]
    assert keys["tullverket"] == -1
    assert nodes[keys["polisen"]] == "polismyndigheten"  # an alias
    assert nodes[keys["malmo stad"]] == "malmo-stad"      # folded


def test_brokers_and_communities_reach_the_nodes(data):
    nodes = {n["id"]: n for n in _rows(data, "node")}
    assert max(nodes, key=lambda n: nodes[n]["betweenness"]) == "malmo-stad"
    assert nodes["region-skane"]["community"] == nodes["lansstyrelsen-skane"]["community"]
    assert nodes["region-skane"]["community"] != nodes["kriminalvarden"]["community"]
    assert nodes["polismyndigheten"]["partners"] == 3


@pytest.mark.parametrize("text", ["Polismyndighetens  Ålandskontor", "Räddningstjänsten–Syd", "Crème/brûlée_Ö",
                                  "Łódź kommun", "Αθήνα", "  Malmö   stad "])
def test_fast_fold_folds_as_fold_does(text):
    assert fast_fold(text) == fold(text)


def test_keys_of_an_actor_are_its_folded_name_label_and_aliases():
    entity = Entity(id="x", name="Socialförvaltningen", kind=Kind.administration, aliases=["Soc", "soc"],
                    attributes={"municipality": "Malmö stad"})
    assert keys_of(entity) == ["socialforvaltningen", "socialforvaltningen (malmo stad)", "soc"]
    index, absent = alias_index(["y"], [entity])
    assert absent == [["Socialförvaltningen (Malmö stad)", "administration", 0]]
    assert {ref for _, ref in index} == {-1}
    _, absent = alias_index(["y"], [entity], tied={"x"})  # a focused map leaves its ties out
    assert absent == [["Socialförvaltningen (Malmö stad)", "administration", 1]]


@pytest.mark.parametrize("text, year", [("2019-04-11", 2019), ("hösten 2018", 2018), ("sedan 1998", 1998),
                                        ("", None), (None, None), ("dnr 12345", None)])
def test_year_of(text, year):
    assert year_of(text) == year


def test_estimated_betweenness_ranks_the_brokers_as_the_exact_one():
    import igraph
    import random

    random.seed(3)
    graph = igraph.Graph.Barabasi(1200, 2)
    ties = Ties({str(i): {} for i in range(1200)}, [(str(a), str(b), 1) for a, b in graph.get_edgelist()])
    exact, estimate = betweenness(ties), estimated_betweenness(ties, 200)
    top = lambda scores: {n for n, _ in sorted(scores.items(), key=lambda kv: -kv[1])[:10]}  # noqa: E731
    assert len(top(exact) & top(estimate)) >= 7
    assert sum(estimate.values()) == pytest.approx(sum(exact.values()), rel=0.15)


def test_metrics_of_a_map_without_lines():
    scores, community = map_metrics(["a", "b"], [])
    assert scores == {"a": 0.0, "b": 0.0} and community == {"a": 0, "b": 0}


def test_the_store_fixture_has_an_actor_without_ties():
    store = interaction_store()
    assert "tullverket" in {e.id for e in store.entities()}
    assert all("tullverket" not in (r.source, r.target) for r in store.relations())
