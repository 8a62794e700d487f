import pytest

from loaders.reading.formats import ocr_available
from loaders.pipeline import extract_file
from loaders.reading.read import LoaderError, read, repair_mojibake
from tests.loaders.corpus import SENTENCE, make_corpus

WANTED = {"Uppsala kommun", "Polisregion Mitt", "Kriminalvården"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, make_corpus(folder, scanned=ocr_available())


@pytest.mark.parametrize("name", ["avtal.pdf", "remissvar.docx", "sida.html", "gammal.txt", "trasig-kodning.txt"])
def test_readable_formats_give_the_actors(corpus, name):
    folder, _ = corpus
    names = {e.name for e in extract_file(folder / name).entities}
    assert WANTED <= names, names


def test_pdf_keeps_swedish_letters(corpus):
    assert "Kriminalvården" in read(corpus[0] / "avtal.pdf").text


def test_html_drops_scripts_and_navigation_and_keeps_headings(corpus):
    text = read(corpus[0] / "sida.html").text
    assert "# Samverkan i Gottsunda" in text and "nej" not in text and "Meny" not in text


def test_docx_headings_become_sections(corpus):
    x = extract_file(corpus[0] / "remissvar.docx")
    assert any(ev.section == "Synpunkter" for r in x.relations for ev in r.evidence)


def test_mojibake_is_repaired():
    assert repair_mojibake("fÃ¶rvaltningen och nÃ¤mnden") == "förvaltningen och nämnden"
    assert repair_mojibake("förvaltningen") == "förvaltningen"


@pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr-swe not installed")
def test_scanned_pdf_is_read_by_ocr(corpus):
    names = {e.name for e in extract_file(corpus[0] / "skannad.pdf").entities}
    assert {"Uppsala kommun", "Polisregion Mitt"} <= names


def test_bad_files_get_a_clear_error_naming_them(corpus):
    folder, expected = corpus
    for name, problem in expected.items():
        if not problem:
            continue
        with pytest.raises(LoaderError) as info:
            read(folder / name)
        assert name in str(info.value) and problem in str(info.value), str(info.value)


def test_scanned_pdf_without_tesseract_says_what_to_install(monkeypatch, tmp_path):
    from tests.loaders.corpus import scanned_pdf_bytes

    monkeypatch.setattr("loaders.reading.formats.ocr_available", lambda: False)
    path = tmp_path / "skannad.pdf"
    path.write_bytes(scanned_pdf_bytes(SENTENCE))
    with pytest.raises(LoaderError, match="tesseract-ocr-swe"):
        read(path)


def test_a_pdf_page_without_blank_lines_keeps_its_heading_and_dnr_out_of_the_quotes(tmp_path):
    from tests.loaders.corpus import pdf_lines_bytes

    path = tmp_path / "beslut.pdf"
    path.write_bytes(pdf_lines_bytes([
        "Tjänsteutlåtande",
        "Dnr SBK 2024/1234",
        "Göteborgs stad och Polisregion Väst har tecknat en samverkansöverenskommelse",
        "om trygghet i Angered. Arbetet följs upp varje år.",
        "Bakgrund",
        "Kriminalvården ska från och med 2025 delta i projektet Framtid.",
    ]))
    x = extract_file(path)
    quotes = {e.sentence for r in x.relations for e in r.evidence}
    assert "Göteborgs stad och Polisregion Väst har tecknat en samverkansöverenskommelse om trygghet i Angered." \
        in quotes
    assert not [q for q in quotes if "Dnr" in q or "Bakgrund" in q]
    assert x.document.dnr == ["SBK 2024/1234"]
    assert {e.section for r in x.relations for e in r.evidence if "Framtid" in e.sentence} == {"Bakgrund"}


def test_table_cells_stay_apart_and_in_place(tmp_path):
    import docx

    page = ("<html><body><h2>Parter</h2><table><tr><th>Aktör</th><th>Roll</th></tr>"
            "<tr><td>Örebro kommun</td><td>Projektägare</td></tr></table><h2>Bakgrund</h2><p>Text.</p></body></html>")
    (tmp_path / "sida.html").write_text(page, encoding="utf-8")
    text = read(tmp_path / "sida.html").text
    assert "Örebro kommun | Projektägare" in text
    assert text.index("Projektägare") < text.index("## Bakgrund")

    document = docx.Document()
    document.add_heading("Parter", level=1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Lokalpolisområde Örebro", "Medfinansiär"
    document.add_heading("Bakgrund", level=1)
    document.add_paragraph("Text.")
    document.save(tmp_path / "avtal.docx")
    text = read(tmp_path / "avtal.docx").text
    assert "Lokalpolisområde Örebro | Medfinansiär" in text
    assert text.index("# Parter") < text.index("Medfinansiär") < text.index("# Bakgrund")


# --- limits while reading -------------------------------------------------------------------

import io  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402

from loaders.reading.formats import docx_text, html_text, pdf_text  # noqa: E402
from loaders.reading.limits import Limits  # noqa: E402
from tests.loaders.corpus import docx_bytes, pdf_bytes  # noqa: E402


def _with_document_part(xml_size: int) -> bytes:
    return _with_body_end(b" " * xml_size)


def _with_body_end(extra: bytes) -> bytes:
    """A good .docx with `extra` written into its document part, just before the body ends."""
    good = zipfile.ZipFile(io.BytesIO(docx_bytes("Rubrik", SENTENCE)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", extra + b"</w:body>")
            out.writestr(item, data)
    return buffer.getvalue()


def test_a_docx_that_declares_too_much_is_refused_before_unpacking():
    bomb = _with_document_part(3_000_000)
    assert len(bomb) < 100_000  # spaces pack a thousand to one
    with pytest.raises(LoaderError, match=r"anger att den packas upp till 3.\d MB, över gränsen 1 MB \(--max-unpacked-mb\)"):
        docx_text(bomb, "bomb.docx", Limits(max_unpacked_bytes=1_000_000))
    assert SENTENCE in docx_text(bomb, "bomb.docx", Limits(max_unpacked_bytes=10_000_000))


def test_a_docx_that_lies_about_its_sizes_is_refused():
    """Declared sizes patched small: unpacking is counted, and zipfile's CRC check fails."""
    bomb = bytearray(_with_document_part(3_000_000))
    archive = zipfile.ZipFile(io.BytesIO(bytes(bomb)))
    info = archive.getinfo("word/document.xml")
    little = (1000).to_bytes(4, "little")
    bomb[info.header_offset + 22:info.header_offset + 26] = little  # local header: uncompressed size
    entry = bytes(bomb).find(b"word/document.xml", archive.start_dir) - 46  # its central directory entry
    assert bomb[entry:entry + 4] == b"PK\x01\x02"
    bomb[entry + 24:entry + 28] = little  # central directory: uncompressed size
    with pytest.raises(LoaderError, match="Word") as refused:
        docx_text(bytes(bomb), "ljuger.docx", Limits(max_unpacked_bytes=1_000_000))
    assert "ljuger.docx" in str(refused.value)


def test_html_depth_is_bounded_while_parsing():
    started = time.monotonic()
    with pytest.raises(LoaderError, match=r"mer än 1000 element inuti varandra.*--max-html-depth"):
        html_text("<div>" * 2_000_000, "djup.html")
    assert time.monotonic() - started < 5


def test_unclosed_paragraphs_items_and_cells_are_no_depth():
    page = ("<ul>" + "<li>punkt" * 3000 + "</ul>" + "<p>stycke" * 3000
            + "<table>" + "<tr><td>a<td>b" * 3000 + "</table>")
    text = html_text(page, "platt.html", Limits(max_html_depth=50))
    assert text.count("punkt") == 3000 and text.count("stycke") == 3000 and "a | b" in text


def test_html_parse_time_is_bounded():
    page = "<p>Uppsala kommun samverkar.</p>" * 200_000
    with pytest.raises(LoaderError, match=r"webbsidan tog mer än 0.01 s att tolka.*--max-html-seconds"):
        html_text(page, "lang.html", Limits(max_html_seconds=0.01))


def test_html_text_keeps_headings_blocks_and_cells_and_drops_head_and_scripts():
    page = ("<html><head><title>Titel</title><style>p {}</style></head><body><nav>Meny</nav>"
            "<h2>Parter</h2><p>Uppsala kommun<br>Polisen</p><script>var x = '<p>nej</p>';</script>"
            "<div>Ett<div>Två</div></div><table><tr><th>Aktör</th><th>Roll</th></tr></table>"
            "<p>Tre &amp; fyra</body></html>")
    text = html_text(page, "sida.html")
    assert text == "## Parter\n\nUppsala kommun\nPolisen\n\nEtt\n\nTvå\n\nAktör | Roll\n\nTre & fyra"


def test_a_page_that_never_closes_its_head_still_gives_its_body():
    assert html_text("<html><head><title>T</title><body><p>Text här.</p>", "x.html") == "Text här."


def test_pdf_pages_and_text_are_bounded():
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(5):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(LoaderError, match=r"PDF:en har 5 sidor, över gränsen 3 \(--max-pdf-pages\)"):
        pdf_text(buffer.getvalue(), "sidor.pdf", Limits(max_pdf_pages=3))
    with pytest.raises(LoaderError, match=r"över gränsen 0.0001 miljoner tecken.*--max-text-mb"):
        pdf_text(pdf_bytes(SENTENCE), "text.pdf", Limits(max_text_chars=100))


def test_a_docx_past_lxmls_own_limits_is_a_damaged_document_not_an_internal_error():
    deep = _with_body_end(b"<w:p>" * 5000 + b"</w:p>" * 5000)
    with pytest.raises(LoaderError, match="skadat Word-dokument: dess XML kan inte läsas") as refused:
        docx_text(deep, "djup.docx")
    assert "djup.docx" in str(refused.value)


def test_a_pages_site_body_from_its_title_is_written_under_its_first_line(tmp_path):
    page = tmp_path / "sida.html"
    page.write_text("<html><head><title>Trygg start – Vansbro kommun</title></head><body>"
                    "<nav>Vansbro kommun › Arbete</nav><h1>Trygg start</h1>"
                    "<p>I Vansbro arbetar vi med Trygg start tillsammans med Försäkringskassan.</p></body></html>",
                    encoding="utf-8")
    assert read(page).text.split("\n\n")[:2] == ["# Trygg start", "Vansbro kommun"]
    x = extract_file(page)
    names = {e.id: e.name for e in x.entities}
    assert {(names[r.source], names[r.target]) for r in x.relations} >= {("Försäkringskassan", "Vansbro kommun")} \
        or {(names[r.target], names[r.source]) for r in x.relations} >= {("Försäkringskassan", "Vansbro kommun")}


def test_a_site_name_that_is_no_body_is_not_written(tmp_path):
    page = tmp_path / "projekt.html"
    page.write_text("<html><head><title>Trygg start – Projektbanken</title></head><body><h1>Trygg start</h1>"
                    "<p>Vansbro kommun driver projektet.</p></body></html>", encoding="utf-8")
    assert "Projektbanken" not in read(page).text
