"""The entity linker as a spaCy component: :class:`metrokg.nlp.extraction.linking.Linker` on each document,
matches kept on word boundaries (jieba's tokens), mentions on ``doc._.metrokg_mentions``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.extraction.linking import NAME, VERSION, Linker, Pattern, load_vocabulary_patterns, resolve_overlaps
from metrokg.nlp.segment import pipeline_segmenter
from metrokg.nlp.structure.textspans import doc_text, token_offsets

__all__ = ["EntityLinker", "Pattern", "make_entity_linker", "resolve_overlaps"]

if not Doc.has_extension("metrokg_mentions"):
    Doc.set_extension("metrokg_mentions", default=None)


class EntityLinker(Linker):
    """spaCy component: vocabulary and document-reference mentions on ``doc._.metrokg_mentions``."""

    def __init__(self, nlp: Language, name: str = NAME, patterns: list[Pattern] | None = None,
                 add_to_jieba: bool = True):
        self.nlp = nlp
        self.name = name
        super().__init__(list(patterns or []), pipeline_segmenter(nlp) if add_to_jieba else None)

    def __call__(self, doc: Doc) -> Doc:
        starts, ends = token_offsets(doc)
        doc._.metrokg_mentions = self.mentions(doc_text(doc), (set(starts), set(ends)))
        return doc

    # -- serialisation --------------------------------------------------------------------

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Write the patterns as JSON lines."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "patterns.jsonl", "w", encoding="utf-8") as f:
            for p in self.patterns:
                f.write(json.dumps(p.as_json(), ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "EntityLinker":
        """Read patterns written by :meth:`to_disk`."""
        file = Path(path) / "patterns.jsonl"
        pats = []
        with open(file, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                pats.append(Pattern(d["label"], d["iri"], d["scheme"], d["pref"], tuple(d.get("types", ()))))
        self.patterns = pats
        self._build()
        return self


@Language.factory(f"{NAME}_{VERSION}", default_config={"load_vocabulary": True, "add_to_jieba": True})
def make_entity_linker(nlp: Language, name: str, load_vocabulary: bool, add_to_jieba: bool) -> EntityLinker:
    """Factory: patterns from the ontology vocabularies when ``load_vocabulary`` is true."""
    pats = load_vocabulary_patterns() if load_vocabulary else []
    return EntityLinker(nlp, name, pats, add_to_jieba)
