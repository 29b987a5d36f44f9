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


@dataclass(frozen=True)
class ProvisionPart:
    """A part of a law's article that lawyers cite but that is not a provision of its own: a
    paragraph (款, the article's unmarked lines), an item (项, （一）) or a sub-item (目, 1.).

    The article stays one provision (search and extraction read it whole); its parts are spans
    inside it. ``path`` is the part's place under the article's IRI (``paragraph/2``,
    ``item/3``, ``paragraph/1/item/3/subitem/2``); ``label`` is the marker as printed (``（三）``,
    empty for a paragraph)."""

    kind: str  # paragraph | item | subitem
    number: int
    label: str
    citation: str
    path: str
    start: int
    end: int
    text: str


@dataclass
class Provision:
    """A numbered unit of a document (chapter, section, item) with its own text.

    ``number`` is dotted from the nesting (``2.1.1``); the preamble before the first
    heading is ``0``. ``text`` runs from the provision's marker to the start of its first
    child or its next sibling, so parents do not repeat their children's words.

    In a law (a text written in 第X条) ``citation`` is the provision as lawyers cite it
    (``第九条``, ``第二章``, ``第二章第一节``) and ``path`` its IRI path (``article/9``,
    ``chapter/2``); an article runs to the next article or heading, its items included, and
    ``parts`` are its paragraphs, items and sub-items. Both are None (and ``parts`` empty) in
    other documents.
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
    citation: str | None = None
    path: str | None = None
    parts: list[ProvisionPart] = field(default_factory=list)


@dataclass(frozen=True)
class Version:
    """One version in a law's history as printed under its title: ``event`` is 通过, 批准, 发布,
    公布, 修正 or 修订; ``decision`` the amending decision's name; ``order`` a 令第N号."""

    date: str | None
    event: str
    body: str | None
    decision: str | None
    text: str
    order: str | None = None


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
    # legal kind (law, administrative_regulation, local_regulation, departmental_rule,
    # local_government_rule, normative_document), a law's history and dates; ``date`` is the
    # latest version's
    legal_kind: str | None = None
    versions: list[Version] = field(default_factory=list)
    promulgated: str | None = None
    effective: str | None = None

    def provision(self, number: str) -> Provision:
        """The provision with this dotted number (KeyError if absent)."""
        for p in self.provisions:
            if p.number == number:
                return p
        raise KeyError(number)
