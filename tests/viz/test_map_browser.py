"""The map in a real browser: drawn, searchable, clickable, offline, and safe from injected markup."""

import pytest

from graph.memory import MemoryStore
from graph.model import Kind, RelationType, Status
from loaders.pipeline import extract_file
from queries.documents import document_names
from tests.conftest import CLEAN, OCR
from tests.helpers import entity, extraction
from viz.render import PHYSICS_LIMIT, render


@pytest.fixture(scope="module")
def example_map(tmp_path_factory):
    store = MemoryStore()
    store.add(extract_file(CLEAN))
    store.add(extract_file(OCR))
    out = tmp_path_factory.mktemp("map") / "karta.html"
    render(store.to_networkx(), document_names(store.documents()), out)
    return out, store


def _click_edge(page, edge_id: str) -> None:
    """Click a line halfway between its ends, after moving the ends apart, clear of the map.

    Where physics leaves the two ends depends on the machine: on a two-node map they can end up
    so close that the nodes cover the whole line. So the test moves them itself, as a user
    dragging them would, once the map has settled: far from every other node and one above the
    other (lines to the rest of the map leave them sideways). The line must follow its ends.
    """
    page.wait_for_function("document.body.getAttribute('data-settled') === 'true'", timeout=15000)
    point = page.evaluate(
        """(id) => {
            const e = edges.get(id);
            network.moveNode(e.from, 20000, -200);
            network.moveNode(e.to, 20000, 200);
            network.moveTo({position: {x: 20000, y: 0}, scale: 1, animation: false});
            network.redraw();
            const dom = network.canvasToDOM({x: 20000, y: 0});
            const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y,
                    node: network.getNodeAt(dom) || null, edge: network.getEdgeAt(dom) || null};
        }""",
        edge_id,
    )
    assert point["node"] is None and point["edge"] == edge_id, point
    page.mouse.click(point["x"], point["y"])
    shown = page.evaluate("document.body.getAttribute('data-shown')")
    assert shown == f"edge:{edge_id}", f"clicked edge {edge_id} at {point}, panel shows {shown!r}"


def test_nodes_and_edges_are_drawn_offline(open_map, example_map):
    path, store = example_map
    page, outside = open_map(path)
    counts = page.evaluate("[nodes.length, edges.length]")
    assert counts[0] >= 15 and counts[1] >= 15
    painted = page.evaluate(
        """() => { const c = document.querySelector('#mynetwork canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"""
    )
    assert painted > 1000
    assert outside == [] and page.errors == []


def test_search_focuses_an_actor(open_map, example_map):
    page, _ = open_map(example_map[0])
    page.fill("#sv-search", "kriminalvarden")
    page.press("#sv-search", "Enter")
    assert page.evaluate("document.body.getAttribute('data-focused')") == "kriminalvarden"
    assert page.evaluate("network.getSelectedNodes()") == ["kriminalvarden"]
    view, node = page.evaluate("[network.getViewPosition(), network.getPositions(['kriminalvarden']).kriminalvarden]")
    assert abs(view["x"] - node["x"]) < 1 and abs(view["y"] - node["y"]) < 1
    assert "Kriminalvården" in page.inner_text("#sv-panel")


def test_search_for_an_unknown_name_says_so(open_map, example_map):
    page, _ = open_map(example_map[0])
    page.fill("#sv-search", "Tullverket i Haparanda")
    page.press("#sv-search", "Enter")
    assert "Hittar ingen aktör" in page.inner_text("#sv-notice")


def test_clicking_an_edge_shows_its_quote(open_map, example_map):
    page, _ = open_map(example_map[0])
    edge_id = "polisregion-stockholm|stadsovergripande-samverkansoverenskommelse-polisregion-stockholm-och-stockholms-stad"
    assert page.evaluate(f"edges.get('{edge_id}') !== null")
    _click_edge(page, edge_id)
    text = page.inner_text("#sv-panel")
    assert "I slutet av 2019 tecknade staden och Polisregion Stockholm" in text
    assert "000_dcc03598cb1e7b7d.txt" in text


