"""Search over provisions: the index derived from the store, its signals and the ranked hits.

Three signals score every provision: lexical (BM25 over jieba tokens), dense (cosine of
multilingual embeddings of provisions and sentences) and expansion (vocabulary concepts the
query names, widened to narrower concepts, and the provisions linked to them). They are
fused (:mod:`metrokg.kg.search.fusion`). ``mode="lexical"`` uses lexical and expansion only and
never loads the embedding model.

The index is a cache of the graph: it records the store generation it was built from and is
rebuilt (into a new folder, swapped in atomically) whenever the store has changed. The dense
part lives in its own folder and is built on the first search that needs it.

A query is cut to ``METROKG_MAX_QUERY_CHARS`` characters (embedding time grows with its length:
a 1 MB query held a core for 12 minutes), and its dense input to the model's window; the hits
come as :class:`SearchResults`, whose ``notices`` say what was cut.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from metrokg import settings
from metrokg.errors import MetrokgError, warning_text
from metrokg.kg.records.derived import can_write, persist_folder
from metrokg.kg.records.factview import document_parts, load_provision_infos
from metrokg.kg.records.provisions import FACT_LINKS, ProvisionRecord
from metrokg.kg.search.documents import DOCUMENT_FACETS, document_facets, matches as document_matches
from metrokg.kg.search.expansion import DOMAIN_SCHEMES, ConceptMatch, ConceptMatcher, ExpansionIndex
from metrokg.kg.search.fusion import DEFAULT_METHOD, fuse
from metrokg.kg.search.glossary import Glossary
from metrokg.kg.search.grouping import fold_duplicates
from metrokg.kg.search.intent import intents, provision_kinds
from metrokg.kg.search.lexical import LexicalIndex
from metrokg.kg.search.rerank import cited_along, counterparts, duty_along, rerank, shared_concept_counterparts
from metrokg.kg.store.base import Store
from metrokg.nlp.bilingual import Lexicon, Translation
from metrokg.nlp.english import WORD as ENGLISH_WORD, content_words, stem
from metrokg.nlp.segment import search_segmenter
from metrokg.nlp.tokens import search_tokens
from metrokg.terms import FUSION_METHODS as METHODS, MODALITIES, SEARCH_MODES as MODES

#: a concept label this long (characters) says what a query is about; a shorter one (交通) may not
SPECIFIC_LABEL = 3
#: the share of an English query's content words found in the vocabulary's English labels above which
#: the query speaks of metrology though it names no concept whole (medical devices and wearables
#: 0.67); at half or less it is chance: world and results of football world cup results, market of
#: stock market news today, camera of best smartphone camera
ENGLISH_MAJORITY = 0.5
#: the best hits by meaning (dense rank) that a query about the corpus always shows
DENSE_KEPT = 5
#: a query word this share of the provisions hold names the corpus's subject (计量: 0.82-0.89 of the
#: provisions of the three labelled stores; the next word holds at most 0.61)
SUBJECT_SHARE = 0.75
#: fewest provisions in which a word held by most of them says what the corpus is about
SUBJECT_PROVISIONS = 20
#: characters of a heading past which a provision that is only its heading and ends as a sentence
#: is content, not a bare heading
LONG_HEADING = 15
#: words of a question's frame, not of its subject: the kinds of text the corpus is made of and
#: the verbs that ask what they say (条例对小狗有什么规定, 哪些文件提起了小狗: neither 条例, 规定, 文件 nor
#: 提起 says the question is about a text's matter; the relevance cutoff does not count them)
FRAME_WORDS = frozenset("文件 法规 法律 条例 规定 办法 细则 通知 方案 意见 规划 政策 提到 提起 提及 涉及 规程".split())
#: characters after 法 that make it the head of a word (法律, 法规, 法定, 法人, 法院, 法制), not a law's title end
LAW_WORD_HEADS = frozenset("律规定人院制")
FACETS = ("chapter", "industry", "quantity", "instrument", "actor", "modality", "year", *DOCUMENT_FACETS)
INDEX_VERSION = 11  # 11: the place an unplaced text speaks of; 10: the terms the texts define; 9: the bilingual lexicon of its words; 8: laws a regulation is made under; 7: provisions linked by citation; 6: document facets; 5: fact kinds per provision (intent); 4: citations, titles kept

@dataclass
class Hit:
    """One search result: the provision, its score, the sentence that matched best, the
    concepts of the query it is linked to and the score of each signal."""

    provision: ProvisionRecord
    score: float
    sentence: dict = field(default_factory=dict)
    concepts: list[dict] = field(default_factory=list)
    signals: dict = field(default_factory=dict)

    document_info: dict = field(default_factory=dict)  # title, kind, jurisdiction, year of its document
    also_in: list[dict] = field(default_factory=list)  # the same text in other documents, folded into this hit

    def public(self) -> dict:
        info = self.document_info
        return {**self.provision.public(), "score": round(float(self.score), 6),
                "sentence": self.sentence, "concepts": self.concepts,
                "signals": {k: round(float(v), 6) for k, v in self.signals.items()},
                "document_title": info.get("title"), "document_kind": info.get("kind"),
                "jurisdiction": info.get("jurisdiction"), "document_year": info.get("year"),
                "also_in": self.also_in}


@dataclass
class Signals:
    """Every provision's raw score per signal for one query, with what produced them."""

    scores: dict[str, np.ndarray]
    matches: list[ConceptMatch]
    query_vector: np.ndarray | None = None  # the query's embedding when the dense signal ran
    notices: list[str] = field(default_factory=list)  # what was cut from the query (W155, W156)
    translations: list[Translation] = field(default_factory=list)  # its English words in the texts' Chinese


