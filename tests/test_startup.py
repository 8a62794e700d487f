"""Start-up: --help and argument errors answer without importing what only commands need.

Measured by what is imported (python -X importtime), not by a clock: spaCy, networkx,
pyvis, igraph, the record models, YAML and the stores cost `samverkan --help` over a
second before they were imported only by the commands that use them. typer converts a
command's arguments with pydantic and its help pages import rich.markdown; both are left
until used (queries/cli_startup.py), so neither a help page nor an argument error imports
them (a query does import pydantic: graph/model.py's records are pydantic models).
"""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Top-level packages, and our own modules, that --help must not import.
HEAVY = {"spacy", "thinc", "networkx", "pyvis", "igraph", "yaml", "rapidfuzz", "neo4j", "bs4", "pypdf", "docx",
         "graph.model", "graph.sqlite", "graph.memory", "loaders.language.swedish", "loaders.pipeline", "loaders.reading.limits"}


def imported(*args: str) -> tuple[int, set[str]]:
    """The exit code of `samverkan.py ARGS` and every module it imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "samverkan.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.returncode, modules - {"module"}  # "module" is the heading of importtime's table


def test_help_imports_no_pydantic():
    rc, modules = imported("--help")
    assert rc == 0 and "typer" in modules
    assert not {m for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core")}


@pytest.mark.parametrize("args, code", [
    (["--help"], 0),
    (["partners", "--help"], 0),
    (["ingest", "--help"], 0),
    (["partners"], 2),  # a missing argument
    (["actors", "--kind", "nosuchkind"], 2),  # a wrong choice
])
def test_help_and_argument_errors_import_no_heavy_module(args, code):
    rc, modules = imported(*args)
    assert rc == code
    assert "typer" in modules  # the measurement sees imports at all
    heavy = {m for m in modules if m in HEAVY or m.split(".")[0] in HEAVY}
    assert not heavy, sorted(heavy)


#: What typer would import for every command and help page, and this CLI does not use.
UNUSED = {"pydantic", "pydantic_core", "markdown_it", "pygments"}


@pytest.mark.parametrize("args, code", [
    (["--help"], 0),
    (["partners"], 2),
    (["view", "--depth", "9"], 2),  # a number out of range is worded by typer itself, through pydantic
    (["actors", "--kind", "nosuchkind", "--kind", "kommun"], 2),
])
def test_help_and_argument_errors_import_no_pydantic_or_markdown(args, code):
    rc, modules = imported(*args)
    assert rc == code
    unused = {m for m in modules if m.split(".")[0] in UNUSED}
    if args[0] == "view":  # out of range: typer's own conversion says why (in Swedish)
        unused -= {m for m in unused if m.split(".")[0].startswith("pydantic")}
    assert not unused, sorted(unused)


def test_a_command_still_imports_what_it_needs(tmp_path):
    rc, modules = imported("actors", "--store", str(tmp_path / "graph.sqlite"))
    assert rc == 1  # an empty store: "Grafen är tom"
    assert "graph.sqlite" in modules


def test_ingest_option_defaults_are_the_limits_defaults():
    """samverkan.LIMITS is written out so that --help need not import loaders.reading.limits."""
    import samverkan
    from loaders.reading.limits import Limits

    assert samverkan.LIMITS == dataclasses.asdict(Limits())
