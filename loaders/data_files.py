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
        return yaml.load(fh, Loader=SAFE_LOADER)


#: libyaml's safe loader where PyYAML was built with it: the same documents, parsed twenty times
#: faster, which every command that prints a table or reads a document waits for.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
