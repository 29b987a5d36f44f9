"""Extracted facts and vocabulary concepts read back from the store as plain records.

The analyses (obligations register, targets tracker, gap map, document comparison) all
need the same things: the facts of one or all documents with their provision, and the
concepts with their labels and links. This module runs those SPARQL queries once per
call and hands back dataclasses, so each analysis is ordinary Python over lists.
User values (a document id) are always bound, never pasted into a query.
"""

from __future__ import annotations

import itertools
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, TypeVar

from metrokg.kg.records.derived import Deriver, keep, part, pinned, versions
from metrokg.kg.records.derived import generation as pinned_generation
from metrokg.kg.records.provisions import FACT_LINKS, ProvisionRecord
from metrokg.kg.store.base import Lit, Store, literal_python, plain_from_rdflib
from metrokg.ontology import namespace as iris
from metrokg.ontology.namespace import META_GRAPH, MKG_PREFIX, MKS, mkg_term
from metrokg.ontology.vocab import Concepts, load_ontology, scheme_of

PREFIXES = "\n" + MKG_PREFIX + """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
MKG = str(iris.MKG)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ONTOLOGY_GRAPH = str(iris.ONTOLOGY_GRAPH)
VOCAB_GRAPHS = tuple(map(str, iris.VOCAB_GRAPHS))
#: a user's own SKOS vocabulary is a named graph under this IRI (concepts under …/id/<scheme>/)
USER_VOCABULARY_GRAPHS = iris.USER_VOCABULARY_GRAPHS


T = TypeVar("T")
_CACHE: "weakref.WeakKeyDictionary[Store, tuple[int, dict]]" = weakref.WeakKeyDictionary()


def cached(store: Store, key: tuple, build: Callable[[], T]) -> T:
    """``build()``'s result, kept per store until its generation changes (every write bumps it),
    so the views sharing facts and concepts read them from the graph once per change.
    Callers must not modify what they get back."""
    generation = pinned_generation(store)
    entry = _CACHE.get(store)
    if entry is None or entry[0] != generation:
        entry = (generation, {})
        _CACHE[store] = entry
    if key not in entry[1]:
        entry[1][key] = build()
    return entry[1][key]


def vocabulary_graphs(store: Store) -> list[str]:
    """The store's vocabulary graphs: the ontology, the specification catalogue and every user
    vocabulary (a graph under :data:`USER_VOCABULARY_GRAPHS`), in that order."""
    def listed() -> list[str]:
        users = sorted(str(g) for g in store.graph_iris() if str(g).startswith(USER_VOCABULARY_GRAPHS))
        return [*VOCAB_GRAPHS, *users]
    return cached(store, ("vocabulary graphs",), listed)


def load_concepts(store: Store) -> Concepts:
    """The concepts of the store's vocabulary graphs (:func:`vocabulary_graphs`), the one table
    every view and the search index resolve concept arguments with; shared, read-only."""
    return cached(store, ("concepts",), lambda: part(store, CONCEPT_RECORDS, vocabulary_graphs(store), "concepts"))


def _derive_concepts(graphs: dict[str, list[tuple]]) -> dict[str, object]:
    """The table as JSON. A store filled by ``ingest`` alone has no ontology graph: its documents
    were read with the shipped vocabulary, so that stands in for it."""
    ontology = graphs.get(ONTOLOGY_GRAPH) or load_ontology()
    triples = itertools.chain(ontology, *(t for g, t in graphs.items() if g != ONTOLOGY_GRAPH))
    return {"concepts": Concepts.from_triples(triples).to_json()}


CONCEPT_RECORDS = Deriver("vocabulary", _derive_concepts, lambda _name, rows: Concepts.from_json(rows))


# ----------------------------------------------------------------- facts

@dataclass
class ProvisionInfo(ProvisionRecord):
    """A provision with what the analyses add: its parent and its sentences' offsets."""

    parent: str | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, concept)
    concepts: set[str] = field(default_factory=set)  # every concept the provision mentions

    def heading_span(self) -> tuple[int, int]:
        """Offsets of the heading inside the document (the provision's opening words)."""
        i = self.text.find(self.heading) if self.heading else -1
        if i < 0:
            return self.start, self.start
        return self.start + i, self.start + i + len(self.heading)

    def sentence_around(self, start: int, end: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= start < e:
                return s, max(e, end)
        return start, end

    def concepts_in(self, start: int, end: int, scheme: str | None = None) -> list[str]:
        out = []
        for s, e, c in self.mentions:
            if s < end and start < e and (scheme is None or scheme_of(c) == scheme) and c not in out:
                out.append(c)
        return out


def by_number(provisions: dict[str, "ProvisionInfo"]) -> dict[tuple[str, str], "ProvisionInfo"]:
    """Provisions keyed by (document, number), for walking up to parents."""
    return {(p.document, p.number): p for p in provisions.values()}


def industry_context(numbered: dict[tuple[str, str], "ProvisionInfo"], prov: "ProvisionInfo",
                     start: int, end: int) -> tuple[list[str], str]:
    """Industries a statement serves, and where they were found: the statement itself, else
    the heading of its provision or of the nearest ancestor that names one (plans are
    organised by industry: 实施汽车制造产业…工程), else its sentence, else none (a
    cross-industry statement). The nearest theme wins, so a clause about torque calibration
    under an automotive heading goes to 汽车, not to the components its sentence lists."""
    own = prov.concepts_in(start, end, "industry")
    if own:
        return own, "statement"
    node: ProvisionInfo | None = prov
    while node is not None:
        hs, he = node.heading_span()
        found = node.concepts_in(hs, he, "industry")
        if found:
            return found, "heading"
        node = numbered.get((node.document, node.parent)) if node.parent else None
    s, e = prov.sentence_around(start, end)
    found = prov.concepts_in(s, e, "industry")
    if found:
        return found, "sentence"
    return [], "none"


def _int(x) -> int | None:
    return int(x) if x is not None else None


DOCUMENT_GRAPHS_QUERY = PREFIXES + f"""
SELECT ?g ?docId WHERE {{
  GRAPH ?g {{ ?d mkg:documentId ?docId }}
  FILTER NOT EXISTS {{ GRAPH <{META_GRAPH}> {{
    ?store <{MKS.pendingGraph}> ?g }} }}
}}
"""


def document_graphs(store: Store) -> dict[str, str]:
    """The named graph of every ingested document, by document id (sorted by id)."""
    return cached(store, ("document graphs",), lambda: dict(sorted(
        (str(doc_id), g) for g, doc_id in store.rows(DOCUMENT_GRAPHS_QUERY, union=False))))


def document_parts(store: Store, name: str, document: str | None = None) -> list:
    """Part ``name`` of the records derived from each document's graph (one document or all,
    in document id order); see :data:`DOCUMENT_RECORDS`."""
    return per_document(store, DOCUMENT_RECORDS, name, document, vocabulary=False)


def per_document(store: Store, deriver: Deriver, name: str, document: str | None = None,
                 vocabulary: bool = True) -> list:
    """Part ``name`` of ``deriver``'s record of each document (one or all, in document id order),
    keyed by the document's graph and, with ``vocabulary``, the ontology and catalogue graphs."""
    graphs = document_graphs(store)
    if document is not None:
        graphs = {document: graphs[document]} if document in graphs else {}
    state = versions(store)
    extra = vocabulary_graphs(store) if vocabulary else []
    with pinned(store, state):
        return [part(store, deriver, [g, *extra], name, state) for g in graphs.values()]


def document_deriver(name: str, compute: Callable[[Store, str], dict]) -> Deriver:
    """A deriver of records computed per document (by ``compute(store, document id)``) from that
    document's records and the vocabularies: a view's rows, kept so that a write recomputes
    only the documents it touched. Parts are JSON values, read back as they are."""
    def for_graphs(store: Store, graphs) -> dict:
        doc_id = next(d for d, g in document_graphs(store).items() if g == graphs[0])
        return compute(store, doc_id)
    return Deriver(name, None, lambda _name, value: value, compute=for_graphs)


def load_provision_infos(store: Store, document: str | None = None) -> dict[str, ProvisionInfo]:
    """Provisions (of one document or all) with their sentences and concept mentions, by IRI.

    The records are shared between calls until the store changes: read them, do not modify them."""
    def merge() -> dict[str, ProvisionInfo]:
        out: dict[str, ProvisionInfo] = {}
        for provisions in document_parts(store, "provisions", document):
            out.update(provisions)
        return out
    return dict(cached(store, ("provisions", document), merge))


def _lit_json(value):
    """A plain value as JSON: an IRI as its text, a literal as [lexical form, datatype]."""
    return [str(value), value.datatype] if isinstance(value, Lit) else value


def triple_order(triple: tuple) -> tuple:
    """A total order of plain triples: subject, predicate, object text, then the object's kind
    (an IRI before a literal of the same text) and its datatype and language."""
    s, p, o = triple
    if o.__class__ is Lit:
        return s, p, o, 1, o.datatype or "", o.language or ""
    return s, p, o, 0, "", ""


def _derive_document(graphs: dict[str, list[tuple]]) -> dict[str, object]:
    """Provisions, facts by kind and the document's date, from the triples of its graph: what
    the analyses read, in the shapes of :class:`ProvisionInfo` and :class:`FactRow`.

    Independent of the triples' order (a store's read-back order, or the order an ingest wrote
    them): they are sorted first, so records, multi-values and links come in IRI and value order,
    and a property given several values takes the greatest (:func:`triple_order`); a triple listed
    twice (an ingest's list may repeat one, a store holds it once) counts once."""
    (triples,) = graphs.values()
    props: dict[str, dict[str, list]] = defaultdict(dict)  # subject -> predicate -> objects, all sorted
    for s, p, o in dict(sorted((triple_order(t), t) for t in triples)).values():  # each triple once
        objects = props[s].get(p)
        if objects is None:
            props[s][p] = [o]
        else:
            objects.append(o)
    no_props: dict[str, list] = {}

    def values(node: str, name: str) -> list:  # shared: do not modify
        return props.get(node, no_props).get(mkg_term(name), [])

    def first(node: str, name: str):
        found = props.get(node, no_props).get(mkg_term(name))
        return found[-1] if found else None

    def types(node: str) -> set[str]:
        return set(props.get(node, no_props).get(RDF_TYPE, ()))

    doc_ids = {s: str(first(s, "documentId")) for s in props if first(s, "documentId") is not None}
    provisions: dict[str, dict] = {}
    for node in props:
        doc = first(node, "inDocument")
        fields = [first(node, n) for n in ("number", "text", "start", "end")]
        if mkg_term("Provision") not in types(node) or doc not in doc_ids or None in fields:
            continue
        parent = first(node, "parent")
        parent_number = first(parent, "number") if parent is not None else None
        order = first(node, "order")
        provisions[node] = {
            "iri": node, "document": doc_ids[doc], "number": str(fields[0]),
            "heading": str(first(node, "heading") or ""), "text": str(fields[1]),
            "start": int(fields[2]), "end": int(fields[3]), "order": int(order) if order is not None else 0,
            "citation": str(first(node, "citation")) if first(node, "citation") is not None else None,
            "parent": str(parent_number) if parent_number is not None else None,
            "sentences": sorted([int(first(x, "start")), int(first(x, "end"))] for x in values(node, "hasSentence")
                                if first(x, "start") is not None and first(x, "end") is not None),
            "mentions": [], "concepts": sorted(values(node, "mentions")),
        }
    facts: dict[str, list[dict]] = {kind: [] for kind in _KIND_CLASSES}
    for node in props:
        kinds = types(node)
        if mkg_term("Mention") in kinds:
            prov = provisions.get(first(node, "inProvision"))
            start, end = first(node, "start"), first(node, "end")
            for concept in values(node, "refersTo"):
                if prov is not None:
                    prov["concepts"].append(concept)
                    if start is not None and end is not None:
                        prov["mentions"].append([int(start), int(end), concept])
        where = first(node, "inProvision")
        number, doc = (first(where, "number"), first(where, "inDocument")) if where is not None else (None, None)
        if number is None or doc not in doc_ids:
            continue
        for kind, classes in _KIND_IRIS.items():
            if kinds & classes:
                fact: dict = {"iri": node, "provision": where, "document": doc_ids[doc], "number": str(number),
                              "props": {}, "multi": {}}
                for pred, objects in props[node].items():
                    name = pred.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                    if name in _MULTI_PROPS:
                        seen = fact["multi"].setdefault(name, [])
                        seen.extend(x for x in dict.fromkeys(map(str, objects)) if x not in seen)
                    else:
                        fact["props"][name] = _lit_json(objects[-1])
                facts[kind].append(fact)
    for prov in provisions.values():
        prov["concepts"] = sorted(set(prov["concepts"]))
        prov["mentions"].sort()
    links: dict[str, dict[str, list]] = {p: {"mentions": list(prov_values)} for p, prov_values in
                                         ((p, values(p, "mentions")) for p in provisions)}
    for node in props:  # what search facets and expansion read: every statement's links, by provision
        where = first(node, "inProvision")
        if where not in links:
            continue
        for pred, objects in props[node].items():
            name = pred[len(MKG):] if pred.startswith(MKG) else None
            if name in _SEARCH_LINKS:
                slot = links[where].setdefault(name, [])
                slot.extend(x for x in dict.fromkeys(map(str, objects)) if x not in slot)
    issued = {doc_id: first(d, "issued") for d, doc_id in doc_ids.items()}
    parts: dict[str, object] = {"provisions": list(provisions.values()), "links": links,
                                "document": {k: str(v) if v is not None else None for k, v in issued.items()}}
    for kind, rows in facts.items():
        parts[f"facts:{kind}"] = rows
    return parts


def written_records(graph: str, triples: Iterable[tuple]) -> dict[str, object]:
    """A document's records from the rdflib triples an ingest writes to ``graph``: the same as
    derived from the graph read back (order and repeats do not matter to :func:`_derive_document`),
    without reading it. Save them with :func:`keep_written` once the write is committed."""
    memo: dict[int, object] = {}  # by identity: rdflib's hash is slow, and the writer shares terms

    def plain(term):
        value = memo.get(id(term))
        if value is None:
            value = memo[id(term)] = plain_from_rdflib(term)
        return value
    triples = list(triples)  # every term stays alive (so its id stays its own) while converted
    return _derive_document({graph: [(plain(s), plain(p), plain(o)) for s, p, o in triples]})


def keep_written(store: Store, records: Iterable[tuple[str, dict[str, object]]]) -> None:
    """Keep the :func:`written_records` of documents just written, for their graphs' new stamps
    (one query); a graph without a stamp (not written after all) keeps nothing."""
    stamps = store.graph_versions()
    for graph, parts in records:
        if graph in stamps:
            keep(store, DOCUMENT_RECORDS, [graph], [stamps[graph]], parts)


def _decode_document(name: str, value):
    if name == "provisions":
        out = {}
        for d in value:
            info = ProvisionInfo(d["iri"], d["document"], d["number"], d["heading"], d["text"], d["start"],
                                 d["end"], d["order"], d.get("citation"), parent=d["parent"],
                                 sentences=[tuple(x) for x in d["sentences"]],
                                 mentions=[tuple(x) for x in d["mentions"]], concepts=set(d["concepts"]))
            out[info.iri] = info
        return out
    if name.startswith("facts:"):
        return _fact_rows(name.split(":", 1)[1], value)
    return value


def number_key(number: str) -> tuple:
    """Provision numbers in reading order: 7.2 < 7.2-1 (第二条之一, inserted by an amendment) < 7.3."""
    return tuple(tuple(int(x) if x.isdigit() else 0 for x in part.split("-")) for part in number.split("."))


@dataclass
class FactRow:
    """One extracted fact of any kind, with every property it has (missing ones None)."""

    iri: str
    kind: str  # task | target | responsibility | deontic
    provision: str
    document: str
    number: str
    text: str
    start: int
    end: int
    props: dict[str, object] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def get(self, name: str, default=None):
        v = self.props.get(name)
        return default if v is None else v


_KIND_CLASSES = {
    "task": "mkg:Task",
    "target": "mkg:QuantitativeTarget",
    "responsibility": "mkg:Responsibility",
    "deontic": "mkg:DeonticStatement",
    "baseline": "mkg:Baseline",
    "funding": "mkg:FundingRule",
    "time_limit": "mkg:TimeLimit",
}
_DEONTIC_SUBCLASSES = {"Obligation": "obligation", "Prohibition": "prohibition",
                       "Encouragement": "encouragement", "Permission": "permission",
                       "Exploration": "exploration"}

_KIND_IRIS = {kind: {mkg_term(cls.split(":", 1)[1])} for kind, cls in _KIND_CLASSES.items()}
_KIND_IRIS["deontic"] |= {mkg_term(sub) for sub in _DEONTIC_SUBCLASSES}
_MULTI_PROPS = {"concerns", "mentions", "type", "refersTo", "actor"}
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_SEARCH_LINKS = set(FACT_LINKS) - {"mentions"}  # statements' links; a provision's own mentions are read apart


def load_facts(store: Store, kind: str, document: str | None = None) -> list[FactRow]:
    """Every fact of one kind with all its properties; multi-valued ones (concerns) in ``multi``.

    The rows are shared between calls until the store changes: read them, do not modify them."""
    def merge() -> list[FactRow]:
        return [row for rows in document_parts(store, f"facts:{kind}", document) for row in rows]
    return list(cached(store, ("facts", kind, document), merge))


def _fact_rows(kind: str, encoded: list[dict]) -> list[FactRow]:
    """Fact records of one document as :class:`FactRow`, literals as Python values, in text order."""
    out = []
    for d in encoded:
        row = FactRow(d["iri"], kind, d["provision"], d["document"], d["number"], "", 0, 0)
        props = row.props
        for name, v in d["props"].items():  # a literal's Python value (an ill-typed one keeps its text)
            if v.__class__ is list:
                text, datatype = v
                props[name] = text if datatype is None else int(text) if datatype == _XSD_INTEGER \
                    else literal_python(text, datatype)
            else:
                props[name] = v
        for name, vs in d["multi"].items():
            row.multi[name] = list(vs)
        row.text = str(row.props.get("text", ""))
        row.start = _int(row.props.get("start")) or 0
        row.end = _int(row.props.get("end")) or 0
        if kind == "deontic" and not row.props.get("modality"):
            for t in row.multi.get("type", []):
                m = _DEONTIC_SUBCLASSES.get(t.rsplit("#", 1)[-1])
                if m:
                    row.props["modality"] = m
        out.append(row)
    out.sort(key=lambda f: (f.document, f.start, f.end, f.iri))
    return out


def as_number(value) -> int | float | None:
    """A Decimal/float/int as an int when whole, else a float (JSON-friendly)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except Exception:  # noqa: BLE001 - not a number: no value
            return None
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def document_dates(store: Store) -> dict[str, str | None]:
    """Issue date (ISO) of every ingested document, by id."""
    return {doc_id: issued for dates in document_parts(store, "document") for doc_id, issued in dates.items()}


DOCUMENT_RECORDS = Deriver("document", _derive_document, _decode_document)
