"""Text out of PDF, Word and web pages; scanned PDFs through Tesseract when it is installed.

Headings of Word documents and web pages are written as Markdown headings, so that
structure.py finds the sections a remiss compilation is made of. Every failure is a
LoaderError that says what is wrong with the file and, where it helps, what to do.

Each reader keeps to the limits (loaders/reading/limits.py) while it reads, not after: a Word
file's parts are measured as they are unpacked, a web page is parsed as a stream with
its depth and time counted, a PDF's pages and text are counted page by page. A file
past a limit is refused with a message naming the limit and the option that raises it.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from bisect import bisect_right
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

from loaders.reading.limits import Limits
from loaders.reading.read import LoaderError, megabytes

#: Fewer characters than this per page means the PDF has no text layer: it is a scan.
MIN_CHARS_PER_PAGE = 25
OCR_LANGUAGE = "swe"
OCR_DPI = 300


def pdf_text(data: bytes, path: Path | str, limits: Optional[Limits] = None) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    limits = limits or Limits()
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoaderError(path, "ingen PDF-fil (saknar %PDF-huvud)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises several kinds here
                raise LoaderError(path, f"krypterad PDF som inte kan öppnas ({exc})") from exc
            if not opened:
                raise LoaderError(path, "krypterad PDF: den kräver ett lösenord")
        count = len(reader.pages)
        _check_pages(count, limits, path)
        pages, chars = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            if chars > limits.max_text_chars:
                raise LoaderError(path, f"PDF:ens text är över gränsen {limits.max_text_chars / 1e6:g} miljoner "
                                        f"tecken (efter {len(pages) + 1} av {count} sidor; --max-text-mb)")
            pages.append(text)
    except LoaderError:
        raise
    except LimitReachedError as exc:
        raise LoaderError(path, f"PDF:en packar upp till mer än läsarens gräns ({exc})") from exc
    except RecursionError as exc:
        raise LoaderError(path, "skadad eller avklippt PDF (för djupt nästlade objekt)") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            ArithmeticError, AssertionError, LookupError) as exc:
        raise LoaderError(path, f"skadad eller avklippt PDF ({exc})") from exc
    if not pages:
        raise LoaderError(path, "PDF utan sidor")
    if sum(len(p.strip()) for p in pages) < MIN_CHARS_PER_PAGE * len(pages):
        return ocr_pdf(data, path, limits)
    return "\f".join(pages)


def _check_pages(count: int, limits: Limits, path: Path | str) -> None:
    if count > limits.max_pdf_pages:
        raise LoaderError(path, f"PDF:en har {count} sidor, över gränsen {limits.max_pdf_pages} (--max-pdf-pages)")


def ocr_available() -> bool:
    if shutil.which("tesseract") is None:
        return False
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return OCR_LANGUAGE in langs.stdout.split()


def ocr_pdf(data: bytes, path: Path | str, limits: Optional[Limits] = None) -> str:
    """Render each page and let Tesseract's Swedish model read it."""
    if not ocr_available():
        raise LoaderError(
            path, "skannad PDF utan textlager; installera Tesseract med svenska för att läsa den "
                  "(Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-swe)")
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as exc:  # pdfium reports damage with its own error type
        raise LoaderError(path, f"skadad PDF, kan inte återge den för OCR ({exc})") from exc
    _check_pages(len(document), limits or Limits(), path)
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(len(document)):
            image = document[number].render(scale=OCR_DPI / 72).to_pil()
            png = Path(tmp) / f"page{number}.png"
            image.save(png)
            result = subprocess.run(["tesseract", str(png), "-", "-l", OCR_LANGUAGE],
                                    capture_output=True, text=True, timeout=300)
            if result.returncode != 0:
                raise LoaderError(path, f"OCR misslyckades på sida {number + 1}: {result.stderr.strip()[:200]}")
            texts.append(result.stdout)
    document.close()
    return "\f".join(texts)


_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)", re.IGNORECASE)


#: More parts than this in one .docx is no Word document (a few dozen is usual).
MAX_ZIP_MEMBERS = 10_000


