import pytest

from loaders.formats import ocr_available
from loaders.pipeline import extract_file
from loaders.read import LoaderError, read, repair_mojibake
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

    monkeypatch.setattr("loaders.formats.ocr_available", lambda: False)
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
