"""Word tokens for lexical search: jieba's search mode, with domain terms kept whole."""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Iterable

_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_lock = threading.Lock()
_added: set[str] = set()
STOPWORDS = frozenset("的 了 和 与 及 等 在 对 为 以 并 将 是 或 其 之 把 被 由 从 向 于 中 上 下 个 这 那 我 你 他 怎么 什么 如何 哪些 吗 呢 啊 吧 要 有 the a an of and or to in for on by with is are what how which".split())


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def add_terms(terms: Iterable[str]) -> None:
    """Teach the segmenter domain terms (vocabulary labels) so they are not split."""
    jieba = _jieba()
    with _lock:
        for term in terms:
            term = term.strip()
            if len(term) >= 2 and term not in _added and not term.isascii():
                jieba.add_word(term, freq=2000)
                _added.add(term)


def search_tokens(text: str) -> list[str]:
    """Lower-cased tokens of ``text`` for BM25: words and their sub-words, no punctuation or stopwords."""
    jieba = _jieba()
    out = []
    for tok in jieba.lcut_for_search(text):
        tok = tok.strip().lower()
        if tok and _WORD.search(tok) and tok not in STOPWORDS:
            out.append(tok)
    return out
