"""Listings of what the store holds: documents and provisions (the foundation's JSON contract)."""

from __future__ import annotations

from rdflib import Literal

from metrokg.errors import MetrokgError
from metrokg.kg.records.factview import document_graphs
from metrokg.kg.search.index import load_provisions
from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import MKG_PREFIX

# One query per part, joined here: Oxigraph evaluated the single grouped query with its
# OPTIONAL provision join in seconds on a national store, the parts take milliseconds.
DOCUMENTS_QUERY = MKG_PREFIX + """
SELECT ?d ?id ?title ?issuer ?date WHERE {
  ?d mkg:documentId ?id ; mkg:title ?title .
  OPTIONAL { ?d mkg:issuerName ?issuer }
  OPTIONAL { ?d mkg:issued ?date }
}
"""
DOCUMENT_PROVISIONS_QUERY = MKG_PREFIX + """
SELECT ?d ?p WHERE { ?p mkg:inDocument ?d ; a mkg:Provision }
"""
DOCUMENT_IMPLEMENTS_QUERY = MKG_PREFIX + """
SELECT ?d ?impl WHERE { ?d mkg:implements ?w . ?w mkg:title ?impl }
"""
DOCUMENT_EXISTS_QUERY = MKG_PREFIX + """
SELECT ?d WHERE { ?d mkg:documentId ?id ; mkg:title ?title } LIMIT 1
"""


def list_documents(store: Store) -> list[dict]:
    """Every ingested document with its metadata and provision count, by id.

    One entry per (id, title, issuer, date), as a GROUP BY over them would give. Documents that an
    interrupted bulk load left pending are not listed: a reader opens the store read-only and cannot
    drop them (the next writer does), so it skips them as every view does."""
    live = document_graphs(store)
    groups: dict[tuple, set[str]] = {}
    for d, doc_id, title, issuer, date in store.rows(DOCUMENTS_QUERY):
        if str(doc_id) not in live:
            continue
        groups.setdefault((str(doc_id), str(title), str(issuer) if issuer else None,
                           str(date) if date else None), set()).add(d)
    provisions: dict[str, set[str]] = {}
    for d, p in store.rows(DOCUMENT_PROVISIONS_QUERY):
        provisions.setdefault(d, set()).add(p)
    implements: dict[str, set[str]] = {}
    for d, impl in store.rows(DOCUMENT_IMPLEMENTS_QUERY):
        implements.setdefault(d, set()).add(str(impl))
    out = []
    for (doc_id, title, issuer, date), nodes in groups.items():
        titles = set().union(*(implements.get(d, set()) for d in nodes))
        out.append({"id": doc_id, "title": title, "issuer": issuer, "date": date,
                    "implements": sorted(t for x in titles for t in x.split("\u001f") if t),
                    "provisions": len(set().union(*(provisions.get(d, set()) for d in nodes)))})
    out.sort(key=lambda r: r["id"])
    return out


def document_ids(store: Store) -> set[str]:
    return {d["id"] for d in list_documents(store)}


def check_document(store: Store, doc_id: str | None) -> None:
    """Raise E010 when ``doc_id`` is given but not in the store."""
    if doc_id is not None and (doc_id not in document_graphs(store)
                               or not store.rows(DOCUMENT_EXISTS_QUERY, {"id": Literal(doc_id)})):
        raise MetrokgError("E010", doc_id=doc_id)


def list_provisions(store: Store, document: str | None = None) -> list[dict]:
    """Provisions in document order, optionally of one document."""
    check_document(store, document)
    return [r.public() for r in load_provisions(store, document)]


def document_text(store: Store, doc_id: str) -> str:
    """The normalised full text of a document (what offsets point into)."""
    rows = list(store.query(
        MKG_PREFIX + " "
        "SELECT ?t WHERE { ?d mkg:documentId ?id ; mkg:fullText ?t }", {"id": Literal(doc_id)}))
    if not rows:
        raise MetrokgError("E010", doc_id=doc_id)
    return str(rows[0][0])
