"""The vocabulary files read by libyaml's loader read as the pure-Python safe loader reads them."""

from pathlib import Path

import pytest
import yaml

from loaders.data_files import DATA_DIR, SAFE_LOADER, load

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(DATA_DIR.glob("*.yaml")) + sorted((ROOT / "viz" / "data").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_fast_loader_reads_every_data_file_as_the_safe_loader_does(path):
    text = path.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.safe_load(text)


def test_load_gives_the_parsed_table():
    assert "collaboration" in load("cues")
