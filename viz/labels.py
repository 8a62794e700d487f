"""Swedish labels and map styles, kept as data (viz/data/labels.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def labels() -> dict:
    import yaml  # here, not at the top: --help names no label

    with (Path(__file__).with_name("data") / "labels.yaml").open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml where built with it


def kind_label(kind: str) -> str:
    return labels()["kinds"].get(kind, {}).get("label", kind)


def status_label(status: str) -> str:
    return labels()["statuses"].get(status, {}).get("label", status)


def relation_label(rel_type: str) -> str:
    return labels()["relations"].get(rel_type, rel_type)
