"""Duplicates: the same document ingested again under another name, format or encoding.

A document is a duplicate of one in the store (or of one earlier in the same batch) when its
normalised text has the same content hash, or when both print the same 文号. A duplicate is not
added again; with ``replace`` it takes the existing document's id, so writing it replaces that
document in the same transaction (its id, links and progress records stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from metrokg.errors import MetrokgError, warning_text
from metrokg.kg.graph.pending import PendingDocument
from metrokg.kg.records.factview import document_graphs
from metrokg.kg.store.base import Store
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.ontology.namespace import MKG_PREFIX

STORED_QUERY = MKG_PREFIX + """
SELECT ?id ?title ?hash ?number WHERE {
  ?d mkg:documentId ?id ; mkg:title ?title .
  OPTIONAL { ?d mkg:contentHash ?hash }
  OPTIONAL { ?d mkg:documentNumber ?number }
}
"""
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕",
                           "（": "〔", "）": "〕"})


@dataclass(frozen=True)
class Duplicate:
    """A document left out (or, with replace, written under ``of``) because it duplicates ``of``."""

    doc: PendingDocument
    of: str
    title: str
    reason: str  # "content" | "document number"

    def error(self) -> MetrokgError:
        """E415: what a single write (a web upload) raises for a duplicate, nothing written."""
        return MetrokgError("E415", source=self.doc.source_file or self.doc.doc_id, doc_id=self.of,
                            title=self.title, reason="the same text" if self.reason == "content" else
                            f"the same 文号 {self.doc.document_number}")

    def message(self, replaced: bool) -> str:
        """The W229 warning the ingest report carries."""
        return warning_text("W229", source=self.doc.source_file or self.doc.doc_id, doc_id=self.of,
                            title=self.title, reason="the same text" if self.reason == "content" else
                            f"the same 文号 {self.doc.document_number}",
                            outcome="it replaced that document" if replaced else
                            "it was not added again (ingest --replace replaces it)")


def number_key(number: str | None) -> str | None:
    """A 文号 compared without spaces and bracket styles (国发〔2021〕37号 = 国发[2021]37号)."""
    return re.sub(r"\s+", "", number).translate(_BRACKETS) if number else None


def find_duplicates(store: Store, docs: Sequence[PendingDocument]) -> tuple[list[PendingDocument], list[Duplicate]]:
    """Split ``docs`` into those to write and the duplicates of a stored or earlier document.

    A document with the same id as a stored one is not a duplicate here: writing it replaces
    (or leaves unchanged) that document, as before."""
    live = document_graphs(store)
    by_hash: dict[str, tuple[str, str]] = {}
    by_number: dict[str, tuple[str, str]] = {}
    for doc_id, title, digest, number in store.rows(STORED_QUERY):
        if str(doc_id) not in live:
            continue
        if digest:
            by_hash.setdefault(str(digest), (str(doc_id), str(title)))
        if number_key(number):
            by_number.setdefault(number_key(number), (str(doc_id), str(title)))
    keep: list[PendingDocument] = []
    dups: list[Duplicate] = []
    for doc in docs:
        digest, number = doc.digest, number_key(doc.document_number)
        hit = by_hash.get(digest)
        reason = "content"
        if hit is None and number:
            hit, reason = by_number.get(number), "document number"
        if hit is not None and hit[0] != doc.doc_id and doc.doc_id not in live:
            dups.append(Duplicate(doc, hit[0], hit[1], reason))
            continue
        keep.append(doc)
        by_hash.setdefault(digest, (doc.doc_id, doc.title))
        if number:
            by_number.setdefault(number, (doc.doc_id, doc.title))
    return keep, dups


def resolve_duplicates(store: Store, docs: Sequence[ParsedDocument | PendingDocument],
                       replace: bool = False) -> tuple[list[PendingDocument], list[Duplicate]]:
    """The documents to write and the duplicates found; with ``replace`` a duplicate of a stored
    document is written under that document's id (replacing it) instead of being left out."""
    keep, dups = find_duplicates(store, [PendingDocument.of(d) for d in docs])
    if not replace:
        return keep, dups
    written = {d.doc_id for d in keep}
    stored = document_graphs(store)
    for dup in dups:
        if dup.of in stored and dup.of not in written:
            dup.doc.warnings.append(dup.message(replaced=True))
            dup.doc.doc_id = dup.of
            keep.append(dup.doc)
            written.add(dup.of)
    return keep, [d for d in dups if d.doc.doc_id != d.of]
