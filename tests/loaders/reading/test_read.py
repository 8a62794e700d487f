import os

import pytest

from loaders.reading.read import LoaderError, decode, iter_files, read

SWEDISH = "Samverkan mellan förvaltningen och Kriminalvården – ”lokal överenskommelse”."


def test_utf8(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(SWEDISH.encode("utf-8"))
    raw = read(path)
    assert raw.text == SWEDISH and raw.encoding == "utf-8"


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SWEDISH.encode("utf-8"))
    raw = read(path)
    assert raw.text == SWEDISH and raw.encoding == "utf-8-sig"


def test_cp1252_is_recognised_by_its_quotes_and_dashes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(SWEDISH.encode("cp1252"))
    raw = read(path)
    assert raw.text == SWEDISH and raw.encoding == "cp1252"


def test_latin1_without_cp1252_bytes():
    text = "Förvaltningen och nämnden på Åland"
    assert decode(text.encode("latin-1")) == (text, "latin-1")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, encoding):
    """Its NUL bytes, one in every other byte, were taken for a binary file's."""
    path = tmp_path / "a.txt"
    path.write_bytes((SWEDISH + "\nUmeå kommun och Polisregion Nord.\n").encode(encoding))
    raw = read(path)
    assert raw.text.startswith(SWEDISH) and "Umeå kommun" in raw.text and raw.encoding == encoding


def test_nul_bytes_in_the_places_of_utf16_that_decode_to_control_codes_are_binary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(x for b in range(1, 32) for x in (b, 0)) * 20)
    with pytest.raises(LoaderError, match="binärfil"):
        read(path)


def test_utf8_punctuation_in_cp1252_text_is_read_as_written(tmp_path):
    """Pasted from two programs: cp1252 letters, UTF-8 quotes and dashes, even on one line.
    The UTF-8 '”' holds the byte 0x9D, which cp1252 leaves undefined: the file was refused whole."""
    path = tmp_path / "a.txt"
    line = "Umeå kommun samverkar med Polisregion Nord i projektet ”Trygg hemma” – i Ålidhem."
    data = ("Förvaltningen föreslår följande.\n".encode("cp1252") + line.encode("utf-8") + b"\n"
            + "Umeå kommun ".encode("cp1252") + "”Trygg hemma”".encode("utf-8") + " är ett projekt.\n".encode("cp1252"))
    path.write_bytes(data)
    raw = read(path)
    assert raw.text.splitlines() == ["Förvaltningen föreslår följande.", line, "Umeå kommun ”Trygg hemma” är ett projekt."]
    assert raw.encoding == "utf-8+cp1252"


def test_a_cp1252_letter_before_a_cp1252_quote_is_no_utf8():
    """'Ö' and '”' in cp1252 (D6 94) are valid UTF-8 for another letter: not taken for it."""
    text = "Kommunerna i MALMÖ” och ÖREBRO’s län – 2 €"
    assert decode(text.encode("cp1252")) == (text, "cp1252")


