"""The map's interactions in real Chromium: focus on an actor, partner links, forgiving search
with a candidate list, actors without ties, legend, fitting the window, PNG export of the whole
network, filters by document, year, sources and confidence, size and colour toggles, reviews."""

import io

import pytest

from tests.viz.mapfixture import interaction_store, render_interaction_map
from viz.labels import labels
from viz.render import select


@pytest.fixture(scope="module")
def interaction_map(tmp_path_factory):
    return render_interaction_map(tmp_path_factory.mktemp("karta") / "karta.html")


def _settled(page) -> None:
    page.wait_for_function("document.body.getAttribute('data-settled') === 'true'", timeout=15000)


def _place_apart(page, node_ids: list[str]) -> None:
    """Put the given nodes on a wide row, well apart, and the view over them: what physics
    leaves depends on the machine, and a click must hit the node it aims at."""
    page.evaluate(
        """(ids) => {
            const all = nodes.getIds();
            all.forEach((id, k) => network.moveNode(id, 400 * k, 0));
            network.fit({animation: false});
            network.redraw();
        }""",
        node_ids,
    )


def _dom_point(page, node_id: str) -> dict:
    return page.evaluate(
        """(id) => { const p = network.getPositions([id])[id], d = network.canvasToDOM(p);
                     const b = document.querySelector('#mynetwork canvas').getBoundingClientRect();
                     return {x: b.left + d.x, y: b.top + d.y, hit: network.getNodeAt(d) || null}; }""",
        node_id,
    )


def _pixel(page, point: dict) -> list[int]:
    """The canvas's colour at a page point, as [r, g, b, a]."""
    return page.evaluate(
        """(p) => { const c = document.querySelector('#mynetwork canvas'), b = c.getBoundingClientRect();
                    const r = window.devicePixelRatio || 1;
                    return Array.from(c.getContext('2d').getImageData(Math.round((p.x - b.left) * r),
                                                                      Math.round((p.y - b.top) * r), 1, 1).data); }""",
        point,
    )


def _hex(colour: str) -> list[int]:
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


def _close(pixel: list[int], rgb: list[int], tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb))


def test_clicking_an_actor_keeps_its_neighbourhood_and_dims_the_rest(open_map, interaction_map):
    page, outside = open_map(interaction_map)
    _settled(page)
    _place_apart(page, [])
    kinds = labels()["kinds"]
    target = _dom_point(page, "kriminalvarden")
    assert target["hit"] == "kriminalvarden"
    far = _dom_point(page, "lansstyrelsen-skane")
    neighbour = _dom_point(page, "polismyndigheten")
    assert _close(_pixel(page, far), _hex(kinds["agency"]["color"]))
    page.mouse.click(target["x"], target["y"])
    assert page.evaluate("document.body.getAttribute('data-focused')") == "kriminalvarden"
    assert sorted(page.evaluate("samverkan.neighbourhood().nodes")) == ["kriminalvarden", "polismyndigheten"]
    # The rest is veiled in white; the neighbourhood keeps its colour.
    dimmed = _pixel(page, far)
    assert min(dimmed[:3]) > 200, dimmed
    assert _close(_pixel(page, neighbour), _hex(kinds["agency"]["color"]))
    assert _close(_pixel(page, target), _hex(kinds["agency"]["color"]))
    panel = page.inner_text("#sv-panel")
    assert "Kriminalvården" in panel and "Samarbetspartner (1)" in panel
    # A partner in the panel is a link that moves the focus.
    page.click("#sv-panel a.sv-partner[data-node='polismyndigheten']")
    assert page.evaluate("document.body.getAttribute('data-focused')") == "polismyndigheten"
    assert sorted(page.evaluate("samverkan.neighbourhood().nodes")) == [
        "kriminalvarden", "malmo-stad", "polismyndigheten", "trygg-i-malmo"]
    assert page.inner_text("#sv-panel h3") == "Polismyndigheten"
    page.evaluate("network.fit({animation: false}); network.redraw()")  # the focus moved the view
    far, kriminalvarden = _dom_point(page, "lansstyrelsen-skane"), _dom_point(page, "kriminalvarden")
    assert min(_pixel(page, far)[:3]) > 200
    assert _close(_pixel(page, kriminalvarden), _hex(kinds["agency"]["color"]))
    # A click on empty canvas shows the whole map again.
    box = page.evaluate("(() => { const b = document.querySelector('#mynetwork canvas').getBoundingClientRect();"
                        " return {x: b.left + 5, y: b.bottom - 5}; })()")
    page.mouse.click(box["x"], box["y"])
    assert page.evaluate("document.body.getAttribute('data-focused')") is None
    assert _close(_pixel(page, far), _hex(kinds["agency"]["color"]))
    assert outside == [] and page.errors == []


