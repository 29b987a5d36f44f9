"""Listings of what the store holds: documents and provisions (the foundation's JSON contract)."""

from __future__ import annotations

from rdflib import Literal

from metrokg.errors import MetrokgError
from metrokg.kg.records.factview import document_graphs
from metrokg.kg.records.titles import implemented_titles
from metrokg.kg.search.index import load_provisions
from metrokg.kg.store.base import Store
from metrokg.nlp.structure.metadata import KIND_CLASSES
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
DOCUMENT_KIND_QUERY = MKG_PREFIX + """
SELECT ?d ?cls ?effective WHERE {
  ?d mkg:documentId ?id .
  OPTIONAL { ?d a ?cls . VALUES ?cls { %s } }
  OPTIONAL { ?d mkg:effective ?effective }
}
""" % " ".join(f"mkg:{c}" for c in KIND_CLASSES.values())
DOCUMENT_VERSIONS_QUERY = MKG_PREFIX + """
SELECT ?d ?order ?date ?event ?body ?decision WHERE {
  ?d mkg:hasVersion ?v . ?v mkg:order ?order ; mkg:versionEvent ?event .
  OPTIONAL { ?v mkg:versionDate ?date } OPTIONAL { ?v mkg:versionBody ?body }
  OPTIONAL { ?v mkg:amendingDecision ?decision }
}
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
    for d, _doc_id, impl in implemented_titles(store):
        implements.setdefault(d, set()).add(impl)
    kinds, versions = _kinds_and_versions(store)
    out = []
    for (doc_id, title, issuer, date), nodes in groups.items():
        titles = set().union(*(implements.get(str(d), set()) for d in nodes))
        node = min(nodes)
        out.append({"id": doc_id, "title": title, "issuer": issuer, "date": date,
                    "kind": kinds.get(node, (None, None))[0], "effective": kinds.get(node, (None, None))[1],
                    "versions": versions.get(node, []),
                    "implements": sorted(t for x in titles for t in x.split("\u001f") if t),
                    "provisions": len(set().union(*(provisions.get(d, set()) for d in nodes)))})
    out.sort(key=lambda r: r["id"])
    return out


def _kinds_and_versions(store: Store) -> tuple[dict, dict]:
    """Per document node: (legal kind code, effective date), and its versions in order."""
    code = {c: k for k, c in KIND_CLASSES.items()}
    kinds: dict = {}
    for d, cls, effective in store.rows(DOCUMENT_KIND_QUERY):
        kind = code.get(str(cls).rsplit("#", 1)[-1]) if cls else None
        old = kinds.get(d, (None, None))
        kinds[d] = (old[0] or kind, old[1] or (str(effective) if effective else None))
    versions: dict = {}
    for d, _order, date, event, body, decision in sorted(store.rows(DOCUMENT_VERSIONS_QUERY),
                                                        key=lambda r: int(r[1])):
        versions.setdefault(d, []).append({"date": str(date) if date else None, "event": str(event),
                                           "body": str(body) if body else None,
                                           "decision": str(decision) if decision else None})
    return kinds, versions


def document_ids(store: Store) -> set[str]:
    return {d["id"] for d in list_documents(store)}


def check_document(store: Store, doc_id: str | None) -> None:
    """Raise E010 when ``doc_id`` is given but not in the store."""
    if doc_id is not None and (doc_id not in document_graphs(store)
                               or not store.rows(DOCUMENT_EXISTS_QUERY, {"id": Literal(doc_id)})):
        raise MetrokgError("E010", doc_id=doc_id)


def list_provisions(store: Store, document: str | None = None) -> list[dict]:
    """Provisions in document order, optionally of one document; each with ``cites``: the
    citations in its text and, where the store holds it, the provision each opens."""
    from metrokg.kg.graph.citations import citation_links, held_unit

    check_document(store, document)
    records = load_provisions(store, document)
    where = {r.iri: (r.document, r.number) for r in load_provisions(store)}
    cites: dict[str, list[dict]] = {}
    for link in citation_links(store, document):
        unit = held_unit(link.target, where)  # a part opens its article
        opens = where[unit] if unit else None
        cites.setdefault(link.provision, []).append({
            "start": link.start, "end": link.end, "text": link.text, "citation": link.citation,
            "target": link.target, "document": opens[0] if opens else link.target_document,
            "number": opens[1] if opens else None})
    return [{**r.public(), "cites": cites.get(r.iri, [])} for r in records]


def document_text(store: Store, doc_id: str) -> str:
    """The normalised full text of a document (what offsets point into)."""
    rows = list(store.query(
        MKG_PREFIX + " "
        "SELECT ?t WHERE { ?d mkg:documentId ?id ; mkg:fullText ?t }", {"id": Literal(doc_id)}))
    if not rows:
        raise MetrokgError("E010", doc_id=doc_id)
    return str(rows[0][0])
