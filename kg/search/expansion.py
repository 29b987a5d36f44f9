"""Ontology expansion: query words matched to vocabulary concepts, widened to narrower ones.

A query term (Chinese or English, preferred label or synonym) names concepts; each concept
brings the concepts below it (skos:broader / mkg:discipline). Provisions linked to those
concepts — by the extraction pipeline's mentions in the graph, or by a vocabulary label
among the provision's own tokens — score as a third search signal. This is how an English
query such as "EV charging" reaches Chinese provisions that never share a word with it.

The concepts are the store's (:func:`metrokg.kg.records.factview.load_concepts`: its ontology,
catalogue and user vocabularies), copied into the search index when it is built, so a query
reads neither the graph nor the Turtle again.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from metrokg.nlp.english import FRAME_WORDS as _EN_FRAME, QUESTION_WORDS as _EN_QUESTION, STOP_WORDS as _EN_STOP, WORD as _WORD, stem as _stem
from metrokg.ontology.vocab import Concept, Concepts, norm

#: schemes whose labels are too short or too generic to stand for a query's meaning
SKIP_SCHEMES = frozenset({"prefix", "counter"})
#: schemes of metrology's own things (秤, 电表, 检定, 作弊): their one-character labels are words of
#: their own in a query, and a label of any length says a query is about metrology, where a short
#: industry or quantity label (交通, 时间) says little on its own
DOMAIN_SCHEMES = frozenset({"instrument", "conduct", "activity"})
#: weight of a concept reached by going down the hierarchy, per level
NARROWER_DECAY = 0.6
#: the generic words of English labels on instruments ("using an unverified measuring instrument"):
#: a query that names an instrument ("unverified scales") has said them
GENERIC_INSTRUMENT_WORDS = frozenset({"measuring", "instrument"})

@dataclass
class ConceptMatch:
    """A concept the query named (``via`` = 'label'), that lies below one (``via`` = 'narrower'), or
    that a term named whose definition the query describes (``via`` = 'definition': not a concept
    the query names, for the relevance cutoff and the intent lift)."""

    iri: str
    label: str
    weight: float
    term: str
    via: str = "label"

    def public(self, entry: Concept | None) -> dict:
        return {"iri": self.iri, "label": entry.pref_zh if entry else self.label,
                "label_en": entry.pref_en if entry else "", "term": self.term, "via": self.via}


@functools.lru_cache(maxsize=4096)
def _whole_word(key: str) -> re.Pattern:
    """An English label as a whole word or phrase (not inside another word)."""
    return re.compile(r"(?<![a-z0-9])" + re.escape(key) + r"(?![a-z0-9])")


def _stemmed(text: str, keep_length: bool = False) -> str:
    """``text`` with each English word as :func:`~metrokg.nlp.english.stem` reads it (scales →
    scale); with ``keep_length`` each cut letter becomes a space, so offsets stay the text's."""
    def one(m: re.Match) -> str:
        word = _stem(m.group())
        return word + " " * (len(m.group()) - len(word)) if keep_length else word

    return _WORD.sub(one, text)


