"""The page around the network: header (search, size and colour toggles, PNG), the side bar
(filters and legend) and the evidence panel. Every text comes from viz/data/labels.yaml.

The page is laid out as a column as tall as the window: header, then a row of side bar,
canvas and panel that takes the rest; the side bar and panel scroll inside themselves, so
the page itself never scrolls and nothing is cut off.
"""

from __future__ import annotations

import html
from viz.labels import kind_label, labels, status_label

#: Widths the legend shows, as (label key, documents behind the tie); map.js draws width the same way.
WIDTH_SAMPLES = [("width_one", 1), ("width_few", 3), ("width_many", 6)]


def line_width(documents: int) -> float:
    """A line's width for the documents behind it (map.js: 1 + min(documents * 1.5, 8))."""
    return 1 + min(documents * 1.5, 8)


def shape_svg(shape: str, colour: str, size: int = 14) -> str:
    """A small picture of a node's shape in its colour, for the legend."""
    h = size / 2
    figures = {
        "square": f'<rect x="2" y="2" width="{size - 4}" height="{size - 4}"/>',
        "diamond": f'<polygon points="{h},1 {size - 1},{h} {h},{size - 1} 1,{h}"/>',
        "triangle": f'<polygon points="{h},1 {size - 1},{size - 2} 1,{size - 2}"/>',
        "triangleDown": f'<polygon points="1,2 {size - 1},2 {h},{size - 1}"/>',
    }
    figure = figures.get(shape, f'<circle cx="{h}" cy="{h}" r="{h - 1.5}"/>')
    return (f'<svg class="sv-shape" width="{size}" height="{size}" aria-hidden="true">'
            f'<g fill="{html.escape(colour)}" stroke="#333" stroke-width="0.8">{figure}</g></svg>')


def line_svg(dashes: bool, opacity: float, width: float = 2.0, colour: str = "#555555") -> str:
    """A short line in a status's style (or of a width), for the legend."""
    dash = ' stroke-dasharray="5,4"' if dashes else ""
    return (f'<svg class="sv-line" width="36" height="12" aria-hidden="true"><line x1="1" y1="6" x2="35" y2="6" '
            f'stroke="{colour}" stroke-opacity="{opacity}" stroke-width="{width}"{dash}/></svg>')


def legend(kinds_present: list[str], statuses_present: list[str]) -> str:
    """Kinds (colour and shape), statuses (line style), width, weak ties, reviews, communities."""
    styles, ui = labels(), labels()["ui"]
    e = html.escape
    kinds = "".join(
        f'<li data-legend-kind="{e(k)}">{shape_svg(styles["kinds"].get(k, {}).get("shape", "dot"), styles["kinds"].get(k, {}).get("color", "#999999"))}'
        f"{e(kind_label(k))}</li>" for k in kinds_present)
    statuses = "".join(
        f'<li data-legend-status="{e(s)}">{line_svg(bool(styles["statuses"][s]["dashes"]), styles["statuses"][s]["opacity"])}'
        f"{e(status_label(s))}</li>" for s in statuses_present)
    widths = "".join(f"<li>{line_svg(False, 1.0, line_width(n))}{e(ui[key])}</li>" for key, n in WIDTH_SAMPLES)
    reviews = "".join(f'<li>{line_svg(False, 1.0, 3, r["color"])}{e(r["mark"])} {e(r["label"])}</li>'
                      for r in styles["reviews"].values())
    return (
        f'<section id="sv-legend" aria-label="{e(ui["legend"])}"><h2>{e(ui["legend"])}</h2>'
        f'<h3>{e(ui["legend_kinds"])}</h3><ul class="sv-legend-kinds">{kinds}</ul>'
        f'<p id="sv-legend-community" class="sv-note" hidden>{e(ui["legend_community"])}</p>'
        f'<h3>{e(ui["legend_statuses"])}</h3><ul>{statuses}</ul>'
        f'<h3>{e(ui["legend_width"])}</h3><ul>{widths}</ul>'
        f'<p class="sv-note">{e(ui["legend_weak"])}</p>'
        f'<h3>{e(ui["legend_review"])}</h3><ul>{reviews}</ul></section>'
    )


