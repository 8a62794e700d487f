from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "000_dcc03598cb1e7b7d.txt"
OCR = EXAMPLES / "001_a85e38c5b972d653.txt"


@pytest.fixture(scope="session")
def clean_extraction():
    from loaders.pipeline import extract_file

    return extract_file(CLEAN)


@pytest.fixture(scope="session")
def ocr_extraction():
    from loaders.pipeline import extract_file

    return extract_file(OCR)


@pytest.fixture()
def full_disk(tmp_path, monkeypatch):
    """A folder on a full disk, holding `old.txt` ("gammal") written before it filled.

    Where this user may mount (root), it is a small tmpfs filled to the last byte; elsewhere
    every file written through graph/files.py is given /dev/full's descriptor, which
    fails each write with ENOSPC as a full disk does. `.real` says which."""
    import errno
    import os
    import shutil
    import subprocess
    import tempfile
    import types

    folder = tmp_path / "full"
    folder.mkdir()
    mounted = (os.name == "posix" and os.geteuid() == 0 and shutil.which("mount") is not None
               and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)],
                                  capture_output=True).returncode == 0)
    (folder / "old.txt").write_text("gammal", encoding="utf-8")
    if mounted:
        try:
            with (folder / "filler").open("wb") as fh:
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    else:
        import graph.files

        real = tempfile.mkstemp

        def full_mkstemp(*args, **kwargs):
            fd, path = real(*args, **kwargs)
            dev = os.open("/dev/full", os.O_WRONLY)
            os.dup2(dev, fd)
            os.close(dev)
            return fd, path

        monkeypatch.setattr(graph.files, "tempfile", types.SimpleNamespace(mkstemp=full_mkstemp))
    try:
        yield types.SimpleNamespace(path=folder, real=mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