@pytest.mark.parametrize("typed, expected", [
    ("polisen", "polismyndigheten"),             # an alias, lower case
    ("Polismyndighetens", "polismyndigheten"),   # genitive
    ("POLISMYNDIGHETEN", "polismyndigheten"),    # case
    ("malmo stad", "malmo-stad"),                # diacritics
    ("Kriminalvårdn", "kriminalvarden"),         # a typo
    ("Räddningstjänsten-syd", "raddningstjansten-syd"),  # a dash for a space
    ("Länsstyrelsens", "lansstyrelsen-skane"),   # the start of a name, inflected
])
def test_search_forgives_case_diacritics_inflection_and_typos(open_map, interaction_map, typed, expected):
    page, _ = open_map(interaction_map)
    page.fill("#sv-search", typed)
    page.press("#sv-search", "Enter")
    assert page.evaluate("document.body.getAttribute('data-focused')") == expected
    assert page.evaluate("network.getSelectedNodes()") == [expected]
    assert page.inner_text("#sv-notice") == ""


def test_search_lists_candidates_to_choose_from(open_map, interaction_map):
    page, _ = open_map(interaction_map)
    page.type("#sv-search", "skåne")
    page.wait_for_selector("#sv-candidates li")
    assert page.is_visible("#sv-candidates")
    names = page.evaluate("Array.from(document.querySelectorAll('#sv-candidates li')).map(li => li.firstChild.textContent)")
    assert set(names) == {"Region Skåne", "Länsstyrelsen Skåne"}
    # Arrow down and Enter choose the second candidate; a click chooses any.
    page.press("#sv-search", "ArrowDown")
    page.press("#sv-search", "Enter")
    assert page.inner_text("#sv-panel h3") == names[1]
    assert page.is_hidden("#sv-candidates")
    page.fill("#sv-search", "")
    page.type("#sv-search", "krim")
    page.click("#sv-candidates li >> nth=0")
    assert page.evaluate("document.body.getAttribute('data-focused')") == "kriminalvarden"


def test_an_actor_without_ties_is_found_and_said_to_have_none(open_map, interaction_map):
    page, _ = open_map(interaction_map)
    assert page.evaluate("nodes.get('tullverket')") is None
    page.type("#sv-search", "tullverkets")
    page.wait_for_selector("#sv-candidates li")
    assert "inga samband" in page.inner_text("#sv-candidates")
    page.press("#sv-search", "Enter")
    assert page.inner_text("#sv-notice") == "Tullverket finns men har inga samband."
    page.fill("#sv-search", "Skattemyndigheten")
    page.press("#sv-search", "Enter")
    assert "Hittar ingen aktör" in page.inner_text("#sv-notice")


