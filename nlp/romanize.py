"""Chinese written in Latin letters (Hanyu Pinyin, by pypinyin): readable ids from Chinese file names
and English names of places that have no English label.

Chinese is cut into words by jieba's main dictionary (:class:`metrokg.nlp.segment.Segmenter`, no
declared words) and each word read by pypinyin's phrase table, so polyphones take their reading in
that word (重庆 is Chongqing); characters outside CJK stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def pinyin_words(text: str) -> list[str]:
    """``text`` as words: each run of Chinese as its words' pinyin (syllables of a word joined, no tone
    marks, ü as v), each other run as written (NFKC)."""
    from pypinyin import lazy_pinyin

    out: list[str] = []
    for run in re.split(r"([\u3400-\u9fff\uf900-\ufaff]+)", unicodedata.normalize("NFKC", text)):
        if not run:
            continue
        if _HAN.match(run):
            out += ["".join(lazy_pinyin(word)) for word in _words().cut(run)]
        else:
            out.append(run)
    return out


@lru_cache(maxsize=1)
def _words():
    from metrokg.nlp.segment import Segmenter

    return Segmenter()


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return bool(_HAN.search(text))


def romanized_name(name: str) -> str:
    """A proper name in pinyin, one capitalised word (宜昌 → Yichang, 吕梁 → Lüliang)."""
    from pypinyin import lazy_pinyin

    word = "".join(lazy_pinyin(name, v_to_u=True))
    return word[:1].upper() + word[1:]
