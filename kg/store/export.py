"""The store serialised in standard RDF formats."""

from __future__ import annotations

from rdflib import Dataset

from metrokg.kg.store.base import Store


def export_graph(store: Store, fmt: str) -> bytes:
    """``nq``/``trig`` keep named graphs (streamed by the store); ``ttl``/``jsonld`` merge them."""
    if fmt in ("nq", "trig"):
        return store.dump(fmt)
    if fmt == "ttl":
        return store.union_graph().serialize(format="turtle").encode("utf-8")
    ds = Dataset()
    for iri in store.graph_iris():
        g = ds.graph(iri)
        for t in store.graph_triples(iri):
            g.add(t)
    return ds.serialize(format="json-ld").encode("utf-8")