def test_an_actor_left_out_of_a_focused_map_is_said_to_have_ties_elsewhere(open_map, tmp_path):
    store = interaction_store()
    graph = select(store.subgraph(["kriminalvarden"], depth=1))
    tied = {end for r in store.relations() for end in (r.source, r.target)}
    out = render_interaction_map(tmp_path / "fokus.html", store, graph, tied=tied)
    page, _ = open_map(out)
    assert sorted(page.evaluate("nodes.getIds()")) == ["kriminalvarden", "polismyndigheten"]
    page.fill("#sv-search", "Malmö stad")
    page.press("#sv-search", "Enter")
    assert page.inner_text("#sv-notice") == "Malmö stad har samband, men inga med på den här kartan (fokus eller urval)."
    page.fill("#sv-search", "Tullverket")
    page.press("#sv-search", "Enter")
    assert page.inner_text("#sv-notice") == "Tullverket finns men har inga samband."


def test_the_legend_shows_kinds_statuses_and_width(open_map, interaction_map):
    page, _ = open_map(interaction_map)
    styles = labels()
    kinds = page.evaluate(
        """() => Array.from(document.querySelectorAll('#sv-legend [data-legend-kind]')).map(li => ({
              kind: li.dataset.legendKind, text: li.textContent,
              fill: li.querySelector('svg g').getAttribute('fill'),
              figure: li.querySelector('svg g').firstElementChild.tagName}))""")
    assert {k["kind"] for k in kinds} == {"agency", "municipality", "ngo", "region", "project"}
    figures = {"dot": "circle", "diamond": "polygon", "square": "rect"}
    for k in kinds:
        assert k["fill"] == styles["kinds"][k["kind"]]["color"] and k["text"] == styles["kinds"][k["kind"]]["label"]
        assert k["figure"] == figures[styles["kinds"][k["kind"]]["shape"]]
    statuses = page.evaluate(
        """() => Array.from(document.querySelectorAll('#sv-legend [data-legend-status]')).map(li => ({
              status: li.dataset.legendStatus, dashed: li.querySelector('line').hasAttribute('stroke-dasharray')}))""")
    assert {s["status"]: s["dashed"] for s in statuses} == {"existing": False, "planned": True, "proposed": True}
    widths = page.evaluate("""() => Array.from(document.querySelectorAll('#sv-legend ul')[2].querySelectorAll('line'))
                                  .map(l => Number(l.getAttribute('stroke-width')))""")
    assert len(widths) == 3 and widths == sorted(widths) and widths[0] < widths[-1]
    assert page.is_visible("#sv-legend") and "Linjens bredd" in page.inner_text("#sv-legend")
    assert page.is_hidden("#sv-legend-community")
    page.select_option("#sv-colour", "community")
    assert page.is_visible("#sv-legend-community")
    fill = page.evaluate("getComputedStyle(document.querySelector('#sv-legend [data-legend-kind] svg g')).fill")
    assert fill == "rgb(221, 221, 221)"  # shapes stay, kind colours do not


