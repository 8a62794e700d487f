"""Reading files into text: the only part of loaders/ that touches the disk.

Every failure becomes a LoaderError that names the file and the problem (in Swedish,
for the user), so ingestion can report it and go on with the next file. Only regular
files are opened, and never more of one than the size limit: a FIFO would block the
read forever and /dev/zero would fill the memory. File names are data: any bytes the
file system holds are kept as they are for opening the file, and shown and stored as
readable, valid text (display_path).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from loaders.reading.limits import MAX_BYTES, Limits

__all__ = ["MAX_BYTES", "Limits", "LoaderError", "Skipped", "RawText", "read", "decode", "iter_files",
           "display_path", "repair_mojibake"]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm"}
#: Formats users have that we cannot read, with what to do instead.
ADVICE = {
    ".doc": "gammalt Word-format: spara det som .docx",
    ".rtf": "spara det som .docx eller .txt",
    ".odt": "spara det som .docx",
    ".xlsx": "kalkylblad är inga dokument som samverkan läser",
}

# Characters that would let a file name break a one-line report or fool the reader:
# control characters (a newline, a terminal escape), C1 controls, and the bidirectional
# overrides that make 'fdp.exe' look like 'exe.pdf'.
_UNSAFE_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def display_path(path: Path | str | bytes) -> str:
    """A file name as valid, printable, one-line text: what is stored and shown.

    The operating system hands Python names that are not UTF-8 (a Latin-1 'å' from an
    old share) as lone surrogates, which no UTF-8 file and no terminal accepts; they are
    written as \\xe5 instead, and control and direction characters as \\n, \\u202e. The
    same name always gives the same text, so re-ingesting finds the stored document.
    """
    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates that no file system decoding made
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if _UNSAFE_IN_NAMES.search(text):
        text = _UNSAFE_IN_NAMES.sub(_escaped, text)
    return text


def _escaped(match: re.Match) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


class LoaderError(Exception):
    """A document could not be read; str() names the file and what is wrong with it.

    `path` is the name as display_path shows it, safe to print and to store.
    """

    def __init__(self, path: Path | str | bytes, problem: str) -> None:
        self.path = display_path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class Skipped(LoaderError):
    """Not a document at all (a FIFO, a device, a link out of the folder): reported in one
    line and passed over; it does not count as a file that failed."""


@dataclass(frozen=True)
class RawText:
    path: str  # display_path of the file: what the store records as the document's source
    text: str
    encoding: str
    format: str  # "markdown" or "text"


def read(path: Path | str, max_bytes: int = MAX_BYTES, limits: Optional[Limits] = None) -> RawText:
    """The text of one document file, within the limits (`max_bytes` when no limits are given)."""
    limits = limits or Limits(max_bytes=max_bytes)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        advice = f"; {ADVICE[suffix]}" if suffix in ADVICE else ""
        raise LoaderError(path, f"formatet {display_path(suffix) or '(utan filändelse)'} läses inte "
                                f"(samverkan läser {supported}){advice}")
    data = read_bytes(path, limits.max_bytes)
    name = display_path(path)
    if suffix == ".pdf":
        from loaders.reading.formats import pdf_text

        return RawText(path=name, text=_valid(pdf_text(data, path, limits)), encoding="pdf", format="text")
    if suffix == ".docx":
        from loaders.reading.formats import docx_text

        return RawText(path=name, text=_valid(docx_text(data, path, limits)), encoding="docx", format="markdown")
    text, encoding = decode(data, path)
    if suffix in {".html", ".htm"}:
        from loaders.reading.formats import html_text

        return RawText(path=name, text=_valid(html_text(text, path, limits)), encoding=encoding, format="markdown")
    fmt = "markdown" if suffix in {".md", ".markdown"} else "text"
    return RawText(path=name, text=repair_mojibake(text), encoding=encoding, format=fmt)


_SURROGATES = re.compile("[\ud800-\udfff]")


def _valid(text: str) -> str:
    """Text that UTF-8 can hold: a PDF's or Word file's text may carry lone surrogates (a
    broken UTF-16 string in the file), which would make the store's save fail; each
    becomes U+FFFD. The search finds none in almost every text, at memchr speed."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def read_bytes(path: Path | str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, never more than max_bytes of them.

    The file is looked at before it is opened and again, by its descriptor, after: a
    name swapped for a FIFO between the two is still caught, and O_NONBLOCK keeps the
    open itself from waiting for a writer that never comes. The read stops one byte
    past the limit, so a file that grows while it is read is refused too.
    """
    try:
        _require_regular(path, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except LoaderError:
        raise
    except OSError as exc:
        raise LoaderError(path, f"kan inte läsa filen ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            _require_regular(path, info.st_mode)
            if info.st_size > max_bytes:
                raise LoaderError(path, _too_big(info.st_size, max_bytes))
            # Sized to the file: a read of max_bytes + 1 allocates (and gives back) 50 MB
            # for every 5 KB document. A file that grew since fstat is read on to the limit.
            data = handle.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
        except LoaderError:
            raise
        except OSError as exc:
            raise LoaderError(path, f"kan inte läsa filen ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise LoaderError(path, _too_big(len(data), max_bytes, growing=True))
    return data


def _too_big(size: int, limit: int, growing: bool = False) -> str:
    grew = " (den växte medan den lästes)" if growing else ""
    return f"filen är {megabytes(size)} MB{grew}, över gränsen {megabytes(limit)} MB (--max-mb)"


def megabytes(size: float) -> str:
    """'52.4', '200', '0.001': a size in MB as a message shows it, without trailing zeros."""
    shown = f"{size / 1e6:.1f}" if size >= 1e6 else f"{size / 1e6:.3f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def _require_regular(path: Path | str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise Skipped(path, f"hoppas över: {_not_regular(mode)}")


def _not_regular(mode: int) -> str:
    """What kind of thing a non-regular file is, in the user's words."""
    if stat.S_ISFIFO(mode):
        return "en namngiven rörledning (FIFO), ingen vanlig fil"
    if stat.S_ISSOCK(mode):
        return "en socket, ingen vanlig fil"
    if stat.S_ISCHR(mode):
        return "en teckenenhet (som /dev/zero), ingen vanlig fil"
    if stat.S_ISBLK(mode):
        return "en blockenhet (en disk), ingen vanlig fil"
    if stat.S_ISDIR(mode):
        return "en mapp, ingen fil"
    return "ingen vanlig fil"


