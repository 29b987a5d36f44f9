"""A saved BM25 index read without bm25s scores every text exactly as bm25s does."""

from __future__ import annotations

import numpy as np
import pytest

from metrokg.kg.search.lexical import LexicalIndex
from metrokg.kg.search.stored_bm25 import StoredBM25

TOKENS = [["加油机", "计量", "检定"], ["电能表", "计量", "计量"], ["出租车", "计价器", "检定", "作弊"], []]


def test_stored_index_scores_as_bm25s(tmp_path):
    built = LexicalIndex.from_tokens(TOKENS)
    built.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert isinstance(loaded.retriever, StoredBM25)
    vocab = built.retriever.vocab_dict
    assert loaded.retriever.vocab_dict == vocab
    for query in (["计量"], ["检定", "作弊"], ["计量", "计量", "加油机"]):
        ids = [vocab[t] for t in query]
        expected = np.asarray(built.retriever.get_scores(ids), dtype=np.float32)
        assert np.array_equal(loaded.retriever.get_scores(ids), expected)
    assert loaded.retriever.get_scores([vocab["作弊"]]).argmax() == 2


def test_unknown_token_id_is_refused(tmp_path):
    LexicalIndex.from_tokens(TOKENS).save(tmp_path)
    with pytest.raises(ValueError):
        LexicalIndex.load(tmp_path).retriever.get_scores([10_000])


def test_a_method_with_non_occurrence_scores_falls_back_to_bm25s(tmp_path):
    import bm25s

    retriever = bm25s.BM25(method="bm25+")
    retriever.index(TOKENS[:3], show_progress=False)
    retriever.save(str(tmp_path / "bm25"))
    assert StoredBM25.load(tmp_path / "bm25") is None