def docx_text(data: bytes, path: Path | str, limits: Optional[Limits] = None) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import LxmlError

    limits = limits or Limits()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise LoaderError(path, "ingen Word-fil (.docx): den är inte ett zip-arkiv")
    try:
        check_unpacked_size(data, path, limits.max_unpacked_bytes)
        document = docx.Document(io.BytesIO(data))
    except LoaderError:
        raise
    except LxmlError as exc:  # lxml's own limits (depth, size) and damaged XML
        raise LoaderError(path, f"skadat Word-dokument: dess XML kan inte läsas ({exc})") from exc
    except (PackageNotFoundError, KeyError, ValueError, TypeError, AttributeError, IndexError,
            zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise LoaderError(path, f"skadat Word-dokument ({exc.__class__.__name__}: {exc})") from exc
    blocks: list[str] = []
    try:
        # Paragraphs and tables in the order the document has them: a table of parties belongs
        # under its heading, not after the last page.
        for child in document.element.body.iterchildren():
            if child.tag == qn("w:p"):
                block = _docx_paragraph(Paragraph(child, document))
                blocks += [block] if block else []
            elif child.tag == qn("w:tbl"):
                for row in Table(child, document).rows:
                    cells = [c.text.strip() for c in row.cells if c.text.strip()]
                    if cells:
                        blocks.append(" | ".join(dict.fromkeys(cells)))  # merged cells repeat their text
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, LxmlError) as exc:
        raise LoaderError(path, f"skadat Word-dokument ({exc.__class__.__name__}: {exc})") from exc
    if not blocks:
        raise LoaderError(path, "Word-dokument utan text")
    return "\n\n".join(blocks)


def check_unpacked_size(data: bytes, path: Path | str, limit: int) -> None:
    """Refuse a zip whose parts unpack to more than `limit` bytes, before anything unpacks it.

    A zip bomb of a few KB declares or holds gigabytes; python-docx would unpack every
    part into memory. The sizes the archive declares are summed first (entries that
    share their compressed data, the 'overlapping' bomb, count each time); then every
    part is unpacked as a stream and counted, in case the declared sizes lie.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise LoaderError(path, f"Word-filen har {len(members)} delar, fler än {MAX_ZIP_MEMBERS}: ingen Word-fil")
        declared = sum(member.file_size for member in members)
        if declared > limit:
            raise LoaderError(path, _unpacked_message(declared, limit, "anger att den"))
        unpacked = 0
        for member in members:
            with archive.open(member) as part:
                while chunk := part.read(1 << 20):
                    unpacked += len(chunk)
                    if unpacked > limit:
                        raise LoaderError(path, _unpacked_message(unpacked, limit, "visade sig"))


def _unpacked_message(size: int, limit: int, how: str) -> str:
    return (f"Word-filen {how} packas upp till {'mer än ' if how == 'visade sig' else ''}{megabytes(size)} MB, "
            f"över gränsen {megabytes(limit)} MB (--max-unpacked-mb)")


def _docx_paragraph(paragraph) -> str:
    """A paragraph's text, a heading style written as a Markdown heading."""
    text = paragraph.text.strip()
    if not text:
        return ""
    style = paragraph.style.name if paragraph.style is not None else ""
    level = _HEADING_STYLE.match(style or "")
    if level or style in ("Title", "Rubrik"):
        return "#" * (int(level.group(1)) + 1 if level else 1) + " " + text
    return text


_SKIP = frozenset({"script", "style", "noscript", "nav", "header", "footer", "form", "svg", "template", "head"})
_BLOCKS = frozenset({"p", "li", "div", "tr", "blockquote", "section", "article", "dd", "dt", "pre", "table", "ul",
                     "ol", "main", "aside", "figure", "figcaption", "dl", "address", "caption", "tbody", "thead",
                     "tfoot", "body", "html"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
#: Elements that never hold anything: they open nothing to close.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "keygen", "command", "basefont", "frame", "isindex"})
#: An element of these kinds ends the open one of the same family, up to (not past) the
#: boundary elements: '<li>a<li>b' are two items, not one inside the other. Without this a
#: long page of unclosed <p> or <li> would look thousands of levels deep.
_ENDS_OPEN = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot"}),
    "tbody": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "thead": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "tfoot": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "option": ({"option"}, {"select", "datalist"}),
}
#: A block or heading ends an open <p> when only inline elements are open inside it.
_ENDS_P = _BLOCKS | set(_HEADINGS) | {"hr"}
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
                     "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
                     "big", "tt", "strike", "label", "nobr"})
