"""Ingestion as a user meets it: mixed formats, bad files, parallel workers, a killed process."""

import json
import os
import signal
import subprocess
import sys
import time

from typer.testing import CliRunner

from graph.memory import FORMAT, MemoryStore
from loaders.reading.formats import ocr_available
from samverkan import app
from tests.conftest import EXAMPLES, ROOT
from tests.loaders.corpus import make_corpus

runner = CliRunner()


def test_mixed_folder_gives_exactly_the_expected_errors_and_actors(tmp_path):
    folder = tmp_path / "blandat"
    expected = make_corpus(folder, scanned=ocr_available())
    os.symlink(folder, folder / "slinga")  # a directory loop
    store = tmp_path / "g.json"
    result = runner.invoke(app, ["ingest", str(folder), "--store", str(store)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    error_lines = [line for line in result.output.splitlines() if str(folder) in line]
    reported = {name for name in expected if any(name in line for line in error_lines)}
    assert reported == {name for name, problem in expected.items() if problem}
    for name, problem in expected.items():
        if problem:
            assert any(name in line and problem in line for line in error_lines), (name, problem)
    data = MemoryStore(store)
    readable = [n for n, p in expected.items() if not p]
    assert len(data.documents()) == len(readable)
    names = {e.name for e in data.entities()}
    assert {"Uppsala kommun", "Polisregion Mitt", "Kriminalvården"} <= names
    agreement_parties = {r.source for r in data.relations() if r.type.value == "PARTY_TO"}
    assert {"uppsala-kommun", "polisregion-mitt", "kriminalvarden"} <= agreement_parties


def test_a_file_over_the_size_limit_is_refused_clearly(tmp_path):
    big = tmp_path / "stor.txt"
    big.write_text("Uppsala kommun samverkar med Polisregion Mitt. " * 30000, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(big), "--max-mb", "0.5", "--store", str(tmp_path / "g.json")],
                           env={"COLUMNS": "300"})
    assert result.exit_code == 1 and "stor.txt" in result.output and "gränsen 0.5 MB" in result.output


def test_parallel_ingestion_builds_the_same_graph(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for source in EXAMPLES.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    texts = [
        "Uppsala kommun och Polisregion Mitt tecknade 2021 en samverkansöverenskommelse.",
        "Malmö stad samverkar med Polisregion Syd och Kriminalvården i projektet Trygg i Malmö.",
        "Motionärerna föreslår att Lunds kommun inleder samverkan med Skatteverket.",
        "Region Skåne och Helsingborgs stad har ett partnerskap med Arbetsförmedlingen sedan 2018.",
    ]
    for i, text in enumerate(texts):
        (folder / f"extra{i}.txt").write_text(text, encoding="utf-8")
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert runner.invoke(app, ["ingest", str(folder), "--jobs", "1", "--store", str(one)]).exit_code == 0
    assert runner.invoke(app, ["ingest", str(folder), "--jobs", "2", "--store", str(two)]).exit_code == 0
    assert one.read_bytes() == two.read_bytes()


def test_kill_9_during_ingest_leaves_a_readable_graph(tmp_path):
    store = tmp_path / "g.json"
    assert runner.invoke(app, ["ingest", str(EXAMPLES), "--store", str(store)]).exit_code == 0
    before = MemoryStore(store).stats()
    folder = tmp_path / "many"
    folder.mkdir()
    text = (EXAMPLES / "000_dcc03598cb1e7b7d.txt").read_text(encoding="utf-8")
    for i in range(400):
        (folder / f"doc{i:04d}.md").write_text(text + f"\n\nKopia {i}.", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "samverkan.py"), "ingest", str(folder), "--save-every", "3", "--store", str(store)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    saves = 0
    last = store.stat().st_mtime_ns
    while time.time() < deadline and saves < 2:  # kill it while it is saving again and again
        time.sleep(0.05)
        if store.stat().st_mtime_ns != last:
            saves, last = saves + 1, store.stat().st_mtime_ns
    time.sleep(0.13)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = MemoryStore(store).stats()  # loads: the file is whole
    assert after.documents >= before.documents and after.relations >= before.relations
    assert json.loads(store.read_text(encoding="utf-8"))["format"] == FORMAT
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert all(p.name.startswith(".g.json.") for p in leftovers)  # at most an abandoned temporary file