@pytest.mark.parametrize("width, height", [(1400, 900), (1280, 720)])
def test_the_page_fits_the_window(browser, interaction_map, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(interaction_map.resolve().as_uri())
        page.wait_for_function("document.body.getAttribute('data-ready') === 'true'", timeout=15000)
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert sizes[0] <= width and sizes[1] <= height
        for selector in ["#sv-header", "#sv-search", "#sv-size", "#sv-colour", "#sv-png", "#sv-side", "#sv-canvas",
                         "#sv-panel", "#mynetwork canvas"]:
            box = page.evaluate(f"(() => {{ const b = document.querySelector('{selector}').getBoundingClientRect();"
                                " return [b.left, b.top, b.right, b.bottom]; })()")
            assert box[0] >= 0 and box[1] >= 0 and box[2] <= width + 0.5 and box[3] <= height + 0.5, (selector, box)
        canvas = page.evaluate("document.querySelector('#mynetwork canvas').getBoundingClientRect().height")
        assert canvas > height * 0.7
        # The side bar scrolls inside itself to its last legend line.
        page.evaluate("document.querySelector('#sv-legend li:last-child').scrollIntoView()")
        last = page.evaluate("document.querySelector('#sv-legend li:last-child').getBoundingClientRect().bottom")
        assert last <= height
    finally:
        page.close()


def test_png_export_is_the_whole_network_on_white_with_title_and_legend(open_map, interaction_map, tmp_path):
    from PIL import Image

    page, _ = open_map(interaction_map)
    _settled(page)
    # Zoomed in on one actor: the view holds only part of the map, the export all of it.
    page.evaluate("network.focus('kriminalvarden', {scale: 6, animation: false})")
    before = page.evaluate("[network.getScale(), network.getViewPosition()]")
    with page.expect_download() as info:
        page.click("#sv-png")
    target = tmp_path / "karta.png"
    info.value.save_as(target)
    exported = page.evaluate("JSON.parse(document.body.getAttribute('data-exported'))")
    assert exported["nodes"] == 7 and exported["inside"] == 7
    assert page.evaluate("[network.getScale(), network.getViewPosition()]") == before
    image = Image.open(io.BytesIO(target.read_bytes())).convert("RGBA")
    assert image.width >= 3000 and image.height >= 2000
    corners = [image.getpixel(p) for p in [(0, 0), (image.width - 1, 0), (0, image.height - 1),
                                           (image.width - 1, image.height - 1)]]
    assert all(c == (255, 255, 255, 255) for c in corners)
    title = image.crop((0, 0, 1200, 90)).convert("L")
    assert title.getextrema()[0] < 60  # dark title text on white
    colours = {c for _, c in image.getcolors(maxcolors=1 << 24)}
    kinds = labels()["kinds"]
    for kind in ("agency", "municipality", "region", "project", "ngo"):
        rgb = tuple(_hex(kinds[kind]["color"]))
        assert any(_close(list(c[:3]), list(rgb), 4) for c in colours), kind
    legend = image.crop((0, 2100, image.width, image.height)).convert("L")
    assert legend.getextrema()[0] < 60  # legend text below the network


def test_filters_by_document_year_sources_and_confidence(open_map, interaction_map):
    page, _ = open_map(interaction_map)

    def visible() -> set[str]:
        return set(page.evaluate("edges.get().filter(e => !e.hidden).map(e => e.id)"))

    everything = visible()
    assert len(everything) == 7
    spring = page.evaluate("""Array.from(document.querySelectorAll('#sv-document option'))
                              .find(o => o.textContent.startsWith('protokoll-var-2019.txt')).value""")
    page.select_option("#sv-document", spring)
    assert visible() == {"kriminalvarden|polismyndigheten", "malmo-stad|polismyndigheten", "malmo-stad|region-skane"}
    assert page.evaluate("nodes.get('lansstyrelsen-skane').hidden") is True
    page.select_option("#sv-document", "")
    page.fill("#sv-year-from", "2023")
    assert visible() == {"malmo-stad|raddningstjansten-syd"}  # since 2023
    page.fill("#sv-year-from", "")
    page.fill("#sv-year-to", "2019")
    assert visible() == {"kriminalvarden|polismyndigheten", "malmo-stad|polismyndigheten", "malmo-stad|region-skane"}
    page.fill("#sv-year-to", "")
    page.fill("#sv-min-sources", "2")
    assert visible() == {"malmo-stad|polismyndigheten"}
    page.fill("#sv-min-sources", "1")
    assert visible() == everything
    page.evaluate("(() => { const r = document.getElementById('sv-min-confidence'); r.value = '0.8';"
                  " r.dispatchEvent(new Event('input')); })()")
    assert visible() == everything - {"lansstyrelsen-skane|region-skane"}
    assert page.evaluate("nodes.get('lansstyrelsen-skane').hidden") is True
    assert page.inner_text("#sv-shown") == "6 aktörer och 6 samband visas"


def test_node_size_and_colour_follow_the_toggles(open_map, interaction_map):
    page, _ = open_map(interaction_map)
    sizes = page.evaluate("Object.fromEntries(nodes.get().map(n => [n.id, n.size]))")
    assert sizes["malmo-stad"] > sizes["kriminalvarden"]  # more partners
    page.select_option("#sv-size", "betweenness")
    broker = page.evaluate("Object.fromEntries(nodes.get().map(n => [n.id, n.size]))")
    # Malmö stad stands between the police's side and the region's: the largest broker.
    assert max(broker, key=broker.get) == "malmo-stad"
    assert broker["kriminalvarden"] < sizes["kriminalvarden"]  # no one depends on it to reach others
    kinds = labels()["kinds"]
    colours = page.evaluate("Object.fromEntries(nodes.get().map(n => [n.id, n.color]))")
    assert colours["polismyndigheten"] == colours["kriminalvarden"] == kinds["agency"]["color"]
    page.select_option("#sv-colour", "community")
    colours = page.evaluate("Object.fromEntries(nodes.get().map(n => [n.id, n.color]))")
    palette = labels()["palette"]
    assert set(colours.values()) <= set(palette) and len(set(colours.values())) >= 2
    assert colours["region-skane"] == colours["lansstyrelsen-skane"] != colours["kriminalvarden"]
    assert colours["polismyndigheten"] == colours["kriminalvarden"]


def test_a_reviewed_tie_is_marked_and_its_review_shown(open_map, tmp_path):
    store = interaction_store()
    graph = select(store.to_networkx())
    review = {"verdict": "bekräftad", "by": "Karin Lund", "date": "2026-11-30",
              "note": "Stämmer med protokollet från maj."}
    for u, v, key, data in graph.edges(keys=True, data=True):
        if {u, v} == {"kriminalvarden", "polismyndigheten"}:
            graph.edges[u, v, key]["review"] = review
    out = render_interaction_map(tmp_path / "granskad.html", store, graph)
    page, _ = open_map(out)
    edge = page.evaluate("edges.get('kriminalvarden|polismyndigheten')")
    other = page.evaluate("edges.get('malmo-stad|polismyndigheten')")
    reviewed = labels()["reviews"]["bekräftad"]
    assert edge["label"] == reviewed["mark"] and edge["color"]["color"] == reviewed["color"]
    assert "label" not in other
    page.evaluate("samverkan.showEdge('kriminalvarden|polismyndigheten')")
    panel = page.inner_text("#sv-panel")
    assert "Granskning: bekräftad av Karin Lund 2026-11-30" in panel
    assert "Stämmer med protokollet från maj." in panel
    assert "Kriminalvården lämnar lägesbilder till Polismyndigheten." in panel
    assert "Säkerhet: 0,9" in panel and "Källor: 1 dokument" in panel and "År: 2019" in panel


def test_a_weakly_read_tie_is_drawn_lighter_than_a_strong_one(open_map, interaction_map):
    """Region Skåne and Länsstyrelsen Skåne are only named side by side (confidence 0.6)."""
    page, _ = open_map(interaction_map)
    styles = labels()
    weak = page.evaluate("edges.get('lansstyrelsen-skane|region-skane').color.opacity")
    strong = page.evaluate("(edges.get('kriminalvarden|polismyndigheten').color || {opacity: 1}).opacity")
    assert weak == styles["statuses"]["existing"]["opacity"] * styles["weak_opacity"] < strong == 1
    drawn = page.evaluate("network.body.edges['kriminalvarden|polismyndigheten'].options.color.opacity")
    assert drawn == 1


def test_every_line_shows_a_quote(open_map, interaction_map):
    page, _ = open_map(interaction_map)
    for edge_id in page.evaluate("edges.getIds()"):
        page.evaluate(f"samverkan.showEdge('{edge_id}')")
        assert page.locator("#sv-panel blockquote").count() >= 1, edge_id
