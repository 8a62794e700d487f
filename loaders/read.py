"""Reading files into text: the only part of loaders/ that touches the disk.

Every failure becomes a LoaderError that names the file and the problem, so ingestion
can report it and go on with the next file.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

#: Largest file read, in bytes; beyond it a document is refused with a clear message.
MAX_BYTES = 50 * 1024 * 1024

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm"}
#: Formats users have that we cannot read, with what to do instead.
ADVICE = {
    ".doc": "old Word format: save it as .docx",
    ".rtf": "save it as .docx or .txt",
    ".odt": "save it as .docx",
    ".xlsx": "spreadsheets are not documents samverkan reads",
}


class LoaderError(Exception):
    """A document could not be read; str() names the file and what is wrong with it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class RawText:
    path: str
    text: str
    encoding: str
    format: str  # "markdown" or "text"


def read(path: Path | str, max_bytes: int = MAX_BYTES) -> RawText:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        advice = f"; {ADVICE[suffix]}" if suffix in ADVICE else ""
        raise LoaderError(path, f"unsupported format {suffix or '(no extension)'} (supported: {supported}){advice}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoaderError(path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
        data = path.read_bytes()
    except LoaderError:
        raise
    except OSError as exc:
        raise LoaderError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if suffix == ".pdf":
        from loaders.formats import pdf_text

        return RawText(path=str(path), text=pdf_text(data, path), encoding="pdf", format="text")
    if suffix == ".docx":
        from loaders.formats import docx_text

        return RawText(path=str(path), text=docx_text(data, path), encoding="docx", format="markdown")
    text, encoding = decode(data, path)
    if suffix in {".html", ".htm"}:
        from loaders.formats import html_text

        return RawText(path=str(path), text=html_text(text, path), encoding=encoding, format="markdown")
    fmt = "markdown" if suffix in {".md", ".markdown"} else "text"
    return RawText(path=str(path), text=repair_mojibake(text), encoding=encoding, format=fmt)


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
    """Decode by evidence, not by hope: BOMs, then strict UTF-8, then the Windows/ISO code pages.

    cp1252 and latin-1 agree on every byte except 0x80-0x9F; cp1252 puts printable
    characters (quotes, dashes, the euro) there, latin-1 control codes, so a text with
    such bytes is cp1252 and one without is decoded identically by both.
    """
    if not data.strip():
        raise LoaderError(path, "file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_strict(data, "utf-16", path), path), "utf-16"
    if b"\x00" in data:
        raise LoaderError(path, "binary file (contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    if any(0x80 <= b <= 0x9F for b in data):
        try:
            return _checked(data.decode("cp1252"), path), "cp1252"
        except UnicodeDecodeError:
            raise LoaderError(path, "neither UTF-8 nor cp1252/latin-1 text (undecodable bytes)") from None
    return _checked(data.decode("latin-1"), path), "latin-1"


def _strict(data: bytes, encoding: str, path: Path | str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoaderError(path, f"declares {encoding} by its byte order mark but is not ({exc.reason})") from exc


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _checked(text: str, path: Path | str) -> str:
    """Refuse decodings that are mostly control characters: that is binary data."""
    controls = len(_CONTROLS.findall(text))
    if controls > max(2, len(text) // 100):
        raise LoaderError(path, "binary file (control characters), not text")
    if not text.strip():
        raise LoaderError(path, "file is empty")
    return text


def iter_files(paths: list[Path | str]) -> Iterator[tuple[Path, LoaderError | None]]:
    """Expand files and folders into document files, sorted, each real file once.

    Folders are walked without following symbolic links into directories already seen,
    so a symlink loop ends the walk instead of recursing forever.
    """
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield path, LoaderError(path, "no such file or folder")
            continue
        if path.is_file():
            real = os.path.realpath(path)
            if real not in seen_files:
                seen_files.add(real)
                yield path, None
            continue
        for root, dirs, files in os.walk(path, followlinks=True):
            real_root = os.path.realpath(root)
            if real_root in seen_dirs:
                dirs[:] = []
                continue
            seen_dirs.add(real_root)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                file_path = Path(root) / name
                real = os.path.realpath(file_path)
                if real not in seen_files:
                    seen_files.add(real)
                    yield file_path, None