_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|Ã©|Ã¥|Ã¤|Ã¶|Ã–|Ã„|Ã…")


def repair_mojibake(text: str) -> str:
    """'fÃ¶rvaltning' -> 'förvaltning': UTF-8 once decoded as cp1252/latin-1. ftfy mends it;
    it runs only where the tell-tale sequences are, since most texts have none (and every
    one of them starts with Ã or â, which str's own search rules out ten times faster)."""
    if ("Ã" not in text and "â" not in text) or not _MOJIBAKE.search(text):
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def decode(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode by evidence, not by hope: BOMs, UTF-16 by its NUL bytes, then strict UTF-8,
    then UTF-8 mixed with cp1252, then the Windows/ISO code pages.

    cp1252 and latin-1 agree on every byte except 0x80-0x9F; cp1252 puts printable
    characters (quotes, dashes, the euro) there, latin-1 control codes, so a text with
    such bytes is cp1252 and one without is decoded identically by both.
    """
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise LoaderError(path, "filen är tom")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_strict(data, "utf-16", path), path), "utf-16"
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise LoaderError(path, "binärfil (innehåller NUL-byte), ingen text")
        try:
            return _checked(data.decode(utf16), path), utf16
        except UnicodeDecodeError:
            raise LoaderError(path, f"binärfil (innehåller NUL-byte), ingen text: ser ut som {utf16} men är "
                                    "det inte") from None
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_LETTERS.search(data):
        return _checked(_mixed(data), path), "utf-8+cp1252"
    if any(0x80 <= b <= 0x9F for b in data):
        try:
            return _checked(data.decode("cp1252"), path), "cp1252"
        except UnicodeDecodeError:
            raise LoaderError(path, "varken UTF-8 eller cp1252/latin-1 (byte som inte kan avkodas)") from None
    return _checked(data.decode("latin-1"), path), "latin-1"


#: Bytes looked at to tell UTF-16 without a byte order mark by where its NUL bytes are.
_UTF16_SAMPLE = 1 << 16


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes are those of UTF-16 text, else None.

    Text in Latin script written as UTF-16 has a NUL in every other byte, the high byte
    of each character (Swedish letters too: 'å' is E5 00): in the odd bytes for
    little-endian, the even ones for big-endian, and hardly any in the others. Binary
    data has its NULs anywhere; _checked then refuses what decodes to control codes.
    """
    sample = data[:_UTF16_SAMPLE]
    if len(data) % 2 or len(sample) < 4:
        return None
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.6 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


#: UTF-8 that no cp1252 text holds: a Latin-1 letter or sign as two bytes (cp1252 would
#: read 'Ã¥' or 'Â'), or a three- or four-byte character (a typographic quote: E2 80 9D).
#: A cp1252 'Ö' before a cp1252 quote (D6 94) is valid UTF-8 too, but no evidence.
_UTF8_LETTERS = re.compile(rb"[\xc2\xc3][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: cp1252 for the bytes it defines, latin-1's control codes for the five it does not.
_CP1252 = {i: bytes([i]).decode("cp1252", "ignore") or chr(i) for i in range(0x80, 0xA0)}


def _mixed(data: bytes) -> str:
    """A file whose lines were written by different programs: UTF-8 punctuation pasted into
    cp1252 text ('Umeå kommun' in cp1252, '”Trygg”' in UTF-8). What is evidently UTF-8
    (_UTF8_LETTERS) is read as UTF-8, every other byte as cp1252, so each character comes
    out as it was written whatever the mix, even within a line."""
    out: list[str] = []
    last = 0
    for match in _UTF8_LETTERS.finditer(data):
        out.append(_cp1252(data[last:match.start()]))
        try:
            out.append(match.group().decode("utf-8"))
        except UnicodeDecodeError:  # an overlong or surrogate form: bytes, not a character
            out.append(_cp1252(match.group()))
        last = match.end()
    out.append(_cp1252(data[last:]))
    return "".join(out)


def _cp1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_CP1252)


def _strict(data: bytes, encoding: str, path: Path | str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoaderError(path, f"anger {encoding} med sin byte order mark men är det inte ({exc.reason})") from exc


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _checked(text: str, path: Path | str) -> str:
    """Refuse decodings that are mostly control characters: that is binary data."""
    controls = len(_CONTROLS.findall(text))
    if controls > max(2, len(text) // 100):
        raise LoaderError(path, "binärfil (styrtecken), ingen text")
    if not text or text.isspace():
        raise LoaderError(path, "filen är tom")
    return text




def iter_files(paths: list[Path | str], follow_links: bool = False) -> Iterator[tuple[Path, Optional[LoaderError]]]:
    """Expand files and folders into document files, sorted, each real file once.

    Yields (path, None) for each regular file to read and (path, error) for each one
    that cannot be: missing, unreadable, or a Skipped error for what is no document (a
    FIFO, a socket, a device, a broken link, a link out of the folder). A symbolic link
    inside a folder is followed only while it stays inside the folder given, unless
    follow_links: a link to /dev/zero, to /etc or to a colleague's home is no document
    of the folder. Folders are walked once each, so a symlink loop ends the walk.
    Files named on the command line are the user's choice and are read where they lead,
    but they too must be regular files.
    """
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for given in paths:
        path = Path(given)
        try:
            info = os.stat(path)
        except OSError as exc:
            if os.path.lexists(path) and not isinstance(exc, PermissionError):
                yield path, Skipped(path, "hoppas över: trasig symbolisk länk (målet finns inte)")
            elif os.path.lexists(path):
                yield path, LoaderError(path, f"kan inte läsa filen ({exc.strerror or exc})")
            else:
                yield path, LoaderError(path, "filen eller mappen finns inte")
            continue
        if not stat.S_ISDIR(info.st_mode):
            if not stat.S_ISREG(info.st_mode):
                yield path, Skipped(path, f"hoppas över: {_not_regular(info.st_mode)}")
                continue
            real = os.path.realpath(path)
            if real not in seen_files:
                seen_files.add(real)
                yield path, None
            continue
        yield from _walk(path, follow_links, seen_dirs, seen_files)


def _walk(folder: Path, follow_links: bool, seen_dirs: set[str], seen_files: set[str]
          ) -> Iterator[tuple[Path, Optional[LoaderError]]]:
    top = os.path.realpath(folder)
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=unreadable.append):
        while unreadable:
            yield _unlistable(unreadable.pop(0), root)
        real_root = os.path.realpath(root)
        if real_root in seen_dirs:
            dirs[:] = []
            continue
        seen_dirs.add(real_root)
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            sub = Path(root) / name
            if os.path.islink(sub) and not follow_links:
                target = os.path.realpath(sub)
                if not _inside(target, top):
                    yield sub, Skipped(sub, _leaves(target))
                    continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            file_path = Path(root) / name
            problem = _not_a_document(file_path, top, follow_links)
            if problem is not None:
                yield file_path, problem
                continue
            real = os.path.realpath(file_path)
            if real not in seen_files:
                seen_files.add(real)
                yield file_path, None
    while unreadable:
        yield _unlistable(unreadable.pop(0), folder)


def _unlistable(exc: OSError, where: Path | str) -> tuple[Path, LoaderError]:
    """A folder os.walk could not list (chmod 000, a lost network share): one line naming
    it, in Swedish whatever the system's language, and the walk goes on without it."""
    folder = exc.filename if exc.filename is not None else where
    if isinstance(exc, PermissionError):
        problem = "kan inte läsa mappen: behörighet saknas, så filerna i den lästes inte"
    else:
        problem = f"kan inte läsa mappen ({exc.strerror or exc}), så filerna i den lästes inte"
    return Path(os.fsdecode(folder)), LoaderError(folder, problem)


def _not_a_document(path: Path, top: str, follow_links: bool) -> Optional[LoaderError]:
    """Why a directory entry is not read, or None for a regular file to read."""
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
        if link and not follow_links:
            target = os.path.realpath(path)
            if not _inside(target, top):
                return Skipped(path, _leaves(target))
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Skipped(path, "hoppas över: trasig symbolisk länk (målet finns inte)")
    except OSError as exc:
        return LoaderError(path, f"kan inte läsa filen ({exc.strerror or exc})")
    if not stat.S_ISREG(mode):
        via = "symbolisk länk till " if link else ""
        return Skipped(path, f"hoppas över: {via}{_not_regular(mode)}")
    return None


def _inside(target: str, top: str) -> bool:
    return target == top or target.startswith(top.rstrip(os.sep) + os.sep)


def _leaves(target: str) -> str:
    return (f"hoppas över: symbolisk länk ut ur mappen (till {display_path(target)}); "
            "ange --follow-links för att läsa sådana")
