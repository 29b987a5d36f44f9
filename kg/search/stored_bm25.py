"""A saved bm25s index read with numpy alone, so a cold search does not import bm25s and scipy.

bm25s stores its eager scores as a CSC matrix (one column of precomputed BM25 weights per token)
in three ``.npy`` files beside its vocabulary; scoring a query is summing the columns of its token
ids. Importing bm25s pulls in scipy.sparse, which takes a third of a cold ``metrokg search``: the
index is built and saved by bm25s (:class:`metrokg.kg.search.lexical.LexicalIndex`), and read here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

#: the scoring methods whose saved scores are the whole score (BM25L and BM25+ add a
#: non-occurrence term that bm25s keeps outside the matrix)
EAGER_METHODS = frozenset({"robertson", "lucene", "atire"})


class StoredBM25:
    """The part of ``bm25s.BM25`` that search uses: ``vocab_dict`` and ``get_scores`` of token ids."""

    def __init__(self, vocab: dict[str, int], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
                 num_docs: int, dtype: str = "float32") -> None:
        self.vocab_dict = vocab
        self._data, self._indices, self._indptr = data, indices, indptr
        self._num_docs, self._dtype = num_docs, np.dtype(dtype)

    @classmethod
    def load(cls, folder: Path) -> "StoredBM25 | None":
        """The index bm25s saved in ``folder``; None when it was saved with a method this reader
        cannot score alone (the caller then loads it with bm25s)."""
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") not in EAGER_METHODS:
            return None
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        arrays = [np.load(folder / f"{name}.csc.index.npy", allow_pickle=False) for name in ("data", "indices", "indptr")]
        return cls(vocab, *arrays, num_docs=int(params["num_docs"]), dtype=params.get("dtype", "float32"))

    def get_scores(self, token_ids: list[int]) -> np.ndarray:
        """The score of every document: the sum of its weights for each query token id, in query
        order (as bm25s sums them; a repeated token counts each time)."""
        ids = np.asarray(token_ids, dtype=np.int64)
        if ids.size and int(ids.max()) >= len(self._indptr) - 1:
            raise ValueError(f"token id {int(ids.max())} is not in the index")
        scores = np.zeros(self._num_docs, dtype=self._dtype)
        for i in ids:
            start, end = self._indptr[i], self._indptr[i + 1]
            scores[self._indices[start:end]] += self._data[start:end]  # a column holds each document once
        return scores
