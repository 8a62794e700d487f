"""queries/cli_startup.py: plain values converted as typer's pydantic adapters convert them,
and the deferred modules that import themselves when used."""

import enum
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.models import ArgumentInfo, OptionInfo

from graph.vocabulary import Kind, parse_kind
from queries.cli_startup import NotPlain, plain_converter

ROOT = Path(__file__).resolve().parents[2]


class Colour(str, enum.Enum):
    red = "red"
    green = "Green"


def _library(annotation, info, value):
    """What typer's own (pydantic) conversion makes of `value`: ("ok", result) or ("error", message)."""
    runtime = build_runtime_param(resolve_type_descriptor(annotation, info))
    try:
        return "ok", runtime._coerce_value(value, param=None, ctx=None)
    except Exception as exc:  # noqa: BLE001 (the kind and the message are compared)
        return "error", f"{type(exc).__name__}: {exc}"


def _plain(annotation, info, value):
    convert = plain_converter(annotation, info)
    if convert is None:
        return None
    try:
        return "ok", convert(value, None, None)
    except NotPlain:
        return None  # typer decides
    except Exception as exc:  # noqa: BLE001
        return "error", f"{type(exc).__name__}: {exc}"


CASES = [
    (str, OptionInfo(), ["x", "", " Länsstyrelsen i Skåne län ", "-1", "a;b"]),
    (int, OptionInfo(), [0, 5, -3, "0", "5", "-3", "007", " 5", "5.0", "5.5", "x", "", "1e3", "+4", True, 2.0]),
    (int, OptionInfo(min=1, max=6), ["1", "6", "0", "7", "3", 9, -1]),
    (int, OptionInfo(min=0, clamp=True), ["-4", "4"]),
    (float, OptionInfo(), [0.5, 50, "50", "0.5", "-0.25", "1,5", ".5", "5.", "x", "1e3", "inf", "nan", True]),
    (float, OptionInfo(min=0.001), ["0.001", "0.0001", "0", "52.4288", 52.4288]),
    (bool, OptionInfo(), [True, False, "true", "no", "1"]),
    (Path, OptionInfo(), ["graph.sqlite", "/tmp", "a b/c.json", "", ".", Path("x.sqlite")]),
    (Path, OptionInfo(exists=True), ["/tmp", "/no/such/file", "."]),
    (Path, OptionInfo(exists=True, dir_okay=False), ["/tmp", "/etc/hostname"]),
    (Path, ArgumentInfo(), ["doc.pdf", "mapp"]),
    (Colour, OptionInfo(), ["red", "Green", "green", "RED", "blue", Colour.red, ""]),
    (Colour, OptionInfo(case_sensitive=False), ["red", "GREEN", "blue"]),
    (Kind, OptionInfo(parser=parse_kind), ["kommun", "municipality", "myndighet", "nosuchkind", ""]),
    (List[Kind], OptionInfo(parser=parse_kind), [["kommun"], ["kommun", "region"], ("agency",), ["x"], "kommun"]),
    (List[Path], ArgumentInfo(), [["a.pdf", "b"], ("c",), "d"]),
    (List[str], OptionInfo(), [["a", "b"], "a"]),
]


