"""A question's arguments as the texts write them, and the answer's labels in the question's language.

The documents are Chinese, so a topic or a body named in English (carbon metrology, the provincial
finance department) is looked for by the Chinese labels of the vocabulary concepts it names; a
Chinese topic is looked for as written first, then by its concepts' labels (动手脚 -> 计量作弊 and its
synonyms). Answers to English questions show the concepts' English labels where the vocabulary has
them: a body as its level and kind (省财政厅 -> provincial department of finance).
"""

from __future__ import annotations

import re
from typing import Iterator

from metrokg.kg.search.expansion import GENERIC_INSTRUMENT_WORDS, ConceptMatcher
from metrokg.nlp.bilingual import Lexicon
from metrokg.nlp.english import stem
from metrokg.ontology.vocab import Concept, scheme_of

_HAN = re.compile(r"[\u4e00-\u9fff]")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: an administrative level as English names it -> the prefix Chinese bodies carry
LEVEL_PREFIX = {"provincial": "省", "province": "省", "municipal": "市", "city": "市", "county": "县",
                "district": "区", "prefectural": "州"}
LEVEL_EN = {"省": "provincial", "市": "municipal", "县": "county", "区": "district", "州": "prefectural"}
_ACTOR_SCHEMES = ("actor", "actortype")
_STOP = frozenset("a an and of the for in on to with by or at as is are its it".split())
_LEVEL_WORD = re.compile(r"(?<![a-z])(" + "|".join(LEVEL_PREFIX) + r")(?![a-z])", re.I)


def zh_labels(concept: Concept) -> list[str]:
    """A concept's Chinese labels, preferred first."""
    return list(dict.fromkeys(x for x in (concept.pref_zh, *concept.alt_labels) if x and _HAN.search(x)))


def concept_terms(matcher: ConceptMatcher, text: str, schemes: tuple[str, ...] | None = None) -> list[str]:
    """The Chinese labels of the concepts ``text`` names, best match first: for Chinese words the
    vocabulary's matches; for English ones the concepts whose English label shares most of its words
    (forging verification data -> 伪造检定数据, not 检定 alone)."""
    if _HAN.search(text):
        iris = [m.iri for m in sorted(matcher.match(text), key=lambda m: -m.weight) if m.via == "label"]
    else:
        iris = english_concepts(matcher, text)
    out: list[str] = []
    for iri in iris:
        entry = matcher.entries.get(iri)
        if entry is not None and (not schemes or scheme_of(iri) in schemes):
            out += [x for x in zh_labels(entry) if x not in out]
    return out


