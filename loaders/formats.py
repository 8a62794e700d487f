"""Text out of PDF, Word and web pages; scanned PDFs through Tesseract when it is installed.

Headings of Word documents and web pages are written as Markdown headings, so that
structure.py finds the sections a remiss compilation is made of. Every failure is a
LoaderError that says what is wrong with the file and, where it helps, what to do.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from loaders.read import LoaderError

#: Fewer characters than this per page means the PDF has no text layer: it is a scan.
MIN_CHARS_PER_PAGE = 25
OCR_LANGUAGE = "swe"
OCR_DPI = 300


def pdf_text(data: bytes, path: Path | str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoaderError(path, "not a PDF file (no %PDF header)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises several kinds here
                raise LoaderError(path, f"encrypted PDF that cannot be opened ({exc})") from exc
            if not opened:
                raise LoaderError(path, "encrypted PDF: a password is needed to read it")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoaderError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise LoaderError(path, f"damaged or truncated PDF ({exc})") from exc
    if not pages:
        raise LoaderError(path, "PDF without pages")
    if sum(len(p.strip()) for p in pages) < MIN_CHARS_PER_PAGE * len(pages):
        return ocr_pdf(data, path)
    return "\f".join(pages)


def ocr_available() -> bool:
    if shutil.which("tesseract") is None:
        return False
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return OCR_LANGUAGE in langs.stdout.split()


def ocr_pdf(data: bytes, path: Path | str) -> str:
    """Render each page and let Tesseract's Swedish model read it."""
    if not ocr_available():
        raise LoaderError(
            path, "scanned PDF without a text layer; to read it install Tesseract with Swedish "
                  "(Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-swe)")
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as exc:  # pdfium reports damage with its own error type
        raise LoaderError(path, f"damaged PDF, cannot render it for OCR ({exc})") from exc
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(len(document)):
            image = document[number].render(scale=OCR_DPI / 72).to_pil()
            png = Path(tmp) / f"page{number}.png"
            image.save(png)
            result = subprocess.run(["tesseract", str(png), "-", "-l", OCR_LANGUAGE],
                                    capture_output=True, text=True, timeout=300)
            if result.returncode != 0:
                raise LoaderError(path, f"OCR failed on page {number + 1}: {result.stderr.strip()[:200]}")
            texts.append(result.stdout)
    document.close()
    return "\f".join(texts)


_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)", re.IGNORECASE)


def docx_text(data: bytes, path: Path | str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise LoaderError(path, "not a Word .docx file (it is not a zip archive)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LoaderError(path, f"damaged Word document ({exc})") from exc
    blocks: list[str] = []
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
    if not blocks:
        raise LoaderError(path, "Word document without text")
    return "\n\n".join(blocks)


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


_SKIP = ["script", "style", "noscript", "nav", "header", "footer", "form", "svg", "template"]
_BLOCKS = ["p", "li", "div", "tr", "blockquote", "section", "article", "dd", "dt", "pre", "table", "ul", "ol"]


def html_text(text: str, path: Path | str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_SKIP):
        tag.decompose()
    for level in range(1, 7):
        for heading in soup.find_all(f"h{level}"):
            heading.insert_before("\n\n" + "#" * level + " ")
            heading.insert_after("\n\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_after("\n\n")
    for cell in soup.find_all(["td", "th"]):
        if cell.find_previous_sibling(["td", "th"]) is not None:
            cell.insert_before(" | ")  # "Örebro kommun | Projektägare", not "Örebro kommunProjektägare"
    for br in soup.find_all("br"):
        br.replace_with("\n")
    body = soup.body or soup
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in body.get_text().split("\n")]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not result:
        raise LoaderError(path, "web page without text")
    return result
