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
