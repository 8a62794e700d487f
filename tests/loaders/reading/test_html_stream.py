"""The streaming web-page reader on random markup: text or a LoaderError, never anything else,
and never deeper than its limit however the tags nest."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.reading.formats import html_text
from loaders.reading.limits import Limits
from loaders.reading.read import LoaderError

TAGS = ["p", "div", "li", "ul", "td", "tr", "table", "h1", "h3", "br", "script", "head", "body", "b", "span", "nav"]
pieces = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(["<!--", "-->", "<!DOCTYPE html>", "<![CDATA[", "&amp;", "&#x0;", "&#99999999;", "<", ">", "</",
                     "<a href='x", "\u202e", "\x00"]),
    st.text(max_size=12),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=60))
def test_random_markup_gives_text_or_a_loader_error(parts):
    page = "".join(parts)
    try:
        text = html_text(page, "slump.html", Limits(max_html_depth=20))
    except LoaderError as exc:
        assert "slump.html" in str(exc)
        return
    assert isinstance(text, str) and text == text.strip() and "\n\n\n" not in text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["div", "span", "section", "b"]), min_size=30, max_size=80))
def test_nesting_past_the_limit_is_refused(tags):
    page = "".join(f"<{t}>" for t in tags) + "text"
    try:
        html_text(page, "djup.html", Limits(max_html_depth=len(tags) - 1))
    except LoaderError as exc:
        assert "--max-html-depth" in str(exc)
    else:
        raise AssertionError("a page deeper than the limit was read")
    assert html_text(page, "djup.html", Limits(max_html_depth=len(tags))) == "text"


def _parse_seconds(page: str) -> float:
    started = time.perf_counter()
    text = html_text(page, "djup.html", Limits(max_html_seconds=600))
    assert text.count("cell") == 15_000 and text.count("punkt") == 5_000 and "\n\npunkt" in text
    return time.perf_counter() - started


def test_a_tag_costs_the_same_at_any_depth():
    """List items and cells inside 995 open elements (within the default depth limit) once
    cost 7-15 times what they cost at the top, as each of them walked the stack of open
    elements for the item or cell it ends: 1 MB took 24 s. The bound is relative, so a loaded
    machine slows both sides alike; a guard against walking the stack again, not a speed target."""
    shallow = ("<li>punkt" + "<td>cell" * 3) * 5_000
    deep = "<div>" * 500 + "<b>" * 495 + shallow
    seconds = min(_parse_seconds(shallow) for _ in range(2)), min(_parse_seconds(deep) for _ in range(2))
    assert seconds[1] < 2.5 * seconds[0] + 0.5, seconds
