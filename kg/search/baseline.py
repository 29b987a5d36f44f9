"""Plain BM25 over jieba's words: the baseline every search figure is compared with.

What a user would get from a ten-line script: jieba's main dictionary (no vocabulary words, no
sub-words), lower-cased words without punctuation, BM25 with bm25s' defaults. It reads the
provisions of a :class:`~metrokg.kg.search.index.SearchIndex` and nothing of the graph.
"""

from __future__ import annotations

import re

import numpy as np

from metrokg.nlp.segment import Segmenter

_WORD = re.compile(r"\w", re.UNICODE)


class PlainBM25:
    """BM25 over the heading and text of each record, cut by jieba's main dictionary alone."""

    def __init__(self, texts: list[str]):
        import bm25s

        self.segmenter = Segmenter()
        self.size = len(texts)
        self.retriever = bm25s.BM25()
        self.retriever.index([self.words(t) or ["∅"] for t in texts], show_progress=False)

    def words(self, text: str) -> list[str]:
        """jieba's words of ``text``, lower-cased, punctuation and spaces dropped."""
        return [w.lower() for w in self.segmenter.cut(text) if _WORD.search(w)]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every record for ``query`` (zeros when no word is known)."""
        vocab = self.retriever.vocab_dict
        ids = [vocab[w] for w in self.words(query) if w in vocab]
        if not ids or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(ids), dtype=np.float32)
