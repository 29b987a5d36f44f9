"""spaCy component: the deadlines of :mod:`metrokg.nlp.structure.deadlines` (which year each
sentence of a provision is due by) on the Doc.

A provision may inherit the horizon left open at the end of its parent provision
(``到2025年，实现以下目标：`` followed by numbered items); the driver passes it in as
``doc._.metrokg_context_deadline``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from metrokg.nlp.structure.deadlines import find_deadlines, sentence_deadlines
from metrokg.nlp.structure.textspans import doc_text

# what the driver knows about the text beyond it: the deadline left open above, whether the
# document is a law or regulation (its numbers are rules, not goals), whether the provision
# stands in a background section (编制背景: its figures are achievements), the document's year
for _ext in ("metrokg_deadlines", "metrokg_sentence_deadlines", "metrokg_context_deadline",
             "metrokg_legal_text", "metrokg_background", "metrokg_document_year"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


class DeadlineRecognizer:
    """spaCy component: deadline mentions and per-sentence governing years on the Doc."""

    version = "v1"

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.metrokg_deadlines = find_deadlines(doc_text(doc))
        doc._.metrokg_sentence_deadlines = sentence_deadlines(doc_text(doc), doc._.metrokg_context_deadline)
        return doc

    def to_disk(self, path, exclude=()) -> None:  # noqa: D102 - config only
        pass

    def from_disk(self, path, exclude=()) -> "DeadlineRecognizer":  # noqa: D102
        return self


@Language.factory("metrokg_deadlines_v1")
def make_deadlines(nlp: Language, name: str) -> DeadlineRecognizer:
    """Factory for the deadline recogniser."""
    return DeadlineRecognizer(nlp, name)
