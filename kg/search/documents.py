"""What search shows and filters of each document: title, kind, jurisdiction and year.

Hits are grouped under their document's title, and the facets ``kind`` (law, plan, ... as the
documents listing codes it), ``jurisdiction`` (the administrative division the title or the
issuer names, or 全国 for national texts; for a text that names neither, the division its opening
speaks of as a whole: 全市 and 达州) and ``issued`` (the year of issue) filter them. Read
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


#: how a text speaks of its own area, by level, most local first: 我市 and 本市 always mean its own
#: (counted twice), 全市 mostly (a city's plan may quote its province's 全省 goals); 全区 is left out:
#: a district's or an autonomous region's (广西), which the words alone do not tell apart
OWN_AREA = {"county": ("全县", "本县", "我县"), "city": ("全市", "本市", "我市"), "province": ("全省", "本省", "我省")}
#: how much of a text is read for the place it speaks of
TEXT_HEAD = 3000
#: the title and issuer of documents that name no place: their text's opening is read instead
UNPLACED_TEXT_QUERY = MKG_PREFIX + """
SELECT ?id (SUBSTR(?text, 1, %d) AS ?head) WHERE {
  ?d mkg:documentId ?id ; mkg:fullText ?text .
  VALUES ?id { %%s }
}
""" % TEXT_HEAD


def jurisdiction_in_text(text: str) -> tuple[str | None, str | None]:
    """(division, its province) for a text whose title and issuer name no place (a fragment that
    opens with its addressees, 各县(市、区)人民政府,…:): of the level the text speaks of as its own
    (:data:`OWN_AREA`: 我市, 本市, 全市 …), the division its opening names most often, by its full or short name; (None,
    None) when it speaks of no area, names no such division, or two as often."""
    from collections import Counter

    from metrokg.ontology.divisions import divisions, province_of

    head = text[:TEXT_HEAD]
    said = {level: sum(head.count(w) * (1 if w.startswith("全") else 2) for w in words)
            for level, words in OWN_AREA.items()}
    level = max(said, key=said.get)  # on a tie the most local: a province's text says no 我市
    if not said[level]:
        return None, None
    named = Counter({d: head.count(d.short if len(d.short) >= 2 else d.name) for d in divisions()
                     if d.level == level})
    best = named.most_common(2)
    if not best or not best[0][1] or (len(best) > 1 and best[1][1] == best[0][1]):
        return None, None
    return best[0][0].name, province_of(best[0][0]).name


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
    _add_text_places(store, out)
    _add_made_under(store, out)
    return out


def _add_text_places(store: Store, facets: dict[str, dict]) -> None:
    """The jurisdiction of the documents whose title and issuer name none, from their text
    (:func:`jurisdiction_in_text`)."""
    from rdflib import Literal

    unplaced = [doc_id for doc_id, meta in facets.items() if meta["jurisdiction"] is None]
    if not unplaced:
        return
    values = " ".join(Literal(doc_id).n3() for doc_id in unplaced)
    for doc_id, head in store.rows(UNPLACED_TEXT_QUERY % values):
        place, province = jurisdiction_in_text(str(head))
        if place is not None:
            facets[str(doc_id)].update(jurisdiction=place, province=province)


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