#: Characters fed to the parser at a time; the parse time is checked between pieces. Large
#: pieces, because html.parser parses an unfinished comment or tag again from its start at
#: every feed: 64 K pieces made 50 MB of one open comment take 34 s instead of 4.
_HTML_PIECE = 1 << 20


def html_text(text: str, path: Path | str, limits: Optional[Limits] = None) -> str:
    """A web page's text, headings as Markdown, blocks apart, table cells ' | ' apart.

    Parsed as a stream (html.parser's tokenizer, no tree), so memory stays in
    proportion to the text, the depth of open elements is counted as they open, and
    the time is checked between pieces of input: a 50 MB page of nested <div>s took
    a tree builder 13 minutes and 5.8 GB.
    """
    limits = limits or Limits()
    parser = _PageText(path, limits.max_html_depth)
    deadline = time.monotonic() + limits.max_html_seconds
    try:
        for start in range(0, len(text), _HTML_PIECE):
            parser.feed(text[start:start + _HTML_PIECE])
            if time.monotonic() > deadline:
                raise LoaderError(path, f"webbsidan tog mer än {limits.max_html_seconds:g} s att tolka, över gränsen "
                                        "(--max-html-seconds)")
        parser.close()
    except LoaderError:
        raise
    except (AssertionError, ValueError, IndexError) as exc:  # html.parser on broken declarations
        raise LoaderError(path, f"skadad webbsida ({exc})") from exc
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.out).split("\n")]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not result:
        raise LoaderError(path, "webbsida utan text")
    site = site_name(parser.title)
    if not site or site in result.split("\n\n", 2)[:2]:
        return result
    # Under the page's own first line, which stays the document's title.
    first, _, rest = result.partition("\n\n")
    return f"{first}\n\n{site}\n\n{rest}" if rest else f"{first}\n\n{site}"


#: Characters of a <title> read at most.
TITLE_CHARS = 300
#: "Sida – Norrby kommun", "Sida | Region Norrsund": the separator before a site's name.
_SITE_SEPARATOR = re.compile(r"\s[–|-]\s")


def site_name(title: str) -> str:
    """The site's name a page's <title> ends with, as a letterhead line: which body's page it is
    is said there and in the navigation, both of which the page's text leaves out."""
    part = title_site(re.sub(r"\s+", " ", title).strip())
    site = part[1].strip() if part and 0 < len(part[1].split()) <= SITE_WORDS else ""
    return site if site and _known_body(site) else ""  # "Projektbanken" is a site, no body


def title_site(title: str) -> Optional[tuple[int, str]]:
    """(offset, text) of what follows a page title's last separator ("Sida – Norrby kommun"),
    None without one: the site's name, by the convention of page titles."""
    last = None
    for last in _SITE_SEPARATOR.finditer(title):
        pass
    return (last.end(), title[last.end():]) if last else None


def _known_body(name: str) -> bool:
    """Is the name a body the gazetteer knows (municipalities, regions, agencies)? Imported here,
    not at the top: reading needs the gazetteer for this one line only."""
    from graph.model import fold
    from loaders.extraction.gazetteer import gazetteer
    return fold(name) in gazetteer().surface


#: Words of a site's name at most ("Region Norrsund", "Länsstyrelsen i Norrsunds län").
SITE_WORDS = 6


