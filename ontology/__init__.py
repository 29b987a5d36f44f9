"""The metrokg OWL ontology and its SKOS vocabularies (Turtle is the source of truth)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def ontology_dir() -> Path:
    """Folder holding the Turtle files."""
    return Path(str(resources.files(__name__)))


SHAPES_FILE = "shapes.ttl"


def turtle_files() -> list[Path]:
    """Every Turtle file that makes up the ontology and vocabularies, in a stable order.

    The SHACL shapes (``shapes.ttl``) are not part of the ontology and are left out.
    """
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name != SHAPES_FILE)


def shapes_file() -> Path:
    """The SHACL shapes for the data the pipeline writes."""
    return ontology_dir() / SHAPES_FILE
