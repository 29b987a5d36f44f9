"""BM25 over jieba tokens (bm25s), persisted beside the store and rebuilt when the store changes."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from metrokg.nlp.tokens import search_tokens


@dataclass
class LexicalIndex:
    """A BM25 index over a list of texts; ``search`` returns (position, score) pairs."""

    retriever: object | None
    size: int

    @classmethod
    def build(cls, texts: list[str]) -> "LexicalIndex":
        import bm25s

        tokens = [search_tokens(t) or ["∅"] for t in texts]
        if not tokens:
            return cls(None, 0)
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.retriever is not None:
            self.retriever.save(str(folder / "bm25"))
        (folder / "lexical.json").write_text(json.dumps({"size": self.size}))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        size = json.loads((folder / "lexical.json").read_text())["size"]
        retriever = bm25s.BM25.load(str(folder / "bm25")) if size else None
        return cls(retriever, size)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every indexed text for ``query`` (zeros when no term is known)."""
        if self.retriever is None:
            return np.zeros(0, dtype=np.float32)
        vocab = self.retriever.vocab_dict
        ids = [vocab[t] for t in search_tokens(query) if t in vocab]
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(ids), dtype=np.float32)


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
