"""The store serialised in standard RDF formats, with metrokg's prefixes (mkg:, skos:, qudt:, ...)."""

from __future__ import annotations

from rdflib import Dataset, Graph, Namespace

from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import DOC, ID, MKS


def prefixes() -> list[tuple[str, Namespace]]:
    """The prefixes the shipped Turtle declares (mkg:, skos:, unit:, eli: ...) and metrokg's own
    IRI spaces (mks: bookkeeping, id: concepts, doc: documents), so an export reads ``mkg:title``,
    never ``ns1:title``."""
    from metrokg.ontology.vocab import load_ontology

    out = [(p, Namespace(str(ns))) for p, ns in load_ontology().namespaces() if p]
    return out + [("mks", Namespace(str(MKS._NS))), ("id", Namespace(ID)), ("doc", Namespace(DOC))]


def bound(graph: Graph) -> Graph:
    """``graph`` with :func:`prefixes` bound (replacing rdflib's generated ``ns1:``)."""
    for prefix, ns in prefixes():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def export_graph(store: Store, fmt: str) -> bytes:
    """``nq``/``trig`` keep named graphs (streamed by the store); ``ttl``/``jsonld`` merge them."""
    if fmt in ("nq", "trig"):
        return store.dump(fmt)
    if fmt == "ttl":
        return bound(store.union_graph()).serialize(format="turtle").encode("utf-8")
    ds = Dataset()
    for iri in store.graph_iris():
        g = ds.graph(iri)
        for t in store.graph_triples(iri):
            g.add(t)
    return bound(ds).serialize(format="json-ld").encode("utf-8")
