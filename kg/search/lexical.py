"""BM25 over jieba tokens (bm25s), persisted beside the store and rebuilt when the store changes."""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from metrokg.nlp.segment import Segmenter
from metrokg.nlp.tokens import search_tokens


@dataclass
class LexicalIndex:
    """A BM25 index over a list of texts, with document frequencies for weighting query words."""

    retriever: object | None
    size: int
    df: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, texts: list[str], segmenter: Segmenter | None = None) -> "LexicalIndex":
        """Index ``texts`` cut by ``segmenter`` (query with the same one)."""
        return cls.from_tokens([search_tokens(t, segmenter) for t in texts])

    @classmethod
    def from_tokens(cls, tokens: list[list[str]]) -> "LexicalIndex":
        """Index already tokenised texts (the caller may reuse the tokens)."""
        import bm25s

        if not tokens:
            return cls(None, 0)
        df: dict[str, int] = {}
        for toks in tokens:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        retriever = bm25s.BM25()
        retriever.index([t or ["∅"] for t in tokens], show_progress=False)
        return cls(retriever, len(tokens), df)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.retriever is not None:
            self.retriever.save(str(folder / "bm25"))
        (folder / "lexical.json").write_text(json.dumps({"size": self.size, "df": self.df}, ensure_ascii=False),
                                             encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        from metrokg.kg.search.stored_bm25 import StoredBM25

        meta = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
        size = meta["size"]
        retriever = (StoredBM25.load(folder / "bm25") or _bm25s_load(folder / "bm25")) if size else None
        return cls(retriever, size, meta.get("df", {}))

    def idf(self, token: str) -> float:
        """BM25's idf of a token (0 for tokens no text has)."""
        df = self.df.get(token, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5)) if df else 0.0

    @property
    def unseen_idf(self) -> float:
        """The idf a token no text has would get: a query word no provision has weighs most."""
        return math.log(1 + (self.size + 0.5) / 0.5)

    def weight(self, token: str) -> float:
        """How much a query token tells: its idf, or :attr:`unseen_idf` for one no text has."""
        return self.idf(token) or self.unseen_idf

    def scores(self, query: str, segmenter: Segmenter | None = None) -> np.ndarray:
        """BM25 score of every indexed text for ``query`` cut by the segmenter that cut the texts
        (zeros when no term is known)."""
        if self.retriever is None:
            return np.zeros(0, dtype=np.float32)
        vocab = self.retriever.vocab_dict
        ids = [vocab[t] for t in search_tokens(query, segmenter) if t in vocab]
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(ids), dtype=np.float32)

    def term_scores(self, token: str) -> np.ndarray:
        """BM25 score of every indexed text for one token (zeros when no text has it)."""
        ids = [] if self.retriever is None else [self.retriever.vocab_dict[token]] if token in self.retriever.vocab_dict else []
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(ids), dtype=np.float32)


def _bm25s_load(folder: Path):
    import bm25s

    return bm25s.BM25.load(str(folder))


def replace_dir(tmp: Path, final: Path) -> None:
    """Swap a freshly written folder into place, so readers never see half an index."""
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
