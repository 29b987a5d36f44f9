"""The documents shipped with metrokg, and their manifest."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path


def corpus_dir() -> Path:
    """Folder holding the shipped documents and ``manifest.json``."""
    return Path(str(resources.files(__name__)))


def manifest() -> list[dict]:
    """Metadata of every shipped document, in the order they are built."""
    return json.loads((corpus_dir() / "manifest.json").read_text(encoding="utf-8"))