class SearchResults(list):
    """The hits of a search, best first (a list of :class:`Hit`), and ``notices``: warnings
    about the query as ``[W155] ...`` strings (cut to ``METROKG_MAX_QUERY_CHARS``; W156: its
    dense input cut to the model's window). The CLI prints them to stderr; the web app shows them."""

    def __init__(self, hits: list[Hit] | tuple = (), notices: list[str] | tuple = (),
                 nothing_relevant: bool = False) -> None:
        super().__init__(hits)
        self.notices = list(notices)
        self.nothing_relevant = nothing_relevant  # provisions scored, but none is about the query


def bounded_query(query: str | None) -> tuple[str, list[str]]:
    """The query stripped and cut to ``METROKG_MAX_QUERY_CHARS``, with a W155 notice when cut."""
    text = (query or "").strip()
    limit = int(settings.get("METROKG_MAX_QUERY_CHARS"))
    if len(text) <= limit:
        return text, []
    return text[:limit].rstrip(), [warning_text("W155", length=len(text), limit=limit)]


def write_json_list(path: Path, items: Iterable) -> None:
    """A JSON array written an item at a time: the index's per-provision files (25 MB for 43 k
    provisions) are never one string in memory, nor their records copied whole."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for i, item in enumerate(items):
            out.write("," if i else "")
            out.write(json.dumps(item, ensure_ascii=False))
        out.write("]")


def load_provisions(store: Store, document: str | None = None) -> list[ProvisionRecord]:
    """Every provision in the store (or in one document), in document order."""
    fields = [f.name for f in dataclasses.fields(ProvisionRecord)]
    records = [ProvisionRecord(**{f: getattr(p, f) for f in fields})
               for p in load_provision_infos(store, document).values()]
    records.sort(key=lambda r: (r.document, r.order))
    return records


def load_facts(store: Store, records: list[ProvisionRecord]) -> list[dict[str, list]]:
    """Per provision: concepts, actors, actor names, modalities and deadline years from the graph."""
    links: dict[str, dict[str, list]] = {}
    for part in document_parts(store, "links"):
        links.update(part)
    key = FACT_LINKS
    out: list[dict[str, list]] = []
    for r in records:
        facts: dict[str, list] = {"concepts": [], "actors": [], "actor_names": [], "modalities": [], "years": []}
        for prop, values in links.get(r.iri, {}).items():
            slot = facts[key[prop]]
            for value in values:
                if slot is facts["years"]:
                    try:
                        value = int(value)
                    except ValueError:
                        continue
                if value not in slot:
                    slot.append(value)
        out.append(facts)
    return out


def document_titles(store: Store) -> list[list]:
    """[id, title, date] of every document, for matching cited titles."""
    from metrokg.kg.graph.citations import TITLES_QUERY

    return [[str(i), str(t), str(d) if d else None] for i, t, d in store.rows(TITLES_QUERY)]


def holds(term: str | tuple[str, ...], text: str) -> bool:
    """Whether ``text`` holds a query word, or one of the Chinese words of a translated one."""
    return any(t in text for t in term) if isinstance(term, tuple) else term in text


def framing(term: str | tuple[str, ...]) -> bool:
    """Whether a query word (or every translation of an English one) is of the question's frame."""
    return all(t in FRAME_WORDS for t in term) if isinstance(term, tuple) else term in FRAME_WORDS


def covered_words(matches: list[ConceptMatch]) -> set[str]:
    """The English words of a query that the vocabulary's labels already read (with their
    stems): the concepts are their translation, the dictionary's is not needed."""
    out: set[str] = set()
    for m in matches:
        if m.via == "label" and m.term.isascii():
            for w in content_words(m.term):
                out.update((w, stem(w)))
    return out


def cite_first(fused: np.ndarray, citation: np.ndarray | None) -> np.ndarray:
    """``fused`` with the cited provisions (``citation`` > 0) above every other, in their order."""
    if citation is None or not citation.any():
        return fused
    return np.where(citation > 0, float(fused.max(initial=0.0)) + 1.0 + citation, fused)


def best_of(scores: np.ndarray | None, among: np.ndarray, n: int) -> list[int]:
    """Positions of the ``n`` best ``scores`` among the provisions ``among`` allows."""
    if scores is None or not among.any():
        return []
    masked = np.where(among, scores, -np.inf)
    n = min(n, int(among.sum()))
    return [int(i) for i in np.argpartition(-masked, n - 1)[:n]]


