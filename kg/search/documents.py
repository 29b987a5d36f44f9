"""What search shows and filters of each document: title, kind, jurisdiction and year.

Hits are grouped under their document's title, and the facets ``kind`` (law, plan, ... as the
documents listing codes it), ``jurisdiction`` (the administrative division the title or the
issuer names, or 全国 for national texts) and ``issued`` (the year of issue) filter them. Read
once from the graph when the search index is built and kept in it.
"""

from __future__ import annotations

from functools import lru_cache

from metrokg.kg.records.titles import implemented_titles, resolve_title, title_names
from metrokg.kg.store.base import Store
from metrokg.nlp.structure.metadata import KIND_CLASSES
from metrokg.ontology.namespace import MKG_PREFIX

NATIONAL = "全国"
#: search filters on a hit's document
DOCUMENT_FACETS = ("kind", "jurisdiction", "issued")
_NATIONAL_CUES = ("中华人民共和国", "国务院", "全国人民代表大会", "市场监管总局", "国家市场监督管理总局", "国防科工委")
_LEVEL_RANK = {"county": 0, "city": 1, "province": 2}


@lru_cache(maxsize=1)
def _division_names() -> tuple:
    from metrokg.ontology.divisions import divisions

    return tuple(sorted(((d.name, d) for d in divisions() if len(d.name) >= 2),
                        key=lambda nd: (_LEVEL_RANK.get(nd[1].level, 3), -len(nd[0]))))


def jurisdiction(title: str, issuer: str | None) -> tuple[str | None, str | None]:
    """(division, its province) the title or issuer names, the most local one first; (全国, 全国)
    for a national text; (None, None) when neither says."""
    from metrokg.ontology.divisions import province_of

    text = f"{title} {issuer or ''}"
    for name, d in _division_names():
        if name in text:
            return name, province_of(d).name
    if any(c in text for c in _NATIONAL_CUES):
        return NATIONAL, NATIONAL
    return None, None


#: the documents as the listing reads them (kg/records/listing.py imports the search index, so its
#: query is not imported here): id, title, issuer, date and legal-kind class
FACETS_QUERY = MKG_PREFIX + """
SELECT ?id ?title ?issuer ?date ?cls WHERE {
  ?d mkg:documentId ?id ; mkg:title ?title .
  OPTIONAL { ?d mkg:issuerName ?issuer }
  OPTIONAL { ?d mkg:issued ?date }
  OPTIONAL { ?d a ?cls . VALUES ?cls { %s } }
}
""" % " ".join(f"mkg:{c}" for c in KIND_CLASSES.values())


#: documents that are not law: what one is made under does not restate it article by article
_NOT_LAW = (None, "normative_document")


def document_facets(store: Store) -> dict[str, dict]:
    """Per document id: title, kind (the listing's legal-kind code), jurisdiction, province and
    year of issue; a law or regulation also ``made_under``, the stored laws it is made under."""
    code = {c: k for k, c in KIND_CLASSES.items()}
    out: dict[str, dict] = {}
    for doc_id, title, issuer, date, cls in sorted(store.rows(FACETS_QUERY), key=lambda r: tuple(map(str, r))):
        meta = out.get(str(doc_id))
        kind = code.get(str(cls).rsplit("#", 1)[-1]) if cls else None
        if meta is not None:
            meta["kind"] = meta["kind"] or kind
            continue
        place, province = jurisdiction(str(title), str(issuer) if issuer else None)
        day = str(date) if date else ""
        out[str(doc_id)] = {"title": str(title), "kind": kind, "jurisdiction": place, "province": province,
                            "year": int(day[:4]) if day[:4].isdigit() else None}
    _add_made_under(store, out)
    return out


def _add_made_under(store: Store, facets: dict[str, dict]) -> None:
    """``made_under`` of each law or regulation: the stored laws its ``implements`` titles name
    (根据《中华人民共和国计量法》…制定本细则), matched by title as the documents listing matches them."""
    names = title_names((doc_id, meta["title"]) for doc_id, meta in facets.items() if meta["kind"] not in _NOT_LAW)
    for _node, doc_id, work in implemented_titles(store):
        meta = facets.get(doc_id)
        if meta is None or meta["kind"] in _NOT_LAW:
            continue
        parent = resolve_title(names, work, doc_id)["document"]
        if parent is not None and parent not in meta.setdefault("made_under", []):
            meta["made_under"].append(parent)


def matches(meta: dict, facet: str, value: str) -> bool:
    """Whether a document's facets pass one filter (``jurisdiction`` also matches its province,
    ``issued`` the year)."""
    v = str(value).strip()
    if facet == "kind":
        return (meta.get("kind") or "") == v
    if facet == "jurisdiction":
        return v in {meta.get("jurisdiction"), meta.get("province")} or any(
            x and len(v) >= 2 and x.startswith(v) for x in (meta.get("jurisdiction"), meta.get("province")))
    if facet == "issued":
        return str(meta.get("year")) == v
    return False
