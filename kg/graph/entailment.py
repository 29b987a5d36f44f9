"""Materialise the few entailments that SPARQL users need, at build time.

A full OWL-RL closure (owlrl) of the ontology plus a corpus takes seconds and adds
thousands of uninteresting triples. metrokg needs three rules only, so they are
computed directly:

* class membership: ``x a C`` and ``C rdfs:subClassOf+ D`` (or ``owl:equivalentClass``)
  give ``x a D`` — so a fact whose actor is 市场监督管理局 is found when asking for
  政府机构 (mkg:GovernmentBody);
* sub-properties: ``s p o`` and ``p rdfs:subPropertyOf+ q`` give ``s q o`` — so
  ``mkg:discipline`` links become ``skos:broader`` links;
* ``skos:broader`` (and inverted ``skos:narrower``) closed transitively as
  ``skos:broaderTransitive`` — so 扭矩 is found among 力学 quantities.

:func:`closure` returns only the new triples; the store keeps them in their own
named graph (:data:`~metrokg.ontology.namespace.INFERRED_GRAPH`) so they can be dropped and
recomputed; :func:`ontology_entailments` and :func:`ontology_schema` are the shipped ontology's,
computed once per process, for the corpus build and for every ingested document.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from metrokg.ontology.vocab import load_ontology


def _ancestors(edges: dict[URIRef, set[URIRef]]) -> dict[URIRef, set[URIRef]]:
    """Transitive closure of a parent map (cycles are tolerated)."""
    memo: dict[URIRef, set[URIRef]] = {}

    def walk(node: URIRef) -> set[URIRef]:
        if node in memo:
            return memo[node]
        out: set[URIRef] = set()
        stack = list(edges.get(node, ()))
        while stack:
            parent = stack.pop()
            if parent in out or parent == node:
                continue
            out.add(parent)
            if parent in memo:
                out |= memo[parent]
            else:
                stack.extend(edges.get(parent, ()))
        out.discard(node)
        memo[node] = out
        return out

    return {n: walk(n) for n in list(edges)}


def _superclasses(graph: Graph) -> dict[URIRef, set[URIRef]]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for c, d in graph.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(d, URIRef) and d != OWL.Thing:
            parents[c].add(d)
    for c, d in graph.subject_objects(OWL.equivalentClass):
        if isinstance(c, URIRef) and isinstance(d, URIRef):
            parents[c].add(d)
            parents[d].add(c)
    return _ancestors(parents)


def _superproperties(graph: Graph) -> dict[URIRef, set[URIRef]]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for p, q in graph.subject_objects(RDFS.subPropertyOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            parents[p].add(q)
    return _ancestors(parents)


def closure(graph: Graph) -> Graph:
    """The inferred triples (and only those) for a data + ontology graph."""
    new = Graph()
    supers = _superclasses(graph)
    for s, c in graph.subject_objects(RDF.type):
        for d in supers.get(c, ()):
            if (s, RDF.type, d) not in graph:
                new.add((s, RDF.type, d))

    superprops = _superproperties(graph)
    for p, qs in superprops.items():
        for s, o in graph.subject_objects(p):
            for q in qs:
                if (s, q, o) not in graph:
                    new.add((s, q, o))

    broader: dict[URIRef, set[URIRef]] = defaultdict(set)
    for source in (graph, new):
        for s, o in source.subject_objects(SKOS.broader):
            if not isinstance(s, BNode) and not isinstance(o, BNode):
                broader[s].add(o)
        for s, o in source.subject_objects(SKOS.narrower):
            if not isinstance(s, BNode) and not isinstance(o, BNode):
                broader[o].add(s)
                if (o, SKOS.broader, s) not in graph:
                    new.add((o, SKOS.broader, s))
    for s, ancestors in _ancestors(broader).items():
        for o in ancestors:
            if (s, SKOS.broaderTransitive, o) not in graph:
                new.add((s, SKOS.broaderTransitive, o))
    return new


_SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, SKOS.broader, SKOS.narrower}


class Schema:
    """An ontology's class and property hierarchies, computed once, to close documents against.

    :meth:`entailments` gives what :func:`closure` of ontology + document adds beyond the
    ontology's own entailments, without merging the ontology into every document's graph.
    """

    def __init__(self, ontology: Graph):
        self.ontology = ontology
        self.supers = _superclasses(ontology)
        self.superprops = _superproperties(ontology)
        self.known = set(ontology) | set(closure(ontology))
        self._hierarchy = {p for p, qs in self.superprops.items() if qs & _SCHEMA_PREDICATES} | _SCHEMA_PREDICATES

    def entailments(self, triples: list) -> list:
        """Inferred triples about a document's own nodes (class membership, super-properties)."""
        if any(p in self._hierarchy for _, p, _ in triples):  # the document extends the hierarchy itself
            merged = Graph()
            for t in self.ontology:
                merged.add(t)
            for t in triples:
                merged.add(t)
            return [t for t in closure(merged) if t not in self.known]
        have = set(triples)
        out: dict = {}
        for s, p, o in triples:
            if p == RDF.type:
                for d in self.supers.get(o, ()):
                    out[(s, RDF.type, d)] = None
            for q in self.superprops.get(p, ()):
                out[(s, q, o)] = None
        return [t for t in out if t not in have and t not in self.known]


@lru_cache(maxsize=1)
def ontology_entailments() -> Graph:
    """What the shipped ontology alone entails (class hierarchy, broader-transitive concepts)."""
    return closure(load_ontology())


@lru_cache(maxsize=1)
def ontology_schema() -> Schema:
    """The shipped ontology's hierarchies, to close each ingested document against."""
    return Schema(load_ontology())
