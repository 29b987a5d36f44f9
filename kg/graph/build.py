"""Build the knowledge graph from the shipped corpus and the ontology (idempotent)."""

from __future__ import annotations

from typing import Callable

from rdflib import Graph

from metrokg.corpus import corpus_dir, manifest
from metrokg.kg.graph.entailment import ontology_entailments
from metrokg.kg.graph.ingest import IngestResult, prepare, write_documents
from metrokg.kg.store.base import Store, same_triples
from metrokg.nlp.structure.document import ParsedDocument
from metrokg.ontology.namespace import INFERRED_GRAPH, ONTOLOGY_GRAPH
from metrokg.ontology.vocab import load_ontology

Progress = Callable[[str], None]


def ontology_graph() -> Graph:
    """The ontology and vocabularies as shipped (every Turtle file merged)."""
    return load_ontology()


def load_ontology_into(store: Store) -> str:
    """Put the ontology in its named graph and its entailments in the inferred graph.

    Returns 'added', 'replaced' or 'unchanged'.
    """
    triples = set(ontology_graph())
    existing = set(store.graph_triples(ONTOLOGY_GRAPH)) if ONTOLOGY_GRAPH in store.graph_iris() else None
    if existing is not None and same_triples(existing, triples):
        return "unchanged"
    store.replace_graphs({ONTOLOGY_GRAPH: triples, INFERRED_GRAPH: set(ontology_entailments())})
    return "added" if existing is None else "replaced"


def corpus_documents() -> list[ParsedDocument]:
    """The shipped documents, parsed, with the manifest's metadata taking precedence."""
    docs = []
    for entry in manifest():
        doc = prepare(corpus_dir() / entry["file"], doc_id=entry["id"], title=entry.get("title"))
        doc.issuer = entry.get("issuer") or doc.issuer
        doc.date = entry.get("date") or doc.date
        doc.doc_type = entry.get("type") or doc.doc_type
        doc.language = entry.get("language", doc.language)
        doc.implements = entry.get("implements") or doc.implements
        docs.append(doc)
    return docs


def build(store: Store, progress: Progress | None = None) -> list[IngestResult]:
    """Load the ontology and ingest every corpus document; a second run changes nothing."""
    if progress:
        progress("ontology")
    status = load_ontology_into(store)
    results = [IngestResult("ontology", "metrokg ontology and vocabularies", status)]
    results += write_documents(store, corpus_documents(), progress)
    return results
