"""The terms the stored texts define, added to a query that describes one in the definition's words.

A query that paraphrases a defined term (军工产品的计量工作谁管 for 国防计量; 新产品样机的计量性能审查 for
定型鉴定) shares the definition's words but not the term, while the articles that answer it use the
term alone. When the definition holds most of the query's words (``QUERY_SHARE`` of their idf
weight, at least two words) and the query a fair part of the definition's (``DEFINITION_SHARE``:
a long definition such as 计量器具's, which mentions 标准物质, is not named by a query of one of its
words), the term joins the query's lexical signal and the concepts it names join the expansion
signal (``via`` 'definition'), as if the user had written it. Measured on the three labelled
sets: of 202 queries one fires (军工产品的计量工作谁管 → 国防计量, R@5 0.33 → 0.67; nothing else
moved); a query share of 0.5 also fired 社会公用计量标准要新建多少项 → 仲裁检定, whose definition
mentions 社会公用计量标准.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from metrokg.nlp.structure.definitions import definitions

#: the share of the query's words (idf-weighted, 2+ characters) the definition must hold
QUERY_SHARE = 0.6
#: the share of the definition's words (idf-weighted) the query must hold
DEFINITION_SHARE = 0.2
#: the fewest query words the definition must hold
MIN_WORDS = 2


@dataclass(frozen=True)
class Entry:
    term: str
    definition: str
    words: tuple[str, ...]  # the definition's search words of 2+ characters


class Glossary:
    """The defined terms of a store's provisions."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries

    @classmethod
    def build(cls, texts: Iterable[str], tokens: Callable[[str], list[str]]) -> "Glossary":
        seen: set[tuple[str, str]] = set()
        entries = []
        for text in texts:
            for d in definitions(text):
                if (d.term, d.definition) not in seen:
                    seen.add((d.term, d.definition))
                    words = tuple(sorted({t for t in tokens(d.definition) if len(t) > 1}))
                    entries.append(Entry(d.term, d.definition, words))
        return cls(entries)

    def to_json(self) -> list[list]:
        return [[e.term, e.definition, list(e.words)] for e in self.entries]

    @classmethod
    def from_json(cls, rows: list[list]) -> "Glossary":
        return cls([Entry(t, d, tuple(w)) for t, d, w in rows])

    def defined(self, query: str, words: Iterable[str], weight: Callable[[str], float]) -> list[str]:
        """The terms whose definition ``query`` (its search ``words``) describes, not already in it;
        ``weight``: what a word tells (:meth:`metrokg.kg.search.lexical.LexicalIndex.weight`)."""
        asked = {w for w in words if len(w) > 1}
        if len(asked) < MIN_WORDS or not self.entries:
            return []
        total = sum(weight(w) for w in asked)
        out = []
        for e in self.entries:
            if e.term in query or e.term in out:
                continue
            held = [w for w in asked if w in e.definition]
            if len(held) < MIN_WORDS or sum(weight(w) for w in held) < QUERY_SHARE * total:
                continue
            own = sum(weight(w) for w in e.words) or 1.0
            if sum(weight(w) for w in e.words if w in query) >= DEFINITION_SHARE * own:
                out.append(e.term)
        return out
