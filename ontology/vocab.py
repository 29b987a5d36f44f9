"""Load the ontology and its SKOS vocabularies, and look concepts up by label.

The extraction pipeline builds its entity patterns from :func:`concepts`, and search
expands queries with :func:`expand_label`; both read the Turtle files shipped in
``ontology/`` so that the vocabulary has one source of truth.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from metrokg.ontology import turtle_files
from metrokg.ontology.namespace import BASE, MKG

CONCEPT_BASE = BASE + "id/"
_lock = threading.Lock()


@dataclass(frozen=True)
class Concept:
    """One SKOS concept of a metrokg vocabulary, flattened for pattern building and search."""

    iri: str
    scheme: str
    pref_zh: str
    pref_en: str
    alt_labels: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    symbol: str | None = None
    definition_zh: str | None = None
    definition_en: str | None = None
    note_zh: str | None = None
    note_en: str | None = None

    @property
    def labels(self) -> list[str]:
        """Every label: preferred (zh, en) first, then the synonyms."""
        out = [self.pref_zh, self.pref_en]
        out += [a for a in self.alt_labels if a not in out]
        return [x for x in out if x]


def scheme_of(iri: str) -> str | None:
    """The scheme name (``unit``, ``quantity``...) of a concept IRI, or None for other IRIs."""
    if not iri.startswith(CONCEPT_BASE):
        return None
    rest = iri[len(CONCEPT_BASE):]
    return rest.split("/", 1)[0] if "/" in rest else None


def _load() -> Graph:
    g = Graph()
    for path in turtle_files():
        g.parse(path, format="turtle")
    for prefix, ns in (("mkg", MKG._NS), ("skos", SKOS)):
        g.bind(prefix, ns)
    return g


@lru_cache(maxsize=1)
def _cached() -> Graph:
    return _load()


def load_ontology() -> Graph:
    """Every Turtle file in ``ontology/`` merged into one graph, parsed once per process.

    The graph is shared: treat it as read-only (copy it before adding triples).
    """
    with _lock:
        return _cached()


def _text(graph: Graph, s: URIRef, p: URIRef, lang: str | None) -> str | None:
    for o in graph.objects(s, p):
        if isinstance(o, Literal) and (lang is None or o.language == lang):
            return str(o)
    return None


@lru_cache(maxsize=1)
def _all_concepts() -> tuple[Concept, ...]:
    g = load_ontology()
    out = []
    for s in sorted(set(g.subjects(RDF.type, SKOS.Concept))):
        if not isinstance(s, URIRef):
            continue
        scheme = scheme_of(str(s))
        if scheme is None:
            continue
        alts: list[str] = []
        for o in sorted(g.objects(s, SKOS.altLabel), key=lambda o: (o.language or "", str(o))):
            if str(o) not in alts:
                alts.append(str(o))
        out.append(Concept(
            iri=str(s),
            scheme=scheme,
            pref_zh=_text(g, s, SKOS.prefLabel, "zh") or "",
            pref_en=_text(g, s, SKOS.prefLabel, "en") or "",
            alt_labels=alts,
            broader=sorted(str(o) for o in g.objects(s, SKOS.broader))
            + sorted(str(o) for o in g.objects(s, MKG.discipline)),
            types=sorted(str(o) for o in g.objects(s, RDF.type) if o != SKOS.Concept),
            symbol=_text(g, s, MKG.symbol, None),
            definition_zh=_text(g, s, SKOS.definition, "zh"),
            definition_en=_text(g, s, SKOS.definition, "en"),
            note_zh=_text(g, s, SKOS.scopeNote, "zh"),
            note_en=_text(g, s, SKOS.scopeNote, "en"),
        ))
    return tuple(out)


def concepts(scheme: str | None = None) -> list[Concept]:
    """Concepts of one scheme (``unit``, ``quantity``, ``industry``...) or of all schemes."""
    allc = _all_concepts()
    return [c for c in allc if scheme is None or c.scheme == scheme]


def schemes() -> list[str]:
    """Names of the concept schemes that have at least one concept."""
    return sorted({c.scheme for c in _all_concepts()})


@lru_cache(maxsize=1)
def _by_iri() -> dict[str, Concept]:
    return {c.iri: c for c in _all_concepts()}


def concept(iri: str) -> Concept | None:
    """The concept with this IRI, or None."""
    return _by_iri().get(str(iri))


def _norm(label: str) -> str:
    return " ".join(label.split()).casefold()


@lru_cache(maxsize=1)
def _label_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for c in _all_concepts():
        for label in c.labels:
            index.setdefault(_norm(label), [])
            if c.iri not in index[_norm(label)]:
                index[_norm(label)].append(c.iri)
    return {k: tuple(v) for k, v in index.items()}


def lookup(label: str, scheme: str | None = None) -> list[Concept]:
    """Concepts with this exact label (preferred or alternative, any language; case-insensitive)."""
    hits = [_by_iri()[i] for i in _label_index().get(_norm(label), ())]
    return [c for c in hits if scheme is None or c.scheme == scheme]


def narrower_closure(iri: str) -> list[Concept]:
    """The concept and everything below it (skos:broader or mkg:discipline, transitively)."""
    below: dict[str, list[str]] = {}
    for c in _all_concepts():
        for b in c.broader:
            below.setdefault(b, []).append(c.iri)
    seen, todo = [str(iri)], [str(iri)]
    while todo:
        for child in below.get(todo.pop(), []):
            if child not in seen:
                seen.append(child)
                todo.append(child)
    return [c for c in (concept(i) for i in seen) if c is not None]


def expand_label(term: str) -> list[str]:
    """Every label of every concept the term names, and of the concepts below them.

    ``expand_label("力学")`` gives 力学 and the labels of mechanical quantities such as
    扭矩/转矩; search uses it to widen a query.
    """
    out: list[str] = []
    for c in lookup(term):
        for n in narrower_closure(c.iri):
            for label in n.labels:
                if label not in out:
                    out.append(label)
    return out


def label(iri: str, lang: str = "zh") -> str:
    """Preferred label of a concept, class or property in ``lang`` (falls back to the IRI's tail)."""
    c = concept(iri)
    if c is not None:
        return (c.pref_zh if lang == "zh" else c.pref_en) or c.pref_zh or c.pref_en
    from rdflib.namespace import RDFS

    g = load_ontology()
    text = _text(g, URIRef(iri), RDFS.label, lang)
    return text or str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