class ConceptMatcher:
    """Finds vocabulary concepts in a query and walks down their hierarchy."""

    def __init__(self, concepts: Concepts):
        self.concepts = concepts
        self.entries = concepts.by_iri
        self._zh: dict[str, list[str]] = {}
        self._en: dict[str, list[str]] = {}
        self._zh_single: dict[str, list[str]] = {}  # 秤: named only as a whole word of the query
        for e in concepts:
            if e.scheme in SKIP_SCHEMES:
                continue
            for label in e.labels:
                key = norm(label)
                if not key:
                    continue
                if len(key) < 2:
                    table = self._zh_single if not key.isascii() and e.scheme in DOMAIN_SCHEMES else None
                else:
                    table = self._en if key.isascii() else self._zh
                if table is None:
                    continue
                if e.iri not in table.setdefault(key, []):
                    table[key].append(e.iri)
        self._en_words = {key: tuple(_stem(w) for w in _WORD.findall(key) if w not in _EN_STOP)
                          for key in self._en}
        self._en_stemmed: dict[str, list[str]] = {}  # "scale" for scales, "cheating device" for devices
        for key, iris in self._en.items():
            have = self._en_stemmed.setdefault(_stemmed(key), [])
            have += [i for i in iris if i not in have]
        self._en_df = Counter(w for words in self._en_words.values() for w in set(words))

    # ---- construction and persistence

    @classmethod
    def from_vocabulary(cls) -> "ConceptMatcher":
        """Every concept of the shipped vocabularies (a store's index uses the store's concepts)."""
        from metrokg.ontology.vocab import packaged

        return cls(packaged())

    def to_json(self) -> list[dict]:
        return self.concepts.to_json()

    @classmethod
    def from_json(cls, rows: list[dict]) -> "ConceptMatcher":
        return cls(Concepts.from_json(rows))

    def zh_terms(self) -> list[str]:
        """Chinese labels, for the word segmenter's user dictionary."""
        return sorted(self._zh)

    # ---- matching

    def match(self, query: str, words: Iterable[str] = ()) -> list[ConceptMatch]:
        """Concepts named in ``query``: longest labels first, overlapping shorter ones dropped. A
        one-character label (秤) names its concept only when it is one of the query's ``words``
        (its segmentation): inside a longer word (秤砣, 公平秤) it is part of that word."""
        q = norm(query)
        found: list[tuple[int, int, str, list[str]]] = []
        singles = ((key, self._zh_single[key]) for key in set(words).intersection(self._zh_single))
        for key, iris in itertools.chain(self._zh.items(), singles):
            start = q.find(key)
            while start >= 0:
                found.append((start, start + len(key), key, iris))
                start = q.find(key, start + 1)
        if _WORD.search(q):
            qs = _stemmed(q, keep_length=True)  # plurals read as the labels' singulars, offsets kept
            for key, iris in self._en_stemmed.items():
                if key in qs:  # compiled only for the labels the query holds (all of them took 0.1 s a search)
                    for m in _whole_word(key).finditer(qs):
                        end = m.end()
                        while end < len(q) and qs[end] == " " and q[end] != " ":
                            end += 1  # the plural's s is the match's too
                        found.append((m.start(), end, key, iris))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        taken: list[tuple[int, int]] = []
        out: dict[str, ConceptMatch] = {}
        for start, end, key, iris in found:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            for iri in iris:
                out.setdefault(iri, ConceptMatch(iri, key, 1.0, query[start:end] if len(query) == len(q) else key))
        named_instrument = any(self.entries[iri].scheme == "instrument" for iri in out if iri in self.entries)
        for iri, match in self._english_partial(q, taken, named_instrument).items():
            out.setdefault(iri, match)
        return list(out.values())

    def _english_partial(self, q: str, taken: list[tuple[int, int]],
                         named_instrument: bool = False) -> dict[str, ConceptMatch]:
        """Multi-word English labels most of whose words the query has ("EV charging" ~ "EV charging
        station"), leaving out none of the label's telling words (:meth:`_telling`). With
        ``named_instrument`` (the query names an instrument: "unverified scales"), the labels'
        generic instrument words (:data:`GENERIC_INSTRUMENT_WORDS`) count as said, though a label
        is not matched by them alone."""
        rest = "".join(" " if any(s <= i < e for s, e in taken) else ch for i, ch in enumerate(q))
        words = {_stem(w) for w in _WORD.findall(rest) if w not in _EN_STOP}
        if not words:
            return {}
        own = set(words)
        if named_instrument:
            words |= GENERIC_INSTRUMENT_WORDS
        out: dict[str, ConceptMatch] = {}
        for key, label_words in self._en_words.items():
            if len(label_words) < 2:
                continue
            shared = words.intersection(label_words)
            if len(shared) >= 2 and len(shared) / len(label_words) >= 0.6 and own.intersection(shared) \
                    and self._telling(shared, label_words):
                weight = len(shared) / len(label_words)
                for iri in self._en[key]:
                    if iri not in out or out[iri].weight < weight:  # the label it fits best
                        out[iri] = ConceptMatch(iri, key, weight, " ".join(sorted(shared & own)))
        return out

    def _telling(self, shared: set[str], label_words: tuple[str, ...]) -> bool:
        """Whether every word of a label that a query leaves out is held by more of the
        vocabulary's English labels than the rarest word it shares: the word few labels hold is
        what tells the label apart ("impairing" of "impairing the accuracy of a measuring
        instrument", which "disputes over the accuracy of measuring instruments" lacks), a
        common one may be left out ("station" of "EV charging station")."""
        left_out = [self._en_df[w] for w in label_words if w not in shared]
        return not left_out or min(left_out) > min(self._en_df[w] for w in shared)

    def english_share(self, query: str) -> float:
        """Share of an English query's content words found in the vocabulary's English labels:
        how much of it speaks of metrology at all (0 for a query without English words). Words of
        the question's frame (law, regulations: :data:`~metrokg.nlp.english.FRAME_WORDS`) are in
        the labels but say nothing of the topic, so they do not count."""
        if not hasattr(self, "_en_vocab"):
            self._en_vocab = {w for words in self._en_words.values() for w in words}
        words = [_stem(w) for w in _WORD.findall(norm(query))
                 if w not in _EN_STOP and w not in _EN_QUESTION and w not in _EN_FRAME]
        return sum(w in self._en_vocab for w in words) / len(words) if words else 0.0

    def expand(self, matches: list[ConceptMatch], depth: int = 3) -> list[ConceptMatch]:
        """The matches and the concepts below them (weight decays per level)."""
        out = {m.iri: m for m in matches}
        frontier = list(matches)
        for _ in range(depth):
            nxt = []
            for m in frontier:
                for child in self.concepts.narrower(m.iri):
                    if child not in out:
                        entry = self.entries.get(child)
                        c = ConceptMatch(child, entry.pref_zh if entry else child, m.weight * NARROWER_DECAY,
                                         m.term, "narrower")
                        out[child] = c
                        nxt.append(c)
            frontier = nxt
        return list(out.values())

    def link_tokens(self, tokens: Iterable[str]) -> dict[str, int]:
        """Concepts whose label is one of ``tokens`` (search tokens of a provision), with counts."""
        counts: dict[str, int] = {}
        for tok in tokens:
            for iri in self._zh.get(tok, ()) or self._en.get(tok, ()):
                counts[iri] = counts.get(iri, 0) + 1
        return counts