def _words(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def english_concepts(matcher: ConceptMatcher, text: str) -> list[str]:
    """The concepts whose English label shares the most words with ``text`` (at least 60% of the
    label's words and two thirds of the text's), the closest first. An instrument the text names
    also stands for the generic words of the labels on instruments (:data:`GENERIC_INSTRUMENT_WORDS`:
    "using unverified scales" -> "using an unverified measuring instrument"), though those words
    alone match nothing."""
    asked = _words(text)
    named = set()
    for entry in matcher.concepts.in_scheme("instrument"):
        for label in entry.labels:
            words = _words(label) if not _HAN.search(label) else set()
            if words and words <= asked and words != asked:
                named |= words
    scored: dict[str, tuple[int, float]] = {}
    readings = [asked] + ([(asked - named) | GENERIC_INSTRUMENT_WORDS] if named else [])
    for reading in readings:
        for entry in matcher.concepts:
            for label in entry.labels:
                if _HAN.search(label):
                    continue
                words = _words(label)
                shared = reading & words
                if words and shared & asked and len(shared) / len(words) >= 0.6 \
                        and len(shared) / len(reading) >= 2 / 3:
                    score = (len(shared), len(shared) / len(words))
                    scored[entry.iri] = max(scored.get(entry.iri, score), score)
    if not scored:
        return []
    top = max(s[0] for s in scored.values())
    return sorted((i for i, s in scored.items() if s[0] == top), key=lambda i: (-scored[i][1], i))


def _same_word(a: str, b: str) -> bool:
    """Two English words of one stem, roughly: equal, or sharing their first six letters
    (implementing / implementation)."""
    return a == b or (len(a) >= 6 and len(b) >= 6 and a[:6] == b[:6])


def work_titles(matcher: ConceptMatcher, name: str) -> list[str]:
    """The Chinese titles of the works (laws, plans, specifications of the vocabulary) whose English
    label holds every word of ``name`` (the metrology law -> 中华人民共和国计量法), the shortest
    label first: "the metrology law" is the Law, not the Detailed Rules for its Implementation."""
    asked = _words(_ARTICLE.sub("", name))
    found: list[tuple[int, str]] = []
    for entry in matcher.concepts:
        if scheme_of(entry.iri) != "work" or not asked:
            continue
        for label in entry.labels:
            if _HAN.search(label):
                continue
            words = _words(label)
            if all(any(_same_word(a, w) for w in words) for a in asked):
                found.append((len(words), entry.pref_zh))
    return list(dict.fromkeys(title for _n, title in sorted(found)))


def topic_terms(matcher: ConceptMatcher, topic: str, lexicon: Lexicon | None = None) -> Iterator[list[str]]:
    """The term lists to look for a topic by, in order: the topic as written (Chinese), then the
    Chinese labels of the concepts it names as a whole (动手脚 -> 计量作弊 and its synonyms; a word
    inside the topic does not stand for it), then the thing it acts on without its opening verb
    (:func:`without_action`) with that thing's concepts' labels; an English topic has only the second, or, when it
    names no concept, the Chinese words of the texts that translate it whole (``lexicon``:
    cooperation -> 合作, 协作; Yangtze River -> 长江; a topic of several separately translated words
    has none, as one of its words would stand for all of it)."""
    if _HAN.search(topic):
        yield [topic]
        named = _named_labels(matcher, topic)
        lists = [named]
        thing = without_action(topic)  # 建设社会公用计量标准: the texts say 新建…, 建立… of the same thing
        if thing:
            said = {topic, thing, *named}
            lists.append([thing] + [x for x in _named_labels(matcher, thing) if x not in said])
    else:
        terms = concept_terms(matcher, topic)
        if not terms and lexicon is not None:
            translated = lexicon.translate(topic)
            if len(translated) == 1:
                terms = list(translated[0].chinese)
        lists = [terms]
    for terms in lists:
        if terms and terms != [topic]:
            yield terms


def _named_labels(matcher: ConceptMatcher, text: str) -> list[str]:
    """The Chinese labels of the concepts ``text`` names as a whole, preferred labels first."""
    out: list[str] = []
    for entry in matcher.concepts.named(text):
        out += [x for x in zh_labels(entry) if x not in out]
    return out


#: the shortest thing a topic may be left with once its verb is taken off: 计量 of 计量监督检查 or 监管
#: of 加强监管 would stand for most statements
MIN_THING = 3


def without_action(topic: str) -> str | None:
    """The thing a Chinese topic acts on, without the action verb it opens with (建设社会公用计量标准
    -> 社会公用计量标准; 开展计量比对 -> 计量比对), else without the one it closes with (产业计量测试中心建设
    -> 产业计量测试中心), or None when it has neither or little is left."""
    from metrokg.nlp.extraction.lexicon.verbs import ACTION_VERBS

    verb = next((v for v in ACTION_VERBS if topic.startswith(v)), None)
    thing = topic[len(verb):].lstrip("的") if verb else ""
    if not verb:
        verb = next((v for v in ACTION_VERBS if topic.endswith(v)), None)
        thing = topic[:-len(verb)].rstrip("的") if verb else ""
    return thing if len(thing) >= MIN_THING and _HAN.search(thing) else None


def actor_terms(matcher: ConceptMatcher, actor: str) -> list[str]:
    """The names a body is written with: as asked for a Chinese name; for an English one, the
    Chinese labels of the body or kind of body it names, with the level's prefix (provincial -> 省)."""
    actor = _ARTICLE.sub("", actor.strip())
    if _HAN.search(actor):
        return [actor]
    level = _LEVEL_WORD.search(actor)
    rest = _LEVEL_WORD.sub(" ", actor).strip() if level else actor
    named = concept_terms(matcher, rest, _ACTOR_SCHEMES)
    if not level:
        return named
    prefix = LEVEL_PREFIX[level.group(1).lower()]
    return [prefix + name for name in named]


def actor_label(matcher: ConceptMatcher, name: str, lang: str) -> str:
    """A body's name in ``lang``: as written for Chinese; in English, the vocabulary's label of the
    body, or its level and kind (省财政厅 -> provincial department of finance), else as written (a
    body of a named place, 温州市市场监管局, keeps the text's name)."""
    if lang != "en":
        return name
    for entry in matcher.concepts.named(name, _ACTOR_SCHEMES):
        if entry.pref_en:
            return entry.pref_en
    best: tuple[int, Concept, str] | None = None
    for entry in (*matcher.concepts.in_scheme("actortype"), *matcher.concepts.in_scheme("actor")):
        for label in zh_labels(entry):
            if name.endswith(label) and entry.pref_en and (best is None or len(label) > best[0]):
                best = (len(label), entry, name[:-len(label)])
    if best is None:
        return name
    _, entry, prefix = best
    if not prefix:
        return entry.pref_en
    level = LEVEL_EN.get(prefix)
    return f"{level} {entry.pref_en}" if level else name  # 温州市…: the place is the text's own


def concept_label(matcher: ConceptMatcher, iri: str, lang: str) -> str:
    """A concept's label in ``lang`` (Chinese when it has no English one)."""
    entry = matcher.entries.get(iri)
    if entry is None:
        return iri
    return (entry.pref_en or entry.label) if lang == "en" else entry.label