def agreement(scores: dict[str, np.ndarray], among: np.ndarray) -> set[int]:
    """The provisions that two independent signals both rank first: lexical and dense, or
    expansion and dense. Words alone match common terms (申请, 是谁) and meaning alone is near any
    text, but an out-of-domain query seldom gets the same best provision from both
    (none of the 20 out-of-domain queries of the three labelled sets does; 卖房子必须写明实际面积
    and 农村老百姓的计量保障 do, with few of their words in the text)."""
    dense = scores.get("dense")
    if dense is None:
        return set()
    first = best_of(dense, among, 1)
    out: set[int] = set()
    for name in ("lexical", "expansion"):
        other = scores.get(name)
        if other is not None and first and float(other[first[0]]) > 0 and best_of(other, among, 1) == first:
            out.add(first[0])
    return out


def heading_only(record: ProvisionRecord) -> bool:
    """Whether a provision is a bare heading (三、保障措施; 第一章总则): its text is its heading
    and a number. A law's one-sentence article (第十五条经过修理的…方可交付使用。) is not, though its
    heading is that sentence: a heading that long, ended as a sentence, is content."""
    text = record.text.strip()
    if len(text) > len(record.heading) + 6:
        return False
    return len(record.heading) < LONG_HEADING or not text.rstrip().endswith(("。", "；", "！", "？"))


def made_under_codes(docs: dict[str, dict], codes: dict[str, int]) -> dict[int, list[int]]:
    """Document code → the codes of the laws it is made under and of the regulations made under
    it (the facets' ``made_under``), for the counterparts' lower cosine between them."""
    out: dict[int, list[int]] = {}
    for doc_id, meta in docs.items():
        for parent in meta.get("made_under", []):
            if doc_id in codes and parent in codes:
                out.setdefault(codes[doc_id], []).append(codes[parent])
                out.setdefault(codes[parent], []).append(codes[doc_id])
    return out


def chapter_of(number: str) -> str:
    """The top-level number of a provision ("3.2" -> "3")."""
    return number.split(".", 1)[0]


