"""Loading the Swedish vocabulary kept as data files in loaders/data/, once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).with_name("data")


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """Parse loaders/data/<name>.yaml; cached because every document needs the same tables."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