def filters(kinds_present: list[str], statuses_present: list[str]) -> str:
    """Kind and status boxes, document list, years, minimum sources and confidence.
    The document list and year bounds are filled by map.js from the data."""
    ui = labels()["ui"]
    e = html.escape
    kind_boxes = "".join(f'<label><input type="checkbox" checked data-kind="{e(k)}">{e(kind_label(k))}</label>'
                         for k in kinds_present)
    status_boxes = "".join(f'<label><input type="checkbox" checked data-status="{e(s)}">{e(status_label(s))}</label>'
                           for s in statuses_present)
    return (
        f'<section id="sv-filters" aria-label="{e(ui["filters"])}"><h2>{e(ui["filters"])}</h2>'
        f'<fieldset><legend>{e(ui["kind_filter"])}</legend>{kind_boxes}</fieldset>'
        f'<fieldset><legend>{e(ui["status_filter"])}</legend>{status_boxes}</fieldset>'
        f'<label class="sv-field">{e(ui["document_filter"])}<select id="sv-document">'
        f'<option value="">{e(ui["all_documents"])}</option></select></label>'
        f'<fieldset><legend>{e(ui["years"])}</legend>'
        f'<label>{e(ui["year_from"])} <input id="sv-year-from" type="number" step="1"></label> '
        f'<label>{e(ui["year_to"])} <input id="sv-year-to" type="number" step="1"></label></fieldset>'
        f'<label class="sv-field">{e(ui["min_sources"])} <input id="sv-min-sources" type="number" min="1" value="1"></label>'
        f'<label class="sv-field">{e(ui["min_confidence"])} <input id="sv-min-confidence" type="range" min="0" max="1" '
        f'step="0.05" value="0"> <output id="sv-min-confidence-value">0</output></label></section>'
    )


def header(title: str) -> str:
    ui = labels()["ui"]
    e = html.escape
    return (
        f'<header id="sv-header"><h1>{e(title)}</h1>'
        f'<div id="sv-searchbox"><input id="sv-search" type="search" autocomplete="off" '
        f'placeholder="{e(ui["search_placeholder"])}" aria-label="{e(ui["search_label"])}" '
        f'aria-controls="sv-candidates"><ul id="sv-candidates" role="listbox" hidden></ul></div>'
        f'<label>{e(ui["size"])} <select id="sv-size"><option value="partners">{e(ui["size_partners"])}</option>'
        f'<option value="betweenness">{e(ui["size_betweenness"])}</option></select></label>'
        f'<label>{e(ui["colour"])} <select id="sv-colour"><option value="kind">{e(ui["colour_kind"])}</option>'
        f'<option value="community">{e(ui["colour_community"])}</option></select></label>'
        f'<button id="sv-png" type="button">{e(ui["png"])}</button>'
        f'<button id="sv-clear" type="button" hidden>{e(ui["clear_focus"])}</button>'
        f'<span id="sv-notice" role="status"></span><span id="sv-shown"></span></header>'
    )


def controls(title: str, kinds_present: list[str], statuses_present: list[str]) -> str:
    """The page's body before the scripts, for the kinds of the nodes and statuses of the lines drawn."""
    hint = html.escape(labels()["ui"]["hint"])
    return (
        f'<div id="sv-app">{header(title)}<div id="sv-main">'
        f'<aside id="sv-side">{filters(kinds_present, statuses_present)}{legend(kinds_present, statuses_present)}</aside>'
        '<div id="sv-canvas"><div id="mynetwork"></div></div>'
        f'<aside id="sv-panel"><p class="sv-hint">{hint}</p></aside></div></div>'
    )
