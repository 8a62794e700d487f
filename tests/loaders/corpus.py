"""A folder of real-world formats and bad files, made on the spot for tests."""

from __future__ import annotations

import io
import os
from pathlib import Path

SENTENCE = ("Uppsala kommun har tillsammans med Polisregion Mitt och Kriminalvården ingått en "
            "samverkansöverenskommelse om trygghet i Gottsunda.")


def pdf_bytes(text: str, password: str | None = None) -> bytes:
    return pdf_lines_bytes(_wrap(text, 80), password)


def pdf_lines_bytes(lines: list[str], password: str | None = None) -> bytes:
    """A one-page PDF with these lines as its text layer, one under the other, as a word
    processor's PDF export sets a page: no blank line between paragraphs."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    kwargs = {"encrypt": password} if password else {}
    pdf = canvas.Canvas(buffer, pagesize=A4, **kwargs)
    y = 800
    for line in lines:
        pdf.drawString(50, y, line)
        y -= 16
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf_bytes(text: str) -> bytes:
    """A page image of the text with no text layer, as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    image = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(_wrap(text, 60)):
        draw.text((120, 120 + i * 60), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=300)
    return buffer.getvalue()


def docx_bytes(heading: str, text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def make_corpus(folder: Path, scanned: bool = True) -> dict[str, str]:
    """Write the corpus; returns file name -> the error word expected for it ('' when it must read)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, error: str = "") -> None:
        (folder / name).write_bytes(data)
        expected[name] = error

    put("avtal.pdf", pdf_bytes(SENTENCE + " Avtalet gäller tills vidare."))
    if scanned:
        put("skannad.pdf", scanned_pdf_bytes(SENTENCE + " Skannat original."))
    put("remissvar.docx", docx_bytes("Synpunkter", "Förvaltningen anser att " + SENTENCE))
    put("sida.html", (
        "<html><head><meta charset='utf-8'><title>Trygghet</title><script>var x = '<p>nej</p>';</script></head>"
        "<body><nav>Meny</nav><h1>Samverkan i Gottsunda</h1><p>" + SENTENCE + "</p></body></html>"
    ).encode("utf-8"))
    put("gammal.txt", ("Socialförvaltningen – ”lokal samverkan” – " + SENTENCE).encode("cp1252"))
    put("trasig-kodning.txt", (SENTENCE + " Fel kodning.").encode("utf-8").decode("latin-1").encode("utf-8"))
    put("tom.txt", b"", "tom")
    put("binar.txt", os.urandom(2048).replace(b"\x00", b"\x01") + b"\x00\x00" * 64, "binärfil")
    put("avklippt.pdf", pdf_bytes(SENTENCE)[:400], "skadad eller avklippt PDF")
    put("krypterad.pdf", pdf_bytes(SENTENCE, password="hemlig"), "lösenord")
    put("skrap.pdf", b"%PDF-1.4\n" + os.urandom(3000), "skadad eller avklippt PDF")
    put("inte-word.docx", b"Det har ar ingen zip-fil", "inte ett zip-arkiv")
    put("gammalt.doc", b"\xd0\xcf\x11\xe0" + b"x" * 100, "formatet .doc läses inte")
    return expected


#: Pieces of ordinary Swedish administrative prose, written for these tests.
_ACTORS = ["Uppsala kommun", "Polisregion Mitt", "Kriminalvården", "Region Uppsala", "Länsstyrelsen i Uppsala län",
           "Försäkringskassan", "Arbetsförmedlingen", "Socialnämnden", "Skolverket", "Räddningstjänsten Storgöteborg",
           "Västerås stad", "Region Västmanland", "Migrationsverket", "Trafikverket", "Malmö stad"]
_TIES = ["samverkar med", "har ingått en överenskommelse med", "planerar ett gemensamt projekt med",
         "deltar tillsammans med", "har sedan 2019 ett avtal med", "avslutade samarbetet med"]
_TOPICS = ["om trygghet i bostadsområdena", "kring unga som riskerar att hamna i kriminalitet",
           "för att förbättra kollektivtrafiken under vintern", "i arbetet med våld i nära relationer",
           "om gemensamma lokaler för vägledning", "inom ramen för det brottsförebyggande rådet"]
_FILLER = ["Nämnden noterar informationen och lägger den till handlingarna.",
           "Förvaltningen återkommer med en uppföljning under hösten.",
           "Beslutet fattades enhälligt efter en kort diskussion om budgeten.",
           "Ärendet har beretts av arbetsutskottet.",
           "Under året har antalet ärenden ökat något jämfört med föregående år."]


def swedish_prose(chars: int, seed: int = 1) -> str:
    """About `chars` characters of plain Swedish minutes: paragraphs of sentences naming
    bodies that cooperate, with headings now and then; the same text for the same seed."""
    import random

    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    number = 0
    while size < chars:
        number += 1
        if number % 40 == 1:
            paragraph = f"## {number // 40 + 1}. Samverkan och uppföljning"
        else:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                if rng.random() < 0.5:
                    a, b = rng.sample(_ACTORS, 2)
                    sentences.append(f"{a} {rng.choice(_TIES)} {b} {rng.choice(_TOPICS)}.")
                else:
                    sentences.append(rng.choice(_FILLER))
            paragraph = " ".join(sentences)
        parts.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(parts)
