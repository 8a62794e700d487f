"""Cold end-to-end latency of every command on a store made by real ingestion.

Run: python benchmarks/make_corpus.py /tmp/c2k --documents 2000
     samverkan ingest /tmp/c2k --jobs 2 --store /tmp/c2k.sqlite
     git worktree add --detach /tmp/before BASE        (the code before a change, optional)
     python benchmarks/bench_cli.py /tmp/c2k.sqlite --before /tmp/before --repeat 5

bench_queries.py and bench_map.py time the queries and the map on a generated graph (one
document, names like "Aktör 17"); a store that ingestion writes is different: thousands of
documents, quotes and aliases, bodies named in hundreds of documents. This benchmark asks
that store what a user asks, as a user does: each command is `samverkan.py ...` in a fresh
process (start-up, opening the store and printing included), and the wall time and peak
RSS of that process are measured. Variants (this checkout, and --before) run alternately,
--repeat times each, so that load from other work on the machine falls on both alike; the
table gives the median and the minimum. Each variant works on its own copy of the store
(a newer schema is migrated when a copy is first opened; that first open is timed apart).

Targets (issue 21): start-up and argument errors under 0.3 s, every query 1 s, `view` 3 s
from command to written map, every export 3 s.

--installed runs each command as the `samverkan` console script that `pip install` makes
does (`from samverkan import app; app()`), with the project's modules compiled to bytecode
beforehand (in __pycache__ folders beside them, as an installed package has them; git
ignores them). Without it each command is `python samverkan.py ...` and, where
PYTHONDONTWRITEBYTECODE is set (as on the development machines), every module of the
project is compiled from source in every process: a tenth to a fifth of a second that a
user's installation does not pay.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from bench_store import pick_actors  # this folder is the script's own: on sys.path

ROOT = Path(__file__).resolve().parents[1]

# Runs one command; prints its wall time, exit code, the peak RSS of the largest process it
# started and the CPU time (user + system) of its processes, which load from other work
# disturbs much less than the wall time.
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, done.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
print(done.stderr[-2000:], file=sys.stderr)
"""

#: What each command must take at most, in seconds (issue 21).
TARGETS = {"start-up": 0.3, "query": 1.0, "view": 3.0, "export": 3.0}


#: The console script's body (see [project.scripts] in pyproject.toml), for --installed.
CONSOLE_SCRIPT = "import sys; from samverkan import app; sys.argv[0] = 'samverkan'; sys.exit(app())"


def measure(command: list[str], root: Path, expect: int = 0, cpu: Optional[list[float]] = None,
            bytecode: bool = False) -> tuple[float, float]:
    """(wall seconds, peak MB) of one command; its CPU seconds are appended to `cpu` if given.
    bytecode: modules compiled before are read as bytecode, not compiled in every process."""
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "200"}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True,
                            env=env, cwd=root)
    wall, code, peak_kb, seconds = result.stdout.split()
    if int(code) != expect:
        raise RuntimeError(f"{command}: exit code {code}, expected {expect}\n{result.stderr}")
    if cpu is not None:
        cpu.append(float(seconds))
    return float(wall), float(peak_kb) / 1024


