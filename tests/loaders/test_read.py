import os

import pytest

from loaders.read import LoaderError, decode, iter_files, read

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
