"""The terms a law defines (本条例所称计量校准，是指…; 国防计量是指…), read from its text.

A citizen describes what a law names: 军工产品的计量工作谁管 asks about 国防计量, which the defence
regulation defines as 军工产品研制、试验、生产、使用全过程中的计量工作 and then uses on its own in every
article. Search uses the definitions to add the defined term to a query that paraphrases it
(:mod:`metrokg.kg.search.glossary`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: a definition: 本法/本条例…所称 X，是指 Y, or X是指 Y at the start of a sentence, an article (第三条)
#: or an item (（二）); the term is 2-20 characters, the definition runs to the end of its sentence
_DEFINITION = re.compile(
    r"(?:本(?:法|条例|细则|办法|规定|规程|实施细则)所称(?:的)?(?P<named>[^，。；：、\n]{2,20}?)"
    r"|(?:^|[。；：\n])(?:第[〇一二三四五六七八九十百零]+条)?\s*(?:[（(][一二三四五六七八九十]+[)）])?\s*"
    r"(?P<bare>[\u4e00-\u9fff]{2,12}))"
    r"，?是指(?![导引挥标南望])(?P<definition>[^。；\n]+)")  # 是指导/是指标: other words
_SCOPE = re.compile(r"^本(?:法|条例|细则|办法|规定|规程|实施细则)所称(?:的)?")


@dataclass(frozen=True)
class Definition:
    """A defined term, its definition, and where the definition stands in the text."""

    term: str
    definition: str
    start: int
    end: int


def definitions(text: str) -> list[Definition]:
    """Every definition in ``text``, in order."""
    out = []
    for m in _DEFINITION.finditer(text):
        term = _SCOPE.sub("", (m.group("named") or m.group("bare")).strip())
        if len(term) >= 2:
            out.append(Definition(term, m.group("definition").strip(), m.start("definition"), m.end("definition")))
    return out
