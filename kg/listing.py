"""Listings of what the store holds: documents and provisions (the foundation's JSON contract)."""

from __future__ import annotations

from rdflib import Literal

from metrokg.errors import MetrokgError
from metrokg.kg.search import load_provisions
from metrokg.kg.store import Store

DOCUMENTS_QUERY = """
PREFIX mkg: <https://w3id.org/metrokg/ontology#>
SELECT ?id ?title ?issuer ?date (COUNT(DISTINCT ?p) AS ?provisions)
       (GROUP_CONCAT(DISTINCT ?impl; separator="\\u001f") AS ?implements) WHERE {
  ?d mkg:documentId ?id ; mkg:title ?title .
  OPTIONAL { ?d mkg:issuerName ?issuer }
  OPTIONAL { ?d mkg:issued ?date }
  OPTIONAL { ?p mkg:inDocument ?d ; a mkg:Provision }
  OPTIONAL { ?d mkg:implements ?w . ?w mkg:title ?impl }
} GROUP BY ?id ?title ?issuer ?date ORDER BY ?id
"""


def list_documents(store: Store) -> list[dict]:
    """Every ingested document with its metadata and provision count."""
    out = []
    for r in store.query(DOCUMENTS_QUERY):
        implements = [t for t in str(r.implements or "").split("\u001f") if t]
        out.append({"id": str(r.id), "title": str(r.title),
                    "issuer": str(r.issuer) if r.issuer else None,
                    "date": str(r.date) if r.date else None,
                    "implements": sorted(implements), "provisions": int(r.provisions)})
    return out


def document_ids(store: Store) -> set[str]:
    return {d["id"] for d in list_documents(store)}


def check_document(store: Store, doc_id: str | None) -> None:
    """Raise E010 when ``doc_id`` is given but not in the store."""
    if doc_id is not None and doc_id not in document_ids(store):
        raise MetrokgError("E010", doc_id=doc_id)


def list_provisions(store: Store, document: str | None = None) -> list[dict]:
    """Provisions in document order, optionally of one document."""
    check_document(store, document)
    return [r.public() for r in load_provisions(store, document)]


def document_text(store: Store, doc_id: str) -> str:
    """The normalised full text of a document (what offsets point into)."""
    rows = list(store.query(
        "PREFIX mkg: <https://w3id.org/metrokg/ontology#> "
        "SELECT ?t WHERE { ?d mkg:documentId ?id ; mkg:fullText ?t }", {"id": Literal(doc_id)}))
    if not rows:
        raise MetrokgError("E010", doc_id=doc_id)
    return str(rows[0][0])
