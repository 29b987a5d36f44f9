"""English words of a query: its content words, without stop and question words, and their stems.

The vocabulary matcher (English labels of concepts) and the bilingual lexicon (English words to
the Chinese words of the texts) read an English query the same way, from here.
"""

from __future__ import annotations

import re

#: a word of lower-cased English text
WORD = re.compile(r"[a-z0-9]+")
#: function words, never content
STOP_WORDS = frozenset("a an and of the for in on to with by or at as is are".split())
#: question words, not content: "how to bake bread" speaks of bread only, "which documents mention
#: puppies" of puppies (the texts are documents; 文件 and 提起 would make it look like one of them)
QUESTION_WORDS = frozenset("how what who whom which when where why do does did can could should must i we you my "
                           "it its this that there be was were will would about document documents mention "
                           "mentions mentioned say says said".split())
#: words of the question's frame, not its topic: every text of the corpus is a law, a regulation or
#: a plan, so "what do the regulations say about puppies" speaks of puppies only (as 条例 and 规定 do
#: in Chinese questions)
FRAME_WORDS = frozenset("law laws regulation regulations rule rules provision provisions policy policies "
                        "article articles text texts".split())


def stem(word: str) -> str:
    """A plural's singular as the vocabulary's labels compare them (meters → meter; glass kept)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


#: inflections a dictionary's headword lacks, most specific first, with what replaces them
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def forms(word: str) -> list[str]:
    """``word`` and the forms a dictionary may list it under, most likely first: disputes →
    dispute, measuring → measure, cities → city (a guess per suffix, never a lemmatiser's)."""
    out = [word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            base = word[: -len(suffix)] + replacement
            out += [base, base + "e"] if not replacement else [base]
            break
    return out


def content_words(text: str) -> list[str]:
    """The words of ``text`` (hyphens split them: home-grown → home, grown) less stop and
    question words, lower-cased, in order."""
    return [w for w in WORD.findall(text.lower().replace("-", " "))
            if w not in STOP_WORDS and w not in QUESTION_WORDS]
