"""The parsed form of a document: what the structure parser hands to extraction and the store.

Offsets are character offsets into ``ParsedDocument.text`` (the normalised text), so that
``doc.text[p.start:p.end] == p.text`` holds for every provision and sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A piece of the normalised text: ``text == doc.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class Provision:
    """A numbered unit of a document (chapter, section, item) with its own text.

    ``number`` is dotted from the nesting (``2.1.1``); the preamble before the first
    heading is ``0``. ``text`` runs from the provision's marker to the start of its first
    child or its next sibling, so parents do not repeat their children's words.
    """

    number: str
    heading: str
    marker: str
    level: int
    start: int
    end: int
    text: str
    parent: str | None = None
    sentences: list[Span] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """A document after reading, normalisation and structure parsing."""

    doc_id: str
    text: str
    title: str
    issuer: str | None = None
    date: str | None = None
    document_number: str | None = None
    recipients: str | None = None
    implements: list[str] = field(default_factory=list)
    references: list[Span] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_file: str | None = None
    source_format: str | None = None
    doc_type: str | None = None
    language: str = "zh"

    def provision(self, number: str) -> Provision:
        """The provision with this dotted number (KeyError if absent)."""
        for p in self.provisions:
            if p.number == number:
                return p
        raise KeyError(number)