class _PageText(HTMLParser):
    """Collects a page's text as the tokenizer streams it, with a stack of the open elements.

    Every tag costs the same however deep it sits: beside the stack, the depths at which
    each kind of element is open (`at`) and those of the open elements that are not inline
    (`blocks`) are kept, so an end tag, an implied end ('<td>' ending the open cell) and a
    block ending an open <p> find what they close without walking the stack. Walking it
    made a page of 1,000 nested <div>s and many cells in them quadratic: 1 MB took 24 s.
    """

    def __init__(self, path: Path | str, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.path, self.max_depth = path, max_depth
        self.out: list[str] = []
        self.open: list[str] = []
        self.at: dict[str, list[int]] = {}  # tag -> depths in `open` where it is open, outermost first
        self.blocks: list[int] = []  # depths of the open elements that are not inline
        self.skip_from: Optional[int] = None  # depth of the outermost open skipped element
        self.cells: list[int] = [0]  # cells so far in each open row
        self.title = ""  # the <title>, read for the site's name it ends with

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _VOID:
            if tag == "br" and self.skip_from is None:
                self._break("\n")
            elif tag == "hr" and self.skip_from is None:
                self._break("\n\n")
            return
        self._end_implied(tag)
        if tag == "body" and self.at.get("head"):  # a page that never closes its <head>
            self._close_to(self.at["head"][0])
        self._push(tag)
        if len(self.open) > self.max_depth:
            raise LoaderError(self.path, f"webbsidan har mer än {self.max_depth} element inuti varandra, över gränsen "
                                         "(--max-html-depth)")
        if tag == "tr":
            self.cells.append(0)
        if self.skip_from is None and tag in _SKIP:
            self.skip_from = len(self.open) - 1
        if self.skip_from is not None:
            return
        if tag in _HEADINGS:
            self.out.append("\n\n" + "#" * _HEADINGS[tag] + " ")
        elif tag in _BLOCKS:
            self._break("\n\n")
        elif tag in ("td", "th"):
            if self.cells[-1]:
                self.out.append(" | ")  # "Örebro kommun | Projektägare", not "Örebro kommunProjektägare"
            self.cells[-1] += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)  # '<br/>'; '<div/>' opens and closes nothing either

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.at.get(tag):
            return
        self._close_to(self.at[tag][-1])

    def handle_data(self, data: str) -> None:
        if self.skip_from is None:
            self.out.append(data)
        elif self.at.get("title") and len(self.title) < TITLE_CHARS:
            self.title += data

    def _end_implied(self, tag: str) -> None:
        """Close what `tag` ends without an end tag: the open item of its family above the
        nearest boundary ('<li>' the open <li> inside the same list), and an open <p> that
        only inline elements are open inside."""
        rule = _ENDS_OPEN.get(tag)
        if rule is not None:
            family, boundary = rule
            # '<tr><td>a<tr>': the new row ends the cell and the row it is in, so the outermost
            # of the family above the boundary
            inside = -1  # depth of the nearest open boundary
            for name in boundary:
                depths = self.at.get(name)
                if depths and depths[-1] > inside:
                    inside = depths[-1]
            outermost = None
            for name in family:
                depths = self.at.get(name)
                if depths and depths[-1] > inside:
                    depth = depths[bisect_right(depths, inside)]
                    outermost = depth if outermost is None else min(outermost, depth)
            if outermost is not None:
                self._close_to(outermost)
        if tag in _ENDS_P and self.blocks and self.open[self.blocks[-1]] == "p":
            self._close_to(self.blocks[-1])

    def _push(self, tag: str) -> None:
        depth = len(self.open)
        self.open.append(tag)
        self.at.setdefault(tag, []).append(depth)
        if tag not in _INLINE:
            self.blocks.append(depth)

    def _close_to(self, depth: int) -> None:
        """Close the element open at `depth` and everything opened inside it."""
        while len(self.open) > depth:
            tag = self.open.pop()
            self.at[tag].pop()
            if self.blocks and self.blocks[-1] == len(self.open):
                self.blocks.pop()
            if tag == "tr" and len(self.cells) > 1:
                self.cells.pop()
            if self.skip_from is not None:
                if len(self.open) <= self.skip_from:
                    self.skip_from = None
                continue
            if tag in _HEADINGS or tag in _BLOCKS:
                self._break("\n\n")

    def _break(self, newlines: str) -> None:
        """Add a line break, unless a paragraph break ends the text already: the breaks are
        merged in the end anyway, and 10 million closing <div>s made a list of 10 million."""
        if not self.out or self.out[-1] != "\n\n":
            self.out.append(newlines)
