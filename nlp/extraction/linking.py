"""Entity linking by vocabulary (no spaCy: the pipeline component wraps it, and filters use it alone): labels and synonyms of the ontology's concepts, plus cited works.

Patterns are generated from ``metrokg.ontology.vocab.concepts()`` (every Chinese
prefLabel and altLabel of industries, quantity kinds, units, instruments, actor types and
named bodies, facilities, works, and of ``conduct.ttl``: the regulated conduct laws sanction,
under the laws' words and everyday ones, the places and the support measures) and matched over
the characters of the text with a trie, so a term is found however jieba cut it. A mention of a
conduct (破坏计量器具准确度, 伪造检定数据, 动手脚) is what lets penalties be found by conduct.
Document references are found by shape: ``《…》`` titles (nested ``〈〉`` kept), JJF/JJG/GB
numbers (``JJF 1059.1-2012``, ``JJF(鄂) 123-2020``) and 发文字号 (``国发〔2021〕37号``).

Overlaps are resolved deterministically: longer match first, then earlier start, then
scheme priority, then IRI. Actor types are widened leftwards over their level prefix
(``各市、州、县`` + ``人民政府``). In a pipeline, every label is also declared to the
pipeline's own segmenter (:mod:`metrokg.nlp.segment`) so domain terms stay whole tokens.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from metrokg.errors import MetrokgError
from metrokg.nlp.extraction.lexicon.actors import FALLBACK_ACTOR_TYPES, level_of, split_level
from metrokg.nlp.extraction.facts import Mention
from metrokg.nlp.segment import Segmenter, search_segmenter, vocabulary_words
from metrokg.ontology.namespace import concept_iri, work_iri, work_key

if TYPE_CHECKING:
    from metrokg.ontology.vocab import Concept


NAME = "metrokg_entity_linker"
VERSION = "v1"

# Lower number wins a tie between two concepts with the same label and span.
SCHEME_PRIORITY = {"actor": 0, "work": 1, "instrument": 2, "facility": 3, "quantity": 4, "industry": 5,
                   "discipline": 6, "actortype": 7, "conduct": 8, "venue": 9, "support": 10, "unit": 11,
                   "prefix": 12}
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Labels whose everyday sense dominates in policy text (质量 = quality far more often than mass):
# linked only when the context says they are a quantity (see ``_quantity_context``).
AMBIGUOUS_LABELS = frozenset({"质量", "时间"})  # 时间 = a schedule's time (安装维护时间) far more often
# after an ambiguous quantity label, words that make it the quantity: 质量计量, 质量基准
_QUANTITY_AFTER = re.compile(r"(?:计量|基准|量值|测量|比对|校准|溯源|参数)")
_LIST_SEP = "、和与及"
# Compounds holding a quantity's label that are not that quantity and that jieba's main dictionary
# does not know as words (it cuts 全寿命周期 as 全/寿命/周期, 周期检定 as 周期/检定); the compounds it
# knows (周期性, 生命周期, 力度, 时间表) are found through it (see ``Linker._inside_compound``).
# 周期检定 is periodic verification (as 周期性检定), not the quantity period; 检定周期, the interval
# between verifications, stays a period (a duration of time).
STOP_COMPOUNDS = ("全寿命周期", "全生命周期", "寿命周期", "周期检定")
_COMPOUND_WINDOW = 4  # characters either side of a quantity label segmented to find its word
_INSTRUMENT_ENDINGS = ("计", "表", "仪")  # 压力计, 电压表: a word naming an instrument of the quantity

_TITLE_RE = re.compile(r"《[^《》\n]{1,120}》")
_SPEC_RE = re.compile(
    r"(?P<series>JJF|JJG|GB/T|GB/Z|GB|JB/T|JJF\s*[（(][\u4e00-\u9fff]{1,2}[）)]|JJG\s*[（(][\u4e00-\u9fff]{1,2}[）)])"
    r"\s*(?P<num>\d{1,5}(?:\.\d{1,2})?)\s*[-—–]\s*(?P<year>(?:19|20)\d{2}|\d{2})"
)
_DOCNO_RE = re.compile(r"(?P<code>[\u4e00-\u9fff]{1,8})[〔\[［](?:19|20)\d{2}[〕\]］]第?\d{1,4}号")
# verbs and function words that precede a 发文字号 but are not part of the issuer code
_DOCNO_LEAD = re.compile(r"^.*?(?:印发|转发|根据|按照|依据|参照|见|和|及|与|的)")


@dataclass
class Pattern:
    """One label of one concept."""

    label: str
    iri: str
    scheme: str
    pref: str
    types: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "iri": self.iri, "scheme": self.scheme, "pref": self.pref,
                "types": list(self.types)}


def patterns_from_concepts(concepts: Iterable[Concept]) -> list[Pattern]:
    """Patterns for every Chinese label (pref and alt) of every concept; 1-char labels skipped
    (single characters such as 米, 秒 would match inside words)."""
    out: list[Pattern] = []
    for c in concepts:
        seen: set[str] = set()
        for label in (c.pref_zh, *c.alt_labels):
            label = label.strip()
            if len(label) < 2 or not _CJK.search(label) or label in seen:
                continue
            seen.add(label)
            out.append(Pattern(label, c.iri, str(c.scheme), c.pref_zh or label, c.types))
    return out


def actor_type_variants(patterns: list[Pattern]) -> list[Pattern]:
    """Labels of actor types as counties and cities name them: a commission or department
    of a province is a bureau (局) below it (发展和改革委员会 -> 发展和改革局, 卫健委 -> 卫健局,
    卫生健康委员会 -> 卫生健康局). Only labels no other concept already uses are added."""
    taken = {p.label for p in patterns}
    out = []
    for p in patterns:
        if p.scheme != "actortype":
            continue
        for suffix in ("委员会", "厅", "委"):
            if p.label.endswith(suffix) and len(p.label) > len(suffix) + 1:
                variant = p.label[: -len(suffix)] + "局"
                if variant not in taken:
                    taken.add(variant)
                    out.append(Pattern(variant, p.iri, p.scheme, p.pref, p.types))
                break
    return out


def fallback_patterns() -> list[Pattern]:
    """Actor-type patterns used when the ontology vocabulary cannot be loaded."""
    out = []
    for slug, pref, alts in FALLBACK_ACTOR_TYPES:
        for label in (pref, *alts):
            out.append(Pattern(label, str(concept_iri("actortype", slug)), "actortype", pref))
    return out


def load_vocabulary_patterns() -> list[Pattern]:
    """Patterns from the shipped vocabularies (the one concept model, read from the Turtle: the
    pipeline has no store), with the built-in actor types when they hold none.

    Only the one expected failure is caught: a shipped Turtle file that cannot be read or parsed
    (a damaged install, a broken edit) is E200, since facts extracted without the vocabulary would
    silently lack every link. Anything else is a bug and goes on as it is."""
    from rdflib.plugins.parsers.notation3 import BadSyntax

    from metrokg.ontology.vocab import concepts

    try:
        vocabulary = concepts()
    except (OSError, BadSyntax) as exc:
        reason = " ".join(" ".join([str(exc), *getattr(exc, "__notes__", ())]).split())
        raise MetrokgError("E200", reason=f"{type(exc).__name__}: {reason}") from exc
    pats = patterns_from_concepts(vocabulary)
    if not any(p.scheme == "actortype" for p in pats):
        pats += fallback_patterns()
    return pats + actor_type_variants(pats)


class Trie:
    """Character trie over labels; ``find_all`` lists every (start, end, payload index)."""

    __slots__ = ("root",)

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, label: str, idx: int) -> None:
        node = self.root
        for ch in label:
            node = node.setdefault(ch, {})
        node.setdefault(None, []).append(idx)

    def find_all(self, text: str) -> list[tuple[int, int, list[int]]]:
        root = self.root
        out = []
        n = len(text)
        for i in range(n):
            node = root.get(text[i])
            if node is None:
                continue
            j = i + 1
            while True:
                hit = node.get(None)
                if hit is not None:
                    out.append((i, j, hit))
                if j >= n:
                    break
                node = node.get(text[j])
                if node is None:
                    break
                j += 1
        return out


def resolve_overlaps(cands: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """Longest first, then earliest, then priority, then key; keep non-overlapping ones."""
    cands = sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0], c[2], c[3]))
    taken: list[tuple[int, int]] = []
    kept = []
    for c in cands:
        s, e = c[0], c[1]
        if any(s < b and a < e for a, b in taken):
            continue
        taken.append((s, e))
        kept.append(c)
    kept.sort(key=lambda c: c[0])
    return kept


@dataclass
class Linker:
    """Vocabulary and document-reference mentions in a text."""

    patterns: list[Pattern] = field(default_factory=list)
    #: the pipeline's segmenter, taught every label so a term is one token (None: teach nobody)
    segmenter: Segmenter | None = None

    def __post_init__(self) -> None:
        self._build()

    def _build(self) -> None:
        self.trie = Trie()
        for i, p in enumerate(self.patterns):
            self.trie.add(p.label, i)
        self._labels = frozenset(p.label for p in self.patterns)
        if self.segmenter is not None:
            self.segmenter.add_words(vocabulary_words(p.label for p in self.patterns))

    def add_patterns(self, patterns: Iterable[Pattern]) -> None:
        """Add patterns (e.g. a test vocabulary) and rebuild the matcher."""
        self.patterns.extend(patterns)
        self._build()

    # -- matching -----------------------------------------------------------------------

    def _vocab_candidates(self, text: str, bounds: tuple[set[int], set[int]] | None = None
                          ) -> list[tuple[int, int, int, str]]:
        cands: list[tuple[int, int, int, str]] = []
        ambiguous: list[tuple[int, int, int, str]] = []
        for s, e, idxs in self.trie.find_all(text):
            if bounds is not None and (s not in bounds[0] or e not in bounds[1]):
                # inside a word: 流量 in 交直流量子; but jieba may glue a level to an actor
                # type (省公安厅): then the word starts where the level prefix does
                if e not in bounds[1] or not any(self.patterns[i].scheme == "actortype" for i in idxs) \
                        or split_level(text, s) not in bounds[0] or split_level(text, s) == s:
                    continue
                idxs = [i for i in idxs if self.patterns[i].scheme == "actortype"]
            best = min(idxs, key=lambda i: (SCHEME_PRIORITY.get(self.patterns[i].scheme, 99),
                                            self.patterns[i].iri))
            if text[s:e] in AMBIGUOUS_LABELS:
                best = next((i for i in idxs if self.patterns[i].scheme == "quantity"), best)
                ambiguous.append((s, e, SCHEME_PRIORITY.get(self.patterns[best].scheme, 99), f"v{best}"))
                continue
            p = self.patterns[best]
            if p.scheme == "quantity" and self._inside_compound(text, s, e):
                continue  # 周期 in 全寿命周期 or 周期性 is not the quantity period
            if p.scheme == "actortype":
                s = split_level(text, s)
            cands.append((s, e, SCHEME_PRIORITY.get(p.scheme, 99), f"v{best}"))
        if ambiguous:
            cands += [c for c in ambiguous if self._quantity_context(text, c[0], c[1], cands)]
        return cands

    def _inside_compound(self, text: str, s: int, e: int) -> bool:
        """Whether the label at ``text[s:e]`` is part of a longer word that is no label of the
        vocabulary: a stop compound, or a word of jieba's main dictionary (without the labels the
        pipeline teaches it, which cut 周期性 into 周期/性) around it."""
        for compound in STOP_COMPOUNDS:
            at = text.find(compound, max(0, s - len(compound)), e + len(compound))
            if at >= 0 and at <= s and e <= at + len(compound):
                return True
        a, b = max(0, s - _COMPOUND_WINDOW), min(len(text), e + _COMPOUND_WINDOW)
        pos = a
        for token in search_segmenter().cut(text[a:b], HMM=False):
            start, pos = pos, pos + len(token)
            if start <= s and e <= pos:
                return (start, pos) != (s, e) and token not in self._labels \
                    and not (pos > e and token.endswith(_INSTRUMENT_ENDINGS))
        return False

    def _quantity_context(self, text: str, s: int, e: int, cands) -> bool:
        """Whether an ambiguous label (质量) is used as a quantity: listed next to another
        quantity (温度、质量等) or followed by a metrology word (质量计量, 质量基准)."""
        if _QUANTITY_AFTER.match(text, e):
            return True
        quantities = [(a, b) for a, b, _p, k in cands if k.startswith("v") and self.patterns[int(k[1:])].scheme == "quantity"]
        before = text[s - 1:s]
        after = text[e:e + 1]
        return any((before and before in _LIST_SEP and b == s - 1) or (after and after in _LIST_SEP and a == e + 1)
                   for a, b in quantities)

    @staticmethod
    def _reference_candidates(text: str) -> list[tuple[int, int, int, str]]:
        cands = []
        i = 0
        # 《…》 titles with nested 〈〉 or 《》 inside
        while True:
            s = text.find("《", i)
            if s < 0:
                break
            depth, j = 0, s
            end = None
            while j < len(text) and j - s < 200 and text[j] != "\n":
                if text[j] == "《":
                    depth += 1
                elif text[j] == "》":
                    depth -= 1
                    if depth == 0:
                        end = j + 1
                        break
                j += 1
            if end:
                cands.append((s, end, -1, "title"))
                i = end
            else:
                i = s + 1
        for m in _SPEC_RE.finditer(text):
            cands.append((m.start(), m.end(), -1, "spec"))
        for m in _DOCNO_RE.finditer(text):
            code = m.group("code")
            lead = _DOCNO_LEAD.match(code)
            cut = lead.end() if lead and lead.end() < len(code) else 0
            cands.append((m.start() + cut, m.end(), -1, "docno"))
        return cands

    def mentions(self, text: str, bounds: tuple[set[int], set[int]] | None = None) -> list[Mention]:
        """Resolved mentions in ``text`` (offsets into it).

        ``bounds`` (token starts, token ends) keeps vocabulary matches on word boundaries;
        without it every character position counts.
        """
        cands = self._vocab_candidates(text, bounds) + self._reference_candidates(text)
        out: list[Mention] = []
        for s, e, _prio, key in resolve_overlaps(cands):
            span = text[s:e]
            if key.startswith("v"):
                p = self.patterns[int(key[1:])]
                types = p.types
                if p.scheme == "actortype":
                    lv = level_of(span[: len(span) - len(p.label)])
                    types = tuple(types) + ((f"level:{lv}",) if lv else ())
                out.append(Mention(s, e, span, component=NAME, version=VERSION, confidence=1.0,
                                   label=p.pref, iri=p.iri, scheme=p.scheme, types=types))
            else:
                iri = self._reference_iri(key, span)
                out.append(Mention(s, e, span, component=NAME, version=VERSION,
                                   confidence=0.9 if key == "title" else 1.0,
                                   label=span, iri=iri, scheme="work", types=(f"reference:{key}",)))
        return out

    def _reference_iri(self, key: str, span: str) -> str:
        inner = span[1:-1] if key == "title" else span
        for p in self.patterns:  # a catalogued work by exact title or number
            if p.scheme == "work" and p.label in (inner, span, re.sub(r"\s+", " ", span)):
                return p.iri
        if key == "title":
            return str(work_iri(work_key(inner)))
        folded = re.sub(r"[\s（）()]", "", span)
        return str(work_iri(work_key(folded)))


@functools.lru_cache(maxsize=1)
def shared_linker() -> Linker:
    """A linker over the ontology's vocabulary, built once per process (it teaches no segmenter)."""
    return Linker(load_vocabulary_patterns())