@pytest.mark.parametrize("annotation, info, values", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_plain_conversion_is_typers(annotation, info, values):
    """Every value converted plainly gives what typer's own conversion gives, value and type."""
    for value in values:
        plain = _plain(annotation, info, value)
        if plain is None:
            continue
        library = _library(annotation, info, value)
        assert plain == library, (annotation, value, plain, library)
        if plain[0] == "ok":
            assert type(plain[1]) is type(library[1]), (annotation, value)
            if isinstance(plain[1], list):
                assert [type(v) for v in plain[1]] == [type(v) for v in library[1]]


def test_plain_rules_take_the_usual_values():
    """The values a user types convert without typer's adapter (the point of the module)."""
    taken = [(str, OptionInfo(), "Skolverket"), (int, OptionInfo(min=1, max=6), "3"), (float, OptionInfo(), "0.5"),
             (Path, OptionInfo(), "graph.sqlite"), (Colour, OptionInfo(), "red"),
             (List[Kind], OptionInfo(parser=parse_kind), ["kommun"])]
    for annotation, info, value in taken:
        assert _plain(annotation, info, value) is not None, (annotation, value)


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    return done.stdout.strip()


def test_deferred_modules_import_themselves_when_used():
    out = _run("import sys, samverkan\n"
               "import typer.rich_utils as r\n"
               "print(type(sys.modules['rich.markdown']).__name__, 'markdown_it' in sys.modules)\n"
               "m = r.Markdown('**x**')\n"
               "print(type(m).__module__, type(sys.modules['rich.markdown']).__name__)\n"
               "import rich.traceback\n"
               "print(rich.traceback.Traceback.from_exception.__module__, type(sys.modules['rich.traceback']).__name__)\n"
               "print(r.Traceback.from_exception.__qualname__)\n")
    assert out.splitlines() == ["_DeferredModule False", "rich.markdown module", "rich.traceback module",
                                "Traceback.from_exception"]


def test_markdown_help_still_renders():
    """A help text in typer's "markdown" mode, which makes a Markdown: the real one."""
    out = _run("import samverkan, typer\n"
               "from typer.testing import CliRunner\n"
               "app = typer.Typer(rich_markup_mode='markdown')\n"
               "@app.command(help='**fet** text')\n"
               "def main(x: int = 1):\n"
               "    pass\n"
               "print(CliRunner().invoke(app, ['--help'], env={'COLUMNS': '100'}).output)\n")
    assert "fet text" in out and "**" not in out


def test_only_the_invoked_command_is_built_and_the_program_is_restored():
    import typer.main

    import samverkan
    from queries.cli_startup import only_invoked

    app = samverkan.app
    everything = set(typer.main.get_command(app).commands)
    with only_invoked(app, ["partners", "Norrby kommun", "--store", "x.sqlite"]):
        group = typer.main.get_command(app)
        assert set(group.commands) == {"partners"}  # still a group: 'partners' is not read as a name
    with only_invoked(app, ["review", "confirm", "A", "B"]):
        assert set(typer.main.get_command(app).commands) == {"review"}
    for argv in (["--help"], ["partnrs"], []):  # help, a typo's suggestions, no command: all of them
        with only_invoked(app, argv):
            assert set(typer.main.get_command(app).commands) == everything
    assert set(typer.main.get_command(app).commands) == everything


@pytest.mark.parametrize("argv", [["partners", "--help"], ["partners"], ["review", "confirm"], ["partnrs"]])
def test_a_command_run_alone_says_what_the_whole_program_says(argv):
    """The program as the console script runs it (one command built) and as CliRunner
    builds it (every command): the same help, the same errors, the same exit code."""
    from typer.testing import CliRunner

    import samverkan

    env = {**os.environ, "COLUMNS": "100", "PYTHONPATH": str(ROOT)}
    alone = subprocess.run([sys.executable, "-c", "import sys, samverkan; sys.argv[0] = 'samverkan'; samverkan.app()",
                            *argv], capture_output=True, text=True, env=env, cwd=ROOT)
    whole = CliRunner().invoke(samverkan.app, argv, prog_name="samverkan", env={"COLUMNS": "100"})
    assert alone.returncode == whole.exit_code
    assert alone.stdout + alone.stderr == whole.output


_PROGRAM = ("import atexit, sys, samverkan\n"
            "class Kept:\n"
            "    def __del__(self):\n"
            "        print('freed', file=sys.stderr)\n"
            "kept = Kept()\n"
            "atexit.register(lambda: print('exit handlers ran', file=sys.stderr))\n"
            "sys.argv[0] = 'samverkan'\n"
            "samverkan.app()\n")


def _program(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "150", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _PROGRAM, *argv], capture_output=True, text=True, env=env, cwd=ROOT)


def test_a_reading_command_ends_at_once_with_its_output_exit_code_and_a_tidy_store(tmp_path):
    """Objects are not freed one by one (no __del__ runs), the exit handlers are, the
    output piped to a file is all there, the exit code is the command's, and the store is
    closed (SQLite leaves no -wal or -shm file beside it)."""
    from graph.sqlite import SQLiteStore
    from tests.graph.synthetic import document

    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        for n in range(3):
            store.add(document(n))
        actors = len(store.entities(evidence=False))
    listed = _program("actors", "--format", "csv", "--store", str(path))
    assert listed.returncode == 0, listed.stderr
    assert "exit handlers ran" in listed.stderr and "freed" not in listed.stderr
    assert len(listed.stdout.splitlines()) == 1 + actors
    missing = _program("partners", "Finns inte alls", "--store", str(path))
    assert missing.returncode == 1 and "freed" not in missing.stderr and "Finns inte alls" in missing.stdout + missing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.sqlite"]


def test_a_command_that_writes_the_store_ends_as_python_does(tmp_path):
    done = _program("store", "migrate", str(tmp_path / "saknas.json"), str(tmp_path / "ny.sqlite"))
    assert done.returncode == 2 and "freed" in done.stderr and "exit handlers ran" in done.stderr
