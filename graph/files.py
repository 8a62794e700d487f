"""Files written whole or not at all, and why a file could not be written, in Swedish.

Every file samverkan writes for a user (a map, an export, a matrix, a report) is written
to a temporary file in the same folder and renamed over the target at the end: a full
disk, a read-only folder or an error half-way leaves the old file as it was and no
temporary file behind. A store file whose mode has no write bit is refused rather than
replaced (a rename would give it the mode of a new file); root may write any file, so
the mode bits are read, not os.access.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import IO, Callable, Optional, Sequence

from graph.storefile import StoreError

Writer = Callable[[IO], None]

#: What an operating-system error means for a person, by errno.
_CAUSES = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.ENOENT: "mappen finns inte",
    errno.ENOTDIR: "en del av sökvägen är inte en mapp",
    errno.EISDIR: "det är en mapp",
    errno.EIO: "läs- eller skrivfel på disken",
    errno.EFBIG: "filen blir för stor",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EAGAIN: "systemets resurser räcker inte just nu",
    errno.ENOMEM: "minnet räcker inte",
    errno.EMFILE: "för många öppna filer",
}

#: What SQLite's primary result codes mean for a person.
_SQLITE_CAUSES = {
    3: "behörighet saknas",  # SQLITE_PERM
    5: "grafen är låst av en annan skrivare",  # SQLITE_BUSY
    8: "grafen är skrivskyddad",  # SQLITE_READONLY
    10: "läs- eller skrivfel på disken",  # SQLITE_IOERR
    11: "filen är skadad",  # SQLITE_CORRUPT
    13: "disken är full",  # SQLITE_FULL
    14: "filen kan inte öppnas",  # SQLITE_CANTOPEN
    26: "filen är ingen SQLite-graf",  # SQLITE_NOTADB
}


def cause(exc: BaseException) -> str:
    """Why a read or write failed, in a few Swedish words (the system's own words where
    there is no translation)."""
    if isinstance(exc, OSError) and exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _SQLITE_CAUSES:
            return _SQLITE_CAUSES[code & 0xFF]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def write_atomic(path: Path, write: Writer, encoding: Optional[str] = "utf-8", newline: Optional[str] = None) -> Path:
    """Write `path` with write(file): whole, or (on any error, re-raised) not at all."""
    write_all_atomic([(Path(path), write)], encoding=encoding, newline=newline)
    return Path(path)


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_atomic(path, lambda fh: fh.write(text), encoding=encoding)


def write_all_atomic(files: Sequence[tuple[Path, Writer]], encoding: Optional[str] = "utf-8",
                     newline: Optional[str] = None) -> list[Path]:
    """Several files that belong together (CSV nodes and edges): all are written to
    temporary files first and renamed only when every one was written. encoding=None
    writes bytes."""
    temporary: list[str] = []
    path = files[0][0] if files else None
    try:
        for path, write in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary.append(tmp)
            if encoding is None:
                fh = os.fdopen(fd, "wb")
            else:
                fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
            with fh:
                write(fh)
            os.chmod(tmp, _mode_for(path))
        for (path, _), tmp in zip(files, temporary):
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp in temporary:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and path is not None and (
                exc.filename is None or _is_temporary(str(exc.filename), path)):
            exc.filename = str(path)  # the file the user asked for, not the temporary one
        raise
    return [path for path, _ in files]


def _is_temporary(name: str, path: Path) -> bool:
    """Whether `name` is one of the temporary files write_all_atomic makes for `path`."""
    base = os.path.basename(name)
    return base.startswith(f".{path.name}.") and base.endswith(".tmp")


def _mode_for(path: Path) -> int:
    """The replaced file's mode, or a new file's (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        current = os.umask(0)
        os.umask(current)
        return 0o666 & ~current


def check_writable(path: Path) -> None:
    """StoreError when the store file `path` must not or cannot be written: its mode has
    no write bit (as root too), or its folder is on a read-only file system or not
    writable for this user. A missing file is fine where its folder can be made."""
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise StoreError(f"{path}: kan inte läsa grafen ({cause(exc)})") from exc
    if mode is not None and not mode & 0o222:
        raise StoreError(f"{path}: grafen är skrivskyddad (rättigheter {mode:o}) och skrivs inte; "
                         f"gör den skrivbar med chmod u+w om den ska ändras")
    folder = path.parent.resolve()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        raise StoreError(f"{path}: kan inte skriva i mappen {folder} (skrivskyddad eller behörighet saknas)")