def test_filters_hide_by_kind_and_status(open_map, example_map):
    page, _ = open_map(example_map[0])
    page.uncheck("input[data-kind='agreement']")
    hidden = page.evaluate("nodes.get().filter(n => n.hidden).map(n => n.id)")
    assert hidden and all(page.evaluate(f"samverkanKind('{n}')") == "agreement" for n in hidden)
    page.check("input[data-kind='agreement']")
    page.uncheck("input[data-status='existing']")
    visible = page.evaluate("edges.get().filter(e => !e.hidden).map(e => e.id)")
    statuses = page.evaluate("(ids) => ids.map(id => samverkan.edgeData(id).statuses)", visible)
    assert visible and all(set(s) - {"existing"} for s in statuses)


INJECTED_NAME = '<img src=x onerror="window.__pwned=1">Trygg förening'
INJECTED_QUOTE = '<script>window.__pwned=2</script> samverkar med <b onmouseover="window.__pwned=3">Tullverket</b>.'


def test_injected_markup_is_shown_as_text(open_map, tmp_path):
    store = MemoryStore()
    store.add(extraction(
        "x", "<script>alert(1)</script>.txt",
        [entity(INJECTED_NAME, Kind.ngo), entity("Tullverket", Kind.agency)],
        [(INJECTED_NAME, "Tullverket", RelationType.COLLABORATES_WITH, Status.existing, INJECTED_QUOTE)],
    ))
    out = tmp_path / "karta.html"
    render(store.to_networkx(), document_names(store.documents()), out)
    page, outside = open_map(out)
    (edge_id,) = page.evaluate("edges.getIds()")
    _click_edge(page, edge_id)
    panel = page.inner_text("#sv-panel")
    assert INJECTED_QUOTE in panel
    node_id = page.evaluate("nodes.getIds().find(id => id !== 'tullverket')")
    page.evaluate(f"samverkan.showNode('{node_id}')")
    assert INJECTED_NAME in page.inner_text("#sv-panel")
    page.fill("#sv-search", "Trygg")
    page.press("#sv-search", "Enter")
    page.mouse.move(5, 5)
    point = page.evaluate(
        f"""() => {{ const p = network.getPositions(['{node_id}'])['{node_id}'], d = network.canvasToDOM(p);
                    const b = document.querySelector('#mynetwork canvas').getBoundingClientRect();
                    return {{x: b.left + d.x, y: b.top + d.y}}; }}"""
    )
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(600)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#sv-panel img, #sv-panel script, #sv-panel b, .vis-tooltip img').length") == 0
    assert outside == [] and page.errors == []


def test_png_button_saves_a_png(open_map, example_map, tmp_path):
    page, _ = open_map(example_map[0])
    with page.expect_download() as info:
        page.click("#sv-png")
    target = tmp_path / "karta.png"
    info.value.save_as(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 5000


def test_a_large_map_is_still_and_its_lines_clickable(open_map, tmp_path):
    """Above the physics limit the layout comes from Python: nothing moves, lines are straight."""
    names = [f"Förening {i}" for i in range(PHYSICS_LIMIT + 20)]
    store = MemoryStore()
    store.add(extraction(
        "stor karta", "stor.txt", [entity(n, Kind.ngo) for n in names],
        [(a, b, RelationType.COLLABORATES_WITH, Status.existing, f"{a} samarbetar med {b}.")
         for a, b in zip(names, names[1:])],
    ))
    out = tmp_path / "karta.html"
    render(store.to_networkx(), document_names(store.documents()), out)
    page, outside = open_map(out)
    before = page.evaluate("JSON.stringify(network.getPositions())")
    page.wait_for_timeout(300)
    assert page.evaluate("JSON.stringify(network.getPositions())") == before
    assert page.evaluate("network.physics.options.enabled") is False
    assert page.evaluate("network.edgesHandler.options.smooth.enabled") is False
    _click_edge(page, "forening-0|forening-1")
    assert "Förening 0 samarbetar med Förening 1." in page.inner_text("#sv-panel")
    assert outside == [] and page.errors == []


def test_a_map_opens_as_the_same_picture_twice(open_map, example_map):
    """A map sent to a colleague must show them what the sender saw."""
    seen = []
    for _ in range(2):
        page, _ = open_map(example_map[0])
        page.wait_for_function("document.body.getAttribute('data-settled') === 'true'", timeout=15000)
        seen.append(page.evaluate("JSON.stringify(network.getPositions())"))
    assert seen[0] == seen[1]