def commands(names: dict[str, str]) -> list[tuple[str, str, list[str], int]]:
    """(label, target class, arguments, expected exit code); {store} and {tmp} are filled in."""
    store = ["--store", "{store}"]
    return [
        ("--help", "start-up", ["--help"], 0),
        ("partners (no name: argument error)", "start-up", ["partners"], 2),
        ("actors", "query", ["actors", *store], 0),
        ("partners (busiest)", "query", ["partners", names["busiest"], *store], 0),
        ("partners (median)", "query", ["partners", names["median"], *store], 0),
        ("between (busiest, partner)", "query", ["between", names["busiest"], names["busiest_partner"], *store], 0),
        ("between (path search)", "query", ["between", names["median"], names["far"], *store], 0),
        ("show (busiest)", "query", ["show", names["busiest"], *store], 0),
        ("show (median)", "query", ["show", names["median"], *store], 0),
        ("evidence (busiest, partner)", "query", ["evidence", names["busiest"], names["busiest_partner"], *store], 0),
        ("search", "query", ["search", "samverkansöverenskommelse", *store], 0),
        ("agreements", "query", ["agreements", *store], 0),
        ("projects", "query", ["projects", *store], 0),
        ("matrix", "query", ["matrix", *store], 0),
        ("matrix -o", "query", ["matrix", "-o", "{tmp}/matris.csv", *store], 0),
        ("brokers", "query", ["brokers", *store], 0),
        ("communities", "query", ["communities", *store], 0),
        ("view -o", "view", ["view", "-o", "{tmp}/karta.html", *store], 0),
        ("export json (stdout)", "export", ["export", *store], 0),
        ("export json -o", "export", ["export", "-o", "{tmp}/g.json", *store], 0),
        ("export graphml", "export", ["export", "--format", "graphml", "-o", "{tmp}/g.graphml", *store], 0),
        ("export gexf", "export", ["export", "--format", "gexf", "-o", "{tmp}/g.gexf", *store], 0),
        ("export csv", "export", ["export", "--format", "csv", "-o", "{tmp}/g", *store], 0),
        ("export xlsx", "export", ["export", "--format", "xlsx", "-o", "{tmp}/g.xlsx", *store], 0),
        ("export kumu", "export", ["export", "--format", "kumu", "-o", "{tmp}/kumu.xlsx", *store], 0),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="a SQLite store written by `samverkan ingest`")
    parser.add_argument("--before", type=Path, help="a checkout of the code before the change")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="only the commands whose label starts with one of these")
    parser.add_argument("--installed", action="store_true",
                        help="run as the installed console script, with the project compiled to bytecode")
    args = parser.parse_args()
    variants = ([("before", args.before.resolve())] if args.before else []) + [("after", ROOT)]
    work = Path(tempfile.mkdtemp(prefix="bench_cli-"))
    stores = {}
    names = pick_actors(args.store, far=True)
    print(f"{args.store}: asking about {names}", flush=True)
    for label, root in variants:
        if args.installed:
            _compile(root)
        stores[label] = work / f"{label}.sqlite"
        shutil.copy(args.store, stores[label])
        wall, _ = measure([*_program(root, args.installed), "agreements", "--store", str(stores[label])],
                          root, bytecode=args.installed)
        print(f"{label}: first open of its copy (a schema migration, if any, and `agreements`) {wall:.2f} s",
              flush=True)
    times: dict[str, dict[str, list[float]]] = {}
    cpus: dict[str, dict[str, list[float]]] = {}
    peaks: dict[str, dict[str, float]] = {}
    kinds = {}
    for label, kind, arguments, expect in commands(names):
        if args.only and not any(label.startswith(o) for o in args.only):
            continue
        kinds[label] = kind
        for _ in range(args.repeat):
            for variant, root in variants:
                tmp = work / variant
                tmp.mkdir(exist_ok=True)
                command = [*_program(root, args.installed),
                           *[a.replace("{store}", str(stores[variant])).replace("{tmp}", str(tmp)) for a in arguments]]
                wall, peak = measure(command, root, expect, cpus.setdefault(label, {}).setdefault(variant, []),
                                     bytecode=args.installed)
                times.setdefault(label, {}).setdefault(variant, []).append(wall)
                found = peaks.setdefault(label, {})
                found[variant] = max(peak, found.get(variant, 0.0))
        print(f"  {label:<38} " + "  ".join(
            f"{v} {statistics.median(times[label][v]):6.2f} s (CPU {statistics.median(cpus[label][v]):5.2f})"
            for v, _ in variants), flush=True)
    how = "as the installed console script, bytecode compiled" if args.installed else "python samverkan.py"
    print(f"\n{args.store} (seconds: median / minimum of {args.repeat} runs, fresh process each, {how}; "
          f"CPU: median user + system seconds; MB: peak RSS)")
    print("| command | target s | " + " | ".join(f"{v} s | {v} CPU s | {v} MB" for v, _ in variants) + " |")
    print("|---" * (2 + 3 * len(variants)) + "|")
    for label, cells in times.items():
        row = [f"{statistics.median(cells[v]):.2f} / {min(cells[v]):.2f} | {statistics.median(cpus[label][v]):.2f} | "
               f"{peaks[label][v]:.0f}" for v, _ in variants]
        print(f"| {label} | {TARGETS[kinds[label]]:g} | " + " | ".join(row) + " |")
    shutil.rmtree(work, ignore_errors=True)


def _program(root: Path, installed: bool) -> list[str]:
    """The command that starts samverkan: the script, or what the console script runs."""
    return [sys.executable, "-c", CONSOLE_SCRIPT] if installed else [sys.executable, str(root / "samverkan.py")]


def _compile(root: Path) -> None:
    """The project's modules at `root` compiled to bytecode, as pip compiles an installed package."""
    sources = [str(root / "samverkan.py"), *(str(root / p) for p in ("graph", "queries", "loaders", "viz"))]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *sources], check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
