"""Word tokens for lexical search: jieba's search mode on the search segmenter, domain terms kept whole.

The segmenter is :func:`metrokg.nlp.segment.search_segmenter` of the search index's vocabulary, never
jieba's process-wide dictionary, so the extraction pipeline's words cannot change how a query is cut.
"""

from __future__ import annotations

import re
import sys

from metrokg.nlp.segment import Segmenter, search_segmenter

_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
STOPWORDS = frozenset("的 了 和 与 及 等 在 对 为 以 并 将 是 或 其 之 把 被 由 从 向 于 中 上 下 个 这 那 我 你 他 怎么 什么 如何 哪些 吗 呢 啊 吧 要 有 the a an of and or to in for on by with is are what how which".split())

def search_tokens(text: str, segmenter: Segmenter | None = None) -> list[str]:
    """Lower-cased tokens of ``text`` for BM25: words and their sub-words, no punctuation or stopwords.

    ``segmenter`` is the search index's (its vocabulary kept whole); without one, jieba's main
    dictionary alone, the same in every process. Tokens are interned: an index holds each distinct
    word once, not once per occurrence (at 100× the corpus, hundreds of MB of repeated strings)."""
    seg = segmenter or search_segmenter()
    out = []
    for tok in seg.cut_for_search(text):
        tok = tok.strip().lower()
        if tok and _WORD.search(tok) and tok not in STOPWORDS:
            out.append(sys.intern(tok))
    return out