class SearchIndex:
    """Provisions with their lexical, expansion and (lazily) dense indexes.

    Kept in ``store.index_dir / 'search'`` (and ``'search-dense'``); :meth:`open` reuses an
    index already loaded in this process while the store's generation is unchanged.
    """

    _lock = threading.RLock()
    _loaded: dict[str, "SearchIndex"] = {}

    def __init__(self, records: list[ProvisionRecord], lexical: LexicalIndex, matcher: ConceptMatcher,
                 expansion: ExpansionIndex, facts: list[dict[str, list]], generation: int,
                 index_dir: Path | None = None, titles: list[list] | None = None, docs: dict | None = None,
                 lexicon: Lexicon | None = None, glossary: Glossary | None = None):
        self.records = records
        self.glossary = glossary or Glossary([])
        self._lexicon = lexicon  # read from the index folder on the first English query when None
        self.docs = docs or {}  # document id -> title, kind, jurisdiction, province, year
        self.titles = titles or []  # [document id, title, date]: what a cited title is matched against
        self._resolver = None
        self._title_keys: list[tuple[str, str]] | None = None  # (title key, document id), longest first
        self.lexical = lexical
        self.matcher = matcher
        self.expansion = expansion
        self.facts = facts
        self.generation = generation
        self.index_dir = index_dir
        self._dense = None
        self._dense_limits = None
        self._encoder = None
        self._documents = np.array([r.document for r in records], dtype=object)
        names, codes = np.unique(self._documents.astype(str), return_inverse=True) if records else ([], [])
        self._document_codes = np.asarray(codes, dtype=np.int32)
        self._code_of = {str(n): i for i, n in enumerate(names)}  # document id -> its code
        self._made_under = made_under_codes(self.docs, self._code_of)
        self._chapters = np.array([chapter_of(r.number) for r in records], dtype=object)
        self._heading_only = np.array([heading_only(r) for r in records], dtype=bool)
        self._kinds = [f.get("kinds", []) for f in facts]
        self._cited = [f.get("cited", []) for f in facts]
        self.segmenter = search_segmenter(matcher.zh_terms())

    # ---- building and opening

    @classmethod
    def folder(cls, store: Store) -> Path:
        return store.index_dir / "search"

    @classmethod
    def build(cls, store: Store) -> "SearchIndex":
        """Build from the store and persist it (atomically) beside the store."""
        from metrokg.kg.graph.citations import cited_neighbours
        from metrokg.kg.records.factview import load_concepts

        generation = store.generation()
        records = load_provisions(store)
        matcher = ConceptMatcher(load_concepts(store))
        segmenter = search_segmenter(matcher.zh_terms())
        tokens = [search_tokens(f"{r.heading}\n{r.text}", segmenter) for r in records]
        lexical = LexicalIndex.from_tokens(tokens)
        facts = load_facts(store, records)
        positions = {r.iri: i for i, r in enumerate(records)}
        kinds = provision_kinds(store, positions, len(records))
        for f, k, cited in zip(facts, kinds, cited_neighbours(store, positions)):
            f["kinds"], f["cited"] = k, cited
        titles = document_titles(store)
        docs = document_facets(store)
        links = []
        for toks, f in zip(tokens, facts):
            linked = matcher.link_tokens(toks)
            for iri in f["concepts"] + f["actors"]:
                linked[iri] = max(linked.get(iri, 0), 1)
            links.append(linked)
        expansion = ExpansionIndex.build(links)
        del links, tokens  # what follows reuses their memory
        from metrokg.nlp import bilingual

        lexicon = bilingual.load().restricted(lexical.df)
        glossary = Glossary.build((r.text for r in records), lambda text: search_tokens(text, segmenter))
        index = cls(records, lexical, matcher, expansion, facts, generation, store.index_dir, titles, docs,
                    lexicon, glossary)
        folder = cls.folder(store)

        def write(tmp: Path) -> None:
            lexical.save(tmp)
            write_json_list(tmp / "records.json", (asdict(r) for r in records))
            (tmp / "concepts.json").write_text(json.dumps(matcher.to_json(), ensure_ascii=False), encoding="utf-8")
            (tmp / "expansion.json").write_text(json.dumps(expansion.to_json()), encoding="utf-8")
            write_json_list(tmp / "facts.json", facts)
            (tmp / "titles.json").write_text(json.dumps(titles, ensure_ascii=False), encoding="utf-8")
            (tmp / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
            (tmp / "lexicon.json").write_text(json.dumps(lexicon.to_json(), ensure_ascii=False), encoding="utf-8")
            (tmp / "glossary.json").write_text(json.dumps(glossary.to_json(), ensure_ascii=False), encoding="utf-8")
            (tmp / "meta.json").write_text(json.dumps({"generation": generation, "version": INDEX_VERSION}))

        persist_folder(folder, write)  # best effort: a store on read-only media searches from memory
        cls._loaded[str(folder)] = index
        return index

    @classmethod
    def open(cls, store: Store) -> "SearchIndex":
        """The index matching the store's generation: already loaded, persisted, or rebuilt."""
        with cls._lock:
            folder = cls.folder(store)
            generation = store.generation()
            loaded = cls._loaded.get(str(folder))
            if loaded is not None and loaded.generation == generation:
                return loaded
            try:
                meta = json.loads((folder / "meta.json").read_text())
                if meta["generation"] == generation and meta.get("version") == INDEX_VERSION:
                    def read(name: str):
                        return json.loads((folder / name).read_text(encoding="utf-8"))

                    index = cls([ProvisionRecord(**r) for r in read("records.json")], LexicalIndex.load(folder),
                                ConceptMatcher.from_json(read("concepts.json")),
                                ExpansionIndex.from_json(read("expansion.json")), read("facts.json"),
                                generation, store.index_dir, read("titles.json"), read("docs.json"),
                                glossary=Glossary.from_json(read("glossary.json")))
                    cls._loaded[str(folder)] = index
                    return index
            except (OSError, ValueError, KeyError, TypeError):
                pass
            return cls.build(store)

    def dense(self, model: str | None = None):
        """The dense index for the configured model, built (and persisted) on first use."""
        with self._lock:
            return self._dense_index(model, load=True)

    def prepare_dense(self, model: str | None = None) -> None:
        """Bring the dense index up to date without loading it where it is persisted (an
        ingest's last step: the search that needs it loads it, the ingest never holds it)."""
        with self._lock:
            self._dense_index(model, load=False)

    def _dense_index(self, model: str | None, load: bool):
        from metrokg.kg.search.dense import DenseIndex, EmbedLimits, configured_model_id, shared_embedder

        model_id = configured_model_id(model)
        limits = EmbedLimits.configured()  # an index embedded under other limits is rebuilt
        if self._dense is not None and self._dense.model_id == model_id and self._dense_limits == limits:
            return self._dense
        folder = self.index_dir / "search-dense" if self.index_dir else None
        meta = {"generation": self.generation, "model_id": model_id, "size": len(self.records),
                "limits": asdict(limits)}
        if folder is not None:
            try:
                saved = json.loads((folder / "meta.json").read_text())
                if {k: saved.get(k) for k in meta} == meta:
                    if load:
                        self._dense, self._dense_limits = DenseIndex.load(folder), limits
                    return self._dense
            except (OSError, ValueError, KeyError, AttributeError):  # none, unreadable, or not an object
                pass
        writable = folder is not None and can_write(folder)
        embedder = shared_embedder(model, cache_dir=self.index_dir if writable else None)
        if writable:
            def write(tmp: Path) -> None:
                DenseIndex.write(self.records, embedder, tmp, limits=limits, model_id=model_id)
                (tmp / "meta.json").write_text(json.dumps(meta))

            if persist_folder(folder, write):  # streamed to disk: the build never holds every vector
                if load:
                    self._dense, self._dense_limits = DenseIndex.load(folder), limits
                return self._dense
        dense = DenseIndex.build(self.records, embedder, limits=limits)  # no folder, or it could not be written
        dense.model_id = model_id
        self._dense, self._dense_limits = dense, limits
        return dense

    @property
    def lexicon(self) -> Lexicon:
        """English phrases → the Chinese words of these texts that translate them (CC-CEDICT)."""
        if self._lexicon is None:
            try:
                rows = json.loads((self.index_dir / "search" / "lexicon.json").read_text(encoding="utf-8"))
                self._lexicon = Lexicon.from_json(rows)
            except (TypeError, OSError, ValueError):  # no index folder, or one that could not be written
                from metrokg.nlp import bilingual

                self._lexicon = bilingual.load().restricted(self.lexical.df)
        return self._lexicon

    def translations(self, query: str, matches: list[ConceptMatch]) -> list[Translation]:
        """The query's English words the vocabulary's labels do not read, each with the Chinese
        words of these texts that translate it; none for a query without English."""
        if not ENGLISH_WORD.search(query.lower()):
            return []
        return self.lexicon.translate(query, skip=covered_words(matches))

    def translation_scores(self, translations: list[Translation]) -> np.ndarray:
        """Per provision: for each translated English word, the BM25 score of its best Chinese
        word there (its translations are alternatives, not words of the query each), summed."""
        out = np.zeros(self.lexical.size, dtype=np.float32)
        for t in translations:
            best = None
            for word in t.chinese:
                s = self.lexical.term_scores(word)
                best = s if best is None else np.maximum(best, s)
            if best is not None:
                out += best
        return out

    def encoder(self, model: str | None = None):
        from metrokg.kg.search.dense import QueryEncoder

        dense = self.dense(model)
        if self._encoder is None or self._encoder.model_id != dense.model_id:
            self._encoder = QueryEncoder(dense.model_id, model)
        return self._encoder

    # ---- scoring

    def signals(self, query: str, mode: str = "hybrid", dense_mode: str | None = None) -> Signals:
        """Raw scores of every provision for ``query``, one array per signal the mode uses; the
        query is cut as :func:`bounded_query` and :meth:`QueryEncoder.fit` say (``notices``)."""
        query, notices = bounded_query(query)
        if not query:
            raise MetrokgError("E031")
        if mode not in MODES:
            raise MetrokgError("E280", mode=mode, choices=", ".join(MODES))
        words = search_tokens(query, self.segmenter)
        matches = self.matcher.expand(self.matcher.match(query, words))
        defined = self.glossary.defined(query, words, self.lexical.weight)
        if defined:  # the query describes a term a text defines: as if it named the term too
            extra = " ".join(defined)
            named = {m.iri for m in matches}
            matches += [dataclasses.replace(m, via="definition" if m.via == "label" else m.via)
                        for m in self.matcher.expand(self.matcher.match(extra, search_tokens(extra, self.segmenter)))
                        if m.iri not in named]
        scores: dict[str, np.ndarray] = {}
        best = None
        translations: list[Translation] = []
        if mode != "dense":
            scores["lexical"] = self.lexical.scores(query, self.segmenter)
            if defined:
                scores["lexical"] = scores["lexical"] + self.lexical.scores(" ".join(defined), self.segmenter)
            scores["expansion"] = self.expansion.scores(matches)
            translations = self.translations(query, matches)
            if any(t.chinese for t in translations):
                scores["translation"] = self.translation_scores(translations)
        if mode in ("hybrid", "dense") and self.records:
            dense = self.dense()
            encoder = self.encoder()
            fitted = encoder.fit(query)
            if len(fitted) < len(query):
                notices.append(warning_text("W156", tokens=encoder.tokens(query), window=encoder.window,
                                            chars=len(fitted)))
            qvec = encoder.encode(fitted)
            from metrokg.kg.search.dense import DENSE_MODE

            dense_scores = dense.scores(qvec, dense_mode or DENSE_MODE)
            best = qvec
            if self._heading_only.any() and not self._heading_only.all():
                # a bare heading ("三、保障措施") holds no content to answer with; its short text is
                # close to almost any query in embedding space, so it counts only through words
                floor = float(np.min(dense_scores[~self._heading_only]))
                dense_scores = np.where(self._heading_only, floor, dense_scores).astype(np.float32)
            scores["dense"] = dense_scores
        return Signals(scores, matches, best, notices, translations)

    def query_terms(self, query: str, translations: list[Translation] = ()) -> dict[str | tuple[str, ...], float]:
        """The query's search tokens with their idf (for choosing the sentence to show and for
        relevance); an English word with ``translations`` stands as the tuple of its Chinese
        words, weighted by the rarest (:func:`holds`: any of them is the word)."""
        terms: dict[str | tuple[str, ...], float] = {t: self.lexical.idf(t) for t in set(search_tokens(query, self.segmenter))}
        for t in translations:
            if t.chinese:
                for word in t.words:
                    terms.pop(word, None)
                terms[t.chinese] = max(self.lexical.idf(z) for z in t.chinese)
        return terms

    def facet_mask(self, document: str | None = None, **facets) -> np.ndarray | None:
        """Which provisions pass the filters (None when there are none)."""
        mask = np.ones(len(self.records), dtype=bool)
        used = False
        if document is not None:
            mask &= self._documents == document
            used = True
        if facets.get("deadline_year") is not None and facets.get("year") is None:
            facets["year"] = facets.pop("deadline_year")
        facets.pop("deadline_year", None)
        for name, value in facets.items():
            if name not in FACETS:
                raise MetrokgError("E281", facet=name, choices=", ".join(FACETS))
            if value is None or value == "":
                continue
            used = True
            mask &= self._facet(name, value)
        return mask if used else None

    def _facet(self, name: str, value: Any) -> np.ndarray:
        n = len(self.records)
        if name in DOCUMENT_FACETS:
            passing = {d for d, meta in self.docs.items() if document_matches(meta, name, value)}
            return np.array([d in passing for d in self._documents], dtype=bool)
        if name == "chapter":
            v = str(value).strip()
            headings = {chapter_of(r.number) for r in self.records if r.number == chapter_of(r.number)
                        and (r.heading == v or v in r.heading)}
            wanted = {v} | headings
            return np.array([c in wanted for c in self._chapters], dtype=bool)
        if name == "modality":
            v = str(value).strip().lower()
            if v not in MODALITIES:
                raise MetrokgError("E282", value=value, choices=", ".join(MODALITIES))
            return np.array([v in f["modalities"] for f in self.facts], dtype=bool)
        if name == "year":
            try:
                year = int(str(value).strip())
            except ValueError:
                raise MetrokgError("E283", value=value) from None
            return np.array([year in f["years"] for f in self.facts], dtype=bool)
        named = self.matcher.concepts.resolve(str(value), name, missing_ok=name == "actor")
        iris = self.matcher.concepts.narrower_closure(named) if named else set()
        out = np.zeros(n, dtype=bool)
        for iri in iris:
            for p in self.expansion.postings.get(iri, {}):
                out[p] = True
        if name == "actor":  # names as written, for actors the vocabulary does not know
            v = str(value).strip()
            out |= np.array([iris.intersection(f["actors"]) != set() or any(v in a for a in f["actor_names"])
                             for f in self.facts], dtype=bool)
        return out

    def search(self, query: str, k: int = 10, document: str | None = None, *, mode: str = "hybrid",
               method: str | None = None, chapter: str | None = None, industry: str | None = None,
               quantity: str | None = None, instrument: str | None = None, actor: str | None = None,
               modality: str | None = None, year: int | str | None = None,
               deadline_year: int | str | None = None, kind: str | None = None,
               jurisdiction: str | None = None, issued: int | str | None = None) -> SearchResults:
        """The ``k`` best provisions for ``query``, best first; facets filter before ranking.

        Provisions no signal scores (no shared word, no linked concept, dense similarity at or
        below the query's median) are left out. The results' ``notices`` say what was cut from
        the query.
        """
        if k < 1:
            raise MetrokgError("E285", k=k)
        method = method or DEFAULT_METHOD
        if method not in METHODS:
            raise MetrokgError("E286", method=method, choices=", ".join(METHODS))
        mask = self.facet_mask(document, chapter=chapter, industry=industry, quantity=quantity,
                               instrument=instrument, actor=actor, modality=modality, year=year,
                               deadline_year=deadline_year, kind=kind, jurisdiction=jurisdiction, issued=issued)
        query, notices = bounded_query(query)
        sig = self.signals(query, mode)
        fused = fuse(sig.scores, method, mode)
        if mask is not None:
            fused = np.where(mask, fused, 0.0)
        fused = self.second_stage(query, fused, sig)
        citation = self.citation_scores(query, document)
        if citation is None:  # 计量法规定了哪些罚款: what that law says, before what others do
            fused = self.named_first(query, fused)
        if citation is not None and mask is not None:
            citation = np.where(mask, citation, 0.0)
        if citation is not None and citation.any():  # 计量法第九条: the provision it names, first, every time
            sig.scores["citation"] = citation
            fused = cite_first(fused, citation)
        top = np.argpartition(-fused, k)[:k] if fused.size > k else np.arange(fused.size)
        order = top[np.argsort(-fused[top], kind="stable")]
        terms = self.query_terms(query, sig.translations)
        order = [int(i) for i in order if fused[int(i)] > 0]
        kept = self.relevant(query, order, fused, citation, terms, sig)
        hits = []
        for i in kept:
            rec = self.records[i]
            linked = self.expansion.linked(sig.matches, i)
            hits.append(Hit(rec, float(fused[i]), self.best_sentence(i, query, sig, linked, terms),
                            [m.public(self.matcher.entries.get(m.iri)) for m in linked],
                            {name: float(s[i]) for name, s in sig.scores.items()},
                            self.docs.get(rec.document, {})))
        return SearchResults(fold_duplicates(hits), notices + sig.notices, nothing_relevant=bool(order) and not kept)

    def relevant(self, query: str, order: list[int], fused: np.ndarray, citation: np.ndarray | None,
                 terms: dict[str, float], sig: Signals) -> list[int]:
        """The ranked positions worth showing. None when nothing is about the query: no provision
        is cited, no two signals put the same provision first (:func:`agreement`), no query word
        names the corpus's subject (:meth:`names_subject`), and no hit's
        :meth:`relevance`, no specific concept the query names and no English vocabulary share
        (:meth:`ConceptMatcher.english_share`, counted above :data:`ENGLISH_MAJORITY` only) reaches
        ``METROKG_SEARCH_MIN_RELEVANCE``
        (calibrated on the out-of-domain queries of the three labelled sets). Else the cited
        provisions, the hits that reach it, the provision two signals put first, the
        ``DENSE_KEPT`` best by meaning, and those whose fused score is at least
        ``METROKG_SEARCH_TAIL_RATIO`` of the best one; the rest is a tail of noise."""
        floor = float(settings.get("METROKG_SEARCH_MIN_RELEVANCE"))
        if floor <= 0 or not order:
            return order
        cited = {i for i in order if citation is not None and citation[i] > 0}
        rel = {i: self.relevance(i, terms, sig) for i in order}
        # two signals agreeing on a provision that holds none of the query's topic words (the 规定 of
        # 小狗的饲养规定 and a text near any query in meaning) is no sign it is about the query
        agreed = {i for i in agreement(sig.scores, fused > 0)
                  if (rel[i] if i in rel else self.relevance(i, terms, sig)) > 0}
        named = 1.0 if self.specific(sig.matches, subject=True) else 0.0  # 坑顾客: about metrology, though no provision says it
        share = self.matcher.english_share(query)  # "medical devices and wearables": metrology's words, no label whole
        vocabulary = share if share > ENGLISH_MAJORITY else 0.0  # one word of two or three is chance (stock market news)
        if not cited and not agreed and not self.names_subject(terms) \
                and max(max(rel.values()), named, vocabulary) < floor:
            return []
        ratio = float(settings.get("METROKG_SEARCH_TAIL_RATIO"))
        top = float(fused[order[0]])
        meaning = set(best_of(sig.scores.get("dense"), fused > 0, DENSE_KEPT))
        return [i for i in order if i in cited or i in agreed or i in meaning or rel[i] >= floor
                or fused[i] >= ratio * top]

    def names_subject(self, terms: dict[str, float]) -> bool:
        """Whether the query has a word that :data:`SUBJECT_SHARE` of the provisions hold: the
        corpus's own subject (计量 in a store of metrology texts), so 农村老百姓的计量保障 is about it
        even when no provision has its other words."""
        if self.lexical.size < SUBJECT_PROVISIONS:  # in a handful of provisions every shared word is common
            return False
        least = SUBJECT_SHARE * self.lexical.size
        return any(self.lexical.df.get(t, 0) >= least for t in terms)

    def second_stage(self, query: str, fused: np.ndarray, sig: Signals | None = None) -> np.ndarray:
        """``fused`` with its best candidates reordered by what the graph knows of them: the fact
        kind the query asks for (a penalty for 会受到什么处理, a time limit for 多少天...), most for
        those also linked to a concept the query names (:mod:`metrokg.kg.search.rerank`;
        ``METROKG_SEARCH_RERANK=0`` turns it off), and the same provision in another document
        (a law's article in its implementing rules), the provisions linked to it by citation
        (the penalty for the duty) and, for a penalty article, the duty of its document it
        punishes, brought along with each of the best."""
        out = rerank(fused, intents(query), self._kinds, named=self.subject_mask(sig))
        if not settings.get("METROKG_SEARCH_RERANK"):
            return out
        if sig is None or "dense" not in sig.scores:
            return cited_along(out, self._cited)
        vectors = self.dense().provisions
        named = [np.fromiter(self.expansion.postings.get(m.iri, {}), dtype=np.int64) for m in self.specific(sig.matches)]
        out = counterparts(out, vectors, self._document_codes, made_under=self._made_under)
        if self._made_under:  # a store without laws made under one another has no such pairs
            out = shared_concept_counterparts(out, vectors, self._document_codes, self._made_under, named)
        out = cited_along(out, self._cited)
        return duty_along(out, vectors, self._document_codes, self._kinds, named)

    def subject_mask(self, sig: Signals | None) -> np.ndarray | None:
        """Per provision, whether it is linked to what the query is about: to a concept the query
        names by a specific label or to one below it (眼镜店 in 眼镜店验光仪多久检定一次; 计量作弊 and
        破坏计量器具准确度 under it), else to any concept the query names (检定 alone is in most
        texts, so it tells the asked-for time limit from another only where nothing more is named).
        None without the expansion signal."""
        expansion = sig.scores.get("expansion") if sig is not None else None
        if expansion is None:
            return None
        specific = self.specific(sig.matches)
        if not specific:
            return expansion > 0
        said = {m.term for m in specific}
        mask = np.zeros(len(self.records), dtype=bool)
        for m in specific + [m for m in sig.matches if m.via == "narrower" and m.term in said]:
            mask[np.fromiter(self.expansion.postings.get(m.iri, {}), dtype=np.int64)] = True
        return mask

    def specific(self, matches: list[ConceptMatch], subject: bool = False) -> list[ConceptMatch]:
        """The concepts the query names by a label specific enough to say what it is about; with
        ``subject``, also a short label of metrology's own things (电表, 检定), which says the query
        is about the corpus though not which provisions answer it (检定 is in most of them)."""
        return [m for m in matches if m.via == "label" and (len(m.label) >= SPECIFIC_LABEL or m.label.isascii()
                                                            or (subject and self.scheme_of(m.iri) in DOMAIN_SCHEMES))]

    def scheme_of(self, iri: str) -> str:
        entry = self.matcher.entries.get(iri)
        return entry.scheme if entry else ""

    def relevance(self, position: int, terms: dict[str, float], sig: Signals) -> float:
        """How surely provision ``position`` is about the query, on an absolute scale (fused scores
        are relative to the query's best hit, and the small embedding model's similarities sit
        in one narrow band for any text, so neither tells an answer from noise): 1 when it is
        linked to a specific concept the query names (a label of three characters or more, or
        an English one: 交通 alone is too vague), else the idf-weighted share of the query's
        words the provision holds (a word no provision has weighs most)."""
        specific = self.specific(sig.matches)
        if specific and self.expansion.linked(specific, position):
            return 1.0
        rec = self.records[position]
        text = f"{rec.heading}\n{rec.text}".lower()
        # a single character (公 of 公租房, 查) is inside almost any text: it says nothing either way,
        # nor does a word of the question's frame (FRAME_WORDS), in Chinese or translated
        weights = {t: w or self.lexical.unseen_idf for t, w in terms.items() if not framing(t)
                   and (isinstance(t, tuple) or len(t) > 1 or t.isascii())}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if holds(t, text)) / total if total else 0.0

    def named_documents(self, query: str) -> list[str]:
        """The documents the query names by title (计量法 in 计量法规定了哪些罚款), longest title first,
        a title inside a longer one found counted once (计量法 of 计量法实施细则), a law's 法 that
        begins a word (计量法律责任, 法规, 法定) not read as a title's end."""
        from metrokg.kg.graph.citations import MIN_TITLE_KEY
        from metrokg.nlp.structure.citations import title_key

        text = title_key(query)
        found: list[tuple[int, int, str]] = []
        if self._title_keys is None:  # once per index: the resolver's title keys (latest version first), longest first
            by_key = self.citation_resolver()[0].by_key
            self._title_keys = sorted(((k, ids[0]) for k, ids in by_key.items() if len(k) >= MIN_TITLE_KEY),
                                      key=lambda x: (-len(x[0]), x))
        for key, doc in self._title_keys:
            at = text.find(key)
            while at >= 0:
                end = at + len(key)
                inside = any(s <= at and end <= e for s, e, _ in found)
                if not inside and not (key.endswith("法") and text[end:end + 1] in LAW_WORD_HEADS):
                    found.append((at, end, doc))
                    break
                at = text.find(key, at + 1)
        return list(dict.fromkeys(doc for _, _, doc in found))

    def named_first(self, query: str, fused: np.ndarray) -> np.ndarray:
        """``fused`` with the provisions of the documents the query names by title
        (:meth:`named_documents`) that a signal scores above every other, in their order."""
        named = self.named_documents(query) if fused.size and float(fused.max()) > 0 else []
        if not named:
            return fused
        codes = [self._code_of[d] for d in named if d in self._code_of]
        lift = np.isin(self._document_codes, codes) & (fused > 0)
        return np.where(lift, fused + float(fused.max()), fused)

    def citation_scores(self, query: str, document: str | None = None) -> np.ndarray | None:
        """For a query that cites provisions: 1 for the first cited, a little less for each next
        one, 0 elsewhere; None for any other query (see :meth:`cited`)."""
        cited = self.cited(query, document)
        if not cited:
            return None
        out = np.zeros(len(self.records), dtype=np.float32)
        out[cited] = 1.0 - np.arange(len(cited), dtype=np.float32) * 1e-3
        return out

    def citation_resolver(self):
        """The index's titles and provisions as a :class:`~metrokg.kg.graph.citations.Resolver`,
        with each provision IRI's position; built on first use."""
        from metrokg.kg.graph.citations import Resolver

        if self._resolver is None:
            units: dict[str, set[str]] = {}
            for r in self.records:
                units.setdefault(r.document, set()).add(r.iri)
            self._resolver = (Resolver([tuple(t) for t in self.titles], units),
                              {r.iri: i for i, r in enumerate(self.records)})
        return self._resolver

    def cited(self, query: str, document: str | None = None) -> list[int]:
        """Positions of the provisions a citation in the query names (计量法第二十二条; 第九条
        alone in the document filtered to), in the citation's order; empty for other queries."""
        from metrokg.nlp.structure.citations import parse_query

        citation = parse_query(query)
        if citation is None or (citation.title is None and document is None):
            return []
        resolver, position = self.citation_resolver()
        _, iris = resolver.resolve(citation.title, list(citation.targets), document, abbreviated=True)
        return list(dict.fromkeys(position[i] for i in iris if i in position))

    # ---- the sentence to show

    def best_sentence(self, position: int, query: str, sig: Signals, linked: list[ConceptMatch],
                      terms: dict[str, float] | None = None) -> dict:
        """The provision's sentence that best matches: query words it contains (idf-weighted),
        labels of the query's concepts, and the dense similarity of the sentence."""
        from metrokg.kg.search.dense import provision_sentences

        rec = self.records[position]
        spans = provision_sentences(rec)
        if not spans:
            return {}
        terms = terms if terms is not None else self.query_terms(query)
        total = sum(terms.values()) or 1.0
        labels = [lb for m in linked for lb in (self.matcher.entries[m.iri].labels if m.iri in
                                                 self.matcher.entries else [m.label]) if len(lb) >= 2]
        dense_sims: dict[int, float] = {}
        if sig.query_vector is not None and self._dense is not None:
            sims = self._dense.sentence_scores(position, sig.query_vector)
            if sims:
                lo, hi = min(sims.values()), max(sims.values())
                dense_sims = {k: (v - lo) / (hi - lo) if hi > lo else 0.0 for k, v in sims.items()}
        best, best_score = spans[0], -1.0
        for start, end, text in spans:
            low = text.lower()
            score = sum(w for t, w in terms.items() if holds(t, low)) / total
            score += 0.5 * any(lb in text for lb in labels)
            score += 0.5 * dense_sims.get(start, 0.0)
            if score > best_score:
                best, best_score = (start, end, text), score
        return {"text": best[2], "start": best[0], "end": best[1]}
