"""The documents a document implements, resolved at read time against what the store holds.

At ingest a document's ``implements`` names a work by title (贯彻落实《…》); when the parent was
not in the store yet, or is cited with its issuer in front (湖北省人民政府关于…), that work is a
stub. Reading resolves each title to an ingested document by its title, its short title (the
title without the issuer in front, or a short name the store records) or its 文号, so the link
holds whichever document was ingested first.
"""

from __future__ import annotations

from rdflib import Literal

from metrokg.kg.records.listing import list_documents
from metrokg.kg.records.titles import DOCNO_TITLE, fold, implemented_titles, resolve_title, title_names
from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import MKG_PREFIX

DOCUMENT_NAMES_QUERY = MKG_PREFIX + """
SELECT ?id ?name WHERE { ?d mkg:documentId ?id . { ?d mkg:documentNumber ?name } UNION { ?d mkg:shortName ?name } }
"""
DOCUMENT_NODE_QUERY = MKG_PREFIX + "SELECT ?d WHERE { ?d mkg:documentId ?id }"


def _names(store: Store, docs: list[dict] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Folded name → [(document id, how it matched)] for every ingested document (``docs``: the
    store's :func:`list_documents` rows, when the caller has them)."""
    docs = list_documents(store) if docs is None else docs
    out = title_names((d["id"], d["title"]) for d in docs)
    live = {d["id"] for d in docs}
    for doc_id, name in store.rows(DOCUMENT_NAMES_QUERY):
        if str(doc_id) in live:
            how = "文号" if DOCNO_TITLE.match(fold(str(name))) else "short title"
            out.setdefault(fold(str(name)), []).append((str(doc_id), how))
    return out


def parent_documents(store: Store, doc_id: str) -> list[dict]:
    """What ``doc_id`` implements: one ``{"title", "document", "matched_by", "document_title"}`` per cited
    title, resolved to a document (and its title) when held."""
    titles: list[str] = []
    nodes = {str(r[0]) for r in store.rows(DOCUMENT_NODE_QUERY, {"id": Literal(doc_id)})}
    for d, _doc_id, impl in implemented_titles(store):
        if d in nodes:
            titles += [t for t in impl.split("\u001f") if t and t not in titles]
    if not titles:
        return []
    return _resolver(store, list_documents(store))(sorted(titles), doc_id)


def with_parents(store: Store, docs: list[dict]) -> list[dict]:
    """The :func:`list_documents` rows, each with ``parents``: its ``implements`` titles resolved, one
    ``{"title", "document", "document_title", "matched_by"}`` per cited title (document and its title
    None when the store does not hold it), so a stub title points to the parent the store holds."""
    resolve = _resolver(store, docs)
    return [{**d, "parents": resolve(d.get("implements") or [], d["id"])} for d in docs]


def _resolver(store: Store, docs: list[dict]):
    """A function (titles, own id) → the resolved entries with the held document's title."""
    names, held = _names(store, docs), {d["id"]: d["title"] for d in docs}
    return lambda titles, own: [{**p, "document_title": held.get(p["document"])}
                                for p in (resolve_title(names, title, own) for title in titles)]
