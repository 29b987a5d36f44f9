"""Search over provisions: the index derived from the store, and the ranked hits.

The index is a cache of the graph: it records the store generation it was built from and
is rebuilt (into a new folder, swapped in atomically) whenever the store has changed.
"""

from __future__ import annotations

import json
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from metrokg.errors import MetrokgError
from metrokg.kg.lexical import LexicalIndex, replace_dir
from metrokg.kg.store import Store
from metrokg.nlp.tokens import search_tokens

PROVISIONS_QUERY = """
PREFIX mkg: <https://w3id.org/metrokg/ontology#>
SELECT ?p ?docId ?number ?heading ?text ?start ?end ?order WHERE {
  ?p a mkg:Provision ; mkg:inDocument ?d ; mkg:number ?number ; mkg:heading ?heading ;
     mkg:text ?text ; mkg:start ?start ; mkg:end ?end ; mkg:order ?order .
  ?d mkg:documentId ?docId .
}
"""


@dataclass
class ProvisionRecord:
    """A provision as search and listings show it (the foundation's JSON contract)."""

    iri: str
    document: str
    number: str
    heading: str
    text: str
    start: int
    end: int
    order: int = 0

    def public(self) -> dict:
        d = asdict(self)
        d.pop("order")
        return d


@dataclass
class Hit:
    """One search result: the provision, its score and the sentence that matched best."""

    provision: ProvisionRecord
    score: float
    sentence: dict = field(default_factory=dict)

    def public(self) -> dict:
        return {**self.provision.public(), "score": round(float(self.score), 6),
                "sentence": self.sentence}


def _number_key(number: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in number.replace("~", ".").split("."))


def load_provisions(store: Store, document: str | None = None) -> list[ProvisionRecord]:
    """Every provision in the store (or in one document), in document order."""
    from rdflib import Literal

    bindings = {"docId": Literal(document)} if document else None
    rows = store.query(PROVISIONS_QUERY, bindings)
    records = [ProvisionRecord(str(r.p), str(r.docId), str(r.number), str(r.heading), str(r.text),
                               int(r.start), int(r.end), int(r.order)) for r in rows]
    records.sort(key=lambda r: (r.document, r.order))
    return records


class SearchIndex:
    """Provisions with their lexical index, kept in ``store.index_dir / 'search'``."""

    _lock = threading.Lock()

    def __init__(self, records: list[ProvisionRecord], lexical: LexicalIndex, generation: int):
        self.records = records
        self.lexical = lexical
        self.generation = generation

    @classmethod
    def folder(cls, store: Store) -> Path:
        return store.index_dir / "search"

    @classmethod
    def build(cls, store: Store) -> "SearchIndex":
        """Build from the store and persist it (atomically) beside the store."""
        generation = store.generation()
        records = load_provisions(store)
        lexical = LexicalIndex.build([f"{r.heading}\n{r.text}" for r in records])
        index = cls(records, lexical, generation)
        folder = cls.folder(store)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="search.", dir=folder.parent))
        lexical.save(tmp)
        (tmp / "records.json").write_text(json.dumps([asdict(r) for r in records], ensure_ascii=False),
                                          encoding="utf-8")
        (tmp / "meta.json").write_text(json.dumps({"generation": generation}))
        replace_dir(tmp, folder)
        return index

    @classmethod
    def open(cls, store: Store) -> "SearchIndex":
        """The persisted index when it matches the store's generation, else a rebuilt one."""
        with cls._lock:
            folder = cls.folder(store)
            generation = store.generation()
            try:
                meta = json.loads((folder / "meta.json").read_text())
                if meta["generation"] == generation:
                    records = [ProvisionRecord(**r) for r in
                               json.loads((folder / "records.json").read_text(encoding="utf-8"))]
                    return cls(records, LexicalIndex.load(folder), generation)
            except (OSError, ValueError, KeyError):
                pass
            return cls.build(store)

    def search(self, query: str, k: int = 10, document: str | None = None) -> list[Hit]:
        """The ``k`` best provisions for ``query``, best first; zero-score provisions are left out."""
        query = (query or "").strip()
        if not query:
            raise MetrokgError("E031")
        scores = self.lexical.scores(query)
        if document is not None:
            mask = np.array([r.document == document for r in self.records], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        order = np.argsort(-scores, kind="stable")
        hits = []
        for i in order[:k]:
            if scores[i] <= 0:
                break
            rec = self.records[int(i)]
            hits.append(Hit(rec, float(scores[i]), best_sentence(rec, query)))
        return hits


def best_sentence(record: ProvisionRecord, query: str) -> dict:
    """The sentence of the provision that shares most query tokens, with document offsets."""
    from metrokg.nlp.structure import split_sentences

    terms = set(search_tokens(query))
    best, best_score = None, -1
    for span in split_sentences(record.text, record.start):
        toks = search_tokens(span.text)
        score = sum(1 for t in toks if t in terms)
        if score > best_score:
            best, best_score = span, score
    if best is None:
        return {}
    return {"text": best.text, "start": best.start, "end": best.end}