class ExpansionIndex:
    """Postings from concept to the provisions linked to it, scored with an idf weight."""

    def __init__(self, postings: dict[str, dict[int, int]], size: int):
        self.postings = postings
        self.size = size

    def to_json(self) -> dict:
        return {"size": self.size, "postings": {c: [[p, n] for p, n in sorted(d.items())]
                                               for c, d in self.postings.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "ExpansionIndex":
        return cls({c: {int(p): int(n) for p, n in rows} for c, rows in data["postings"].items()},
                   int(data["size"]))

    @classmethod
    def build(cls, links: list[dict[str, int]]) -> "ExpansionIndex":
        postings: dict[str, dict[int, int]] = {}
        for i, concepts in enumerate(links):
            for iri, n in concepts.items():
                postings.setdefault(iri, {})[i] = n
        return cls(postings, len(links))

    def idf(self, iri: str) -> float:
        df = len(self.postings.get(iri, ()))
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5)) if df else 0.0

    def scores(self, matches: list[ConceptMatch]) -> np.ndarray:
        """Per provision: sum over matched concepts of weight × idf × a damped mention count."""
        out = np.zeros(self.size, dtype=np.float32)
        for m in matches:
            w = m.weight * self.idf(m.iri)
            for p, n in self.postings.get(m.iri, {}).items():
                out[p] += w * (1.0 + math.log(n))
        return out

    def linked(self, matches: list[ConceptMatch], position: int) -> list[ConceptMatch]:
        """The matches that provision ``position`` is linked to."""
        return [m for m in matches if position in self.postings.get(m.iri, ())]