@pytest.mark.parametrize(
    "content, problem",
    [(b"", "tom"), (b"   \n\n", "tom"), (b"\x00\x01\x02binary\x00", "binärfil"), (bytes(range(1, 32)) * 20, "binärfil")],
)
def test_bad_input_is_named(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(LoaderError, match=problem) as info:
        read(path)
    assert "bad.txt" in str(info.value)


def test_unsupported_format_names_what_is_supported(tmp_path):
    path = tmp_path / "a.xyz"
    path.write_text("x")
    with pytest.raises(LoaderError, match=r"formatet \.xyz läses inte"):
        read(path)


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("a" * 2000)
    with pytest.raises(LoaderError, match="över gränsen 0.001 MB"):
        read(path, max_bytes=1000)


def test_folders_are_walked_once_even_with_a_symlink_loop(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("text")
    (tmp_path / "docs" / "b.md").write_text("text")
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "loop")
    found = [p.name for p, problem in iter_files([tmp_path / "docs"]) if problem is None]
    assert found == ["a.txt", "b.md"]


def test_missing_path_is_reported():
    ((path, problem),) = list(iter_files(["/no/such/place"]))
    assert isinstance(problem, LoaderError) and "finns inte" in str(problem)


# --- special files, links and names ---------------------------------------------------------

import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from loaders.reading.read import Skipped, display_path, read_bytes  # noqa: E402

linux = pytest.mark.skipif(sys.platform != "linux", reason="Linux special files")


@pytest.fixture
def no_hang():
    """Fail, instead of hanging the suite, if a read blocks."""
    def hung(signum, frame):
        raise AssertionError("the read blocked")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@linux
def test_a_fifo_is_skipped_without_blocking(tmp_path, no_hang):
    os.mkfifo(tmp_path / "ror.txt")
    with pytest.raises(Skipped, match="FIFO"):
        read(tmp_path / "ror.txt")
    ((path, problem),) = list(iter_files([tmp_path]))
    assert isinstance(problem, Skipped) and "FIFO" in problem.problem and "ror.txt" in str(problem)


@linux
def test_a_device_is_never_read(no_hang):
    with pytest.raises(Skipped, match="teckenenhet"):
        read_bytes("/dev/zero")
    ((_, problem),) = list(iter_files(["/dev/zero"]))
    assert isinstance(problem, Skipped) and "teckenenhet" in problem.problem


@linux
def test_a_socket_is_skipped(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.txt"))
    server.close()
    ((_, problem),) = list(iter_files([tmp_path]))
    assert isinstance(problem, Skipped) and "socket" in problem.problem


def test_links_out_of_the_folder_are_skipped_unless_followed(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "inne.txt").write_text("text")
    (tmp_path / "ute").mkdir()
    (tmp_path / "ute" / "ute.txt").write_text("text")
    os.symlink(tmp_path / "ute" / "ute.txt", tmp_path / "docs" / "fil-ut.txt")
    os.symlink(tmp_path / "ute", tmp_path / "docs" / "mapp-ut")
    os.symlink(tmp_path / "docs" / "inne.txt", tmp_path / "docs" / "inne-lank.txt")  # inside: same file once
    found = list(iter_files([tmp_path / "docs"]))
    read_ = [p.name for p, problem in found if problem is None]
    skipped = {p.name: problem.problem for p, problem in found if isinstance(problem, Skipped)}
    assert read_ == ["inne-lank.txt"] or read_ == ["inne.txt"]
    assert set(skipped) == {"fil-ut.txt", "mapp-ut"}
    assert all("--follow-links" in reason and "ut ur mappen" in reason for reason in skipped.values())
    followed = [p for p, problem in iter_files([tmp_path / "docs"], follow_links=True) if problem is None]
    assert sorted(os.path.realpath(p) for p in followed) == sorted(
        os.path.realpath(p) for p in [tmp_path / "docs" / "inne.txt", tmp_path / "ute" / "ute.txt"])


def test_a_broken_link_is_skipped_with_its_reason(tmp_path):
    os.symlink(tmp_path / "borta.txt", tmp_path / "trasig.txt")
    ((_, problem),) = list(iter_files([tmp_path]))
    assert isinstance(problem, Skipped) and "trasig symbolisk länk" in problem.problem


def test_display_path_makes_any_name_valid_printable_text():
    latin1 = os.fsdecode(b"/data/latin1-\xe5-namn.txt")
    assert display_path(latin1) == "/data/latin1-\\xe5-namn.txt"
    assert display_path(b"/data/latin1-\xe5-namn.txt") == "/data/latin1-\\xe5-namn.txt"
    assert display_path("rad\nbrytning.txt") == "rad\\nbrytning.txt"
    assert display_path("fdp\u202eexe.txt") == "fdp\\u202eexe.txt"
    assert display_path("\x1b[31mröd.txt") == "\\x1b[31mröd.txt"
    assert display_path("Förvaltningens beslut – 2024.pdf") == "Förvaltningens beslut – 2024.pdf"
    for name in [latin1, "\ud800x", "a\x00b"]:
        shown = display_path(name)
        shown.encode("utf-8")  # never raises
        assert shown.isprintable()


@pytest.mark.skipif(sys.platform != "linux", reason="byte names")
def test_a_file_with_a_latin1_name_is_read_and_named_safely(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"latin1-\xe5.txt")
    with open(raw, "wb") as handle:
        handle.write(SWEDISH.encode("utf-8"))
    ((path, problem),) = list(iter_files([tmp_path]))
    assert problem is None
    text = read(path)
    assert text.text == SWEDISH and text.path.endswith("latin1-\\xe5.txt")
    text.path.encode("utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"tom-\xe5.txt"), "wb"):
        pass
    with pytest.raises(LoaderError) as info:
        read(Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"tom-\xe5.txt"))))
    assert "tom-\\xe5.txt" in str(info.value)
    str(info.value).encode("utf-8")


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "växer.txt"
    path.write_text("a" * 500)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    with pytest.raises(LoaderError, match="växte"):
        read_bytes(path, max_bytes=100)


def test_a_file_that_grew_since_it_was_looked_at_is_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "växer.txt"
    path.write_text("a" * 50)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    assert read_bytes(path, max_bytes=100) == b"a" * 50


def test_lone_surrogates_from_a_reader_become_replacement_characters(tmp_path, monkeypatch):
    monkeypatch.setattr("loaders.reading.formats.html_text", lambda text, path, limits: "Uppsala\ud800 kommun")
    (tmp_path / "a.html").write_text("<p>x</p>")
    text = read(tmp_path / "a.html").text
    assert text == "Uppsala\ufffd kommun"
    text.encode("utf-8")


def _unlistable(monkeypatch, name: str) -> None:
    """Make the folder `name` unlistable. Tests run as root, for whom chmod 000 stops no
    listing, so the listing call itself (os.scandir, which os.walk uses) raises the
    PermissionError the system gives any other user for a chmod 000 folder."""
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path).rstrip("/")) == name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unlistable_subfolder_is_reported_in_swedish_and_the_walk_goes_on(tmp_path, monkeypatch):
    for folder in ("a-oppen", "b-stangd", "c-oppen"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "dok.txt").write_text(SWEDISH, encoding="utf-8")
    _unlistable(monkeypatch, "b-stangd")
    found = list(iter_files([tmp_path]))
    assert [p.parent.name for p, problem in found if problem is None] == ["a-oppen", "c-oppen"]
    (problem,) = [problem for _, problem in found if problem is not None]
    assert problem.path == str(tmp_path / "b-stangd") and "behörighet saknas" in str(problem)
    assert "\n" not in str(problem) and "Permission" not in str(problem)
