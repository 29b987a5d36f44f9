"""Penalties (法律责任) as records: per sanctioning article or item, the conduct, the provisions it
violates, the authority and its typed sanctions, fines with their bounds.

The records are read from the store (``mkg:Penalty`` and its ``mkg:Sanction`` nodes, written by
:mod:`metrokg.kg.graph.facts_rdf`), kept per store generation, and filtered here: by document and by
conduct. A conduct matches as words (a substring of the conduct or of the article's text, width and
spaces ignored) and as a concept: words that are a label of the conduct vocabulary, the laws' or
everyday ones (动手脚 names 计量作弊), or that hold one (加油机被动了手脚), match every penalty the entity
linker found that concept or a narrower one in (破坏计量器具准确度 is a kind of 计量作弊): in its own
text, else in the items it introduces (有下列行为之一的：（一）伪造检定数据的…) or in the provisions of its
document it says are violated (违反本条例第二十六条规定 takes the conduct of 第二十六条).
"""

from __future__ import annotations

import re
import unicodedata

from metrokg.kg.records.factview import as_number, cached, load_concepts, load_provision_infos, number_key
from metrokg.kg.records.listing import check_document
from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import MKG_PREFIX

COLUMNS = ["document", "article", "item", "conduct", "refers_to", "authority", "sanctions", "text", "start", "end",
           "number"]  # number: the provision's dotted number, to open it
SANCTION_KEYS = ["kind", "min", "max", "unit", "basis", "text", "condition", "authority"]
#: the flat columns of --csv and --xlsx (one row per penalty, sanctions joined)
FLAT_COLUMNS = ["document", "article", "item", "conduct", "refers_to", "authority", "sanction_kinds", "fine",
                "text", "start", "end"]
HEADERS_ZH = {"document": "文件", "article": "条", "item": "项", "conduct": "违法行为", "refers_to": "违反条款",
              "authority": "处罚机关", "sanction_kinds": "处罚种类", "fine": "罚款", "text": "原文",
              "start": "起", "end": "止"}

#: the items a list lead introduces (…有下列行为之一的，给予行政处分：\n（一）…；\n（二）…。)
_ITEMS_AFTER = re.compile(r"[：:]\s*(?:[（(][一二三四五六七八九十]+[）)][^\n]*(?:\n|$))+")

PENALTIES_QUERY = MKG_PREFIX + """
SELECT ?p ?doc ?article ?item ?conduct ?authority ?text ?start ?end ?number ?prov ?heading WHERE {
  ?p a mkg:Penalty ; mkg:inDocument ?d ; mkg:article ?article ; mkg:conduct ?conduct ;
     mkg:text ?text ; mkg:start ?start ; mkg:end ?end .
  ?d mkg:documentId ?doc .
  OPTIONAL { ?p mkg:item ?item }
  OPTIONAL { ?p mkg:authority ?authority }
  OPTIONAL { ?p mkg:inProvision ?prov . ?prov mkg:number ?number . OPTIONAL { ?prov mkg:heading ?heading } }
}"""
VIOLATES_QUERY = MKG_PREFIX + "SELECT ?p ?c WHERE { ?p a mkg:Penalty ; mkg:violates ?c }"
SANCTIONS_QUERY = MKG_PREFIX + """
SELECT ?p ?order ?kind ?min ?max ?unit ?basis ?text ?condition ?authority WHERE {
  ?p a mkg:Penalty ; mkg:hasSanction ?s .
  ?s mkg:sanctionKind ?kind ; mkg:order ?order ; mkg:text ?text .
  OPTIONAL { ?s mkg:minAmount ?min } OPTIONAL { ?s mkg:maxAmount ?max }
  OPTIONAL { ?s mkg:amountUnit ?unit } OPTIONAL { ?s mkg:amountBasis ?basis }
  OPTIONAL { ?s mkg:condition ?condition } OPTIONAL { ?s mkg:authority ?authority }
}"""


def _all_penalties(store: Store) -> list[dict]:
    """Every penalty of the store as a record, in document and text order (shared until the store changes)."""
    def build() -> list[dict]:
        refs: dict[str, list[str]] = {}
        for p, c in store.rows(VIOLATES_QUERY):
            refs.setdefault(p, []).append(str(c))
        sanctions: dict[str, list[tuple[int, dict]]] = {}
        for p, order, kind, lo, hi, unit, basis, text, condition, authority in store.rows(SANCTIONS_QUERY):
            sanctions.setdefault(p, []).append((int(order), {
                "kind": str(kind), "min": as_number(lo), "max": as_number(hi), "unit": _s(unit), "basis": _s(basis),
                "text": str(text), "condition": _s(condition), "authority": _s(authority)}))
        out = []
        provisions = load_provision_infos(store)
        for p, doc, article, item, conduct, authority, text, start, end, number, prov, heading in \
                store.rows(PENALTIES_QUERY):
            out.append({"document": str(doc), "article": str(article) or None, "item": _s(item),
                        "conduct": str(conduct), "refers_to": sorted(set(refs.get(p, [])), key=refs.get(p, []).index),
                        "authority": _s(authority), "sanctions": [s for _, s in sorted(sanctions.get(p, []),
                                                                                        key=lambda x: x[0])],
                        "text": str(text), "start": int(start), "end": int(end), "number": _s(number), "iri": p,
                        "provision": _s(prov), "heading": _s(heading) or ""})
            out[-1]["concepts"] = _conduct_of(provisions, out[-1])
        out.sort(key=lambda r: (r["document"], r["start"], number_key(r["number"] or "")))
        return out
    return cached(store, ("penalties",), build)


def _conduct_of(provisions: dict, r: dict) -> list[str]:
    """The conduct concepts mentioned in a penalty's text; when it names none and is no item of a
    list (有下列行为之一的…： or 有禁止行为之一的: the conduct is written elsewhere), those of the items
    its text introduces, else of the provisions of its own document that it violates (第十三条第一款
    read as its article when no record of the paragraph exists). An item's own words are its
    conduct: its list's violated article covers every item."""
    own = provisions.get(r["provision"])
    found = own.concepts_in(r["start"], r["end"], "conduct") if own is not None else []
    if not found and r["item"] is None and own is not None and "下列" in r["text"]:
        items = _ITEMS_AFTER.match(own.text, r["end"] - own.start)
        if items:
            found = own.concepts_in(r["end"], own.start + items.end(), "conduct")
    refs = [c for c in r["refers_to"] if "》" not in c]  # 《计量法》第九条 is another document's
    if refs and not found and r["item"] is None:
        cited = {p.citation: p for p in provisions.values() if p.document == r["document"] and p.citation}
        for ref in refs:
            target = cited.get(ref) or next((p for c, p in cited.items() if ref.startswith(c)), None)
            if target is not None:
                found += target.concepts_in(target.start, target.end, "conduct")
    return list(dict.fromkeys(found))


def conduct_concepts(store: Store, words: str) -> set[str]:
    """The conduct concepts ``words`` name, with every concept below them: the words as a whole (a
    label, Chinese or English, or a slug), else the conduct the entity linker finds in them (加油机被
    动了手脚 holds 动了手脚); empty when they name none."""
    from metrokg.nlp.extraction.linking import shared_linker

    table = load_concepts(store)
    named = table.find(words, "conduct") or [m.iri for m in shared_linker().mentions(words)
                                             if m.scheme == "conduct" and m.iri in table.by_iri]
    return {c for iri in named for c in table.narrower_closure(iri)}


def _s(value) -> str | None:
    return None if value is None else str(value)


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def list_penalties(store: Store, document: str | None = None, conduct: str | None = None) -> list[dict]:
    """The penalties, optionally of one document (E010 when it is not in the store) and whose conduct
    or text contains ``conduct``, or that mention the conduct concept ``conduct`` names (see the module)."""
    check_document(store, document)
    wanted = _folded(conduct) if conduct else None
    concepts = conduct_concepts(store, conduct) if conduct else set()
    out = []
    for r in _all_penalties(store):
        if document is not None and r["document"] != document:
            continue
        if wanted and wanted not in _folded(r["conduct"]) and wanted not in _folded(r["text"]) \
                and not concepts.intersection(r["concepts"]):
            continue
        out.append({k: (list(v) if isinstance(v, list) else v) for k, v in r.items() if k in COLUMNS})
    return out


def fine_text(s: dict) -> str:
    """A fine's bounds in words: 1000–10000 元, ≤ 5000 元, 1–3 倍 违法所得, or 罚款 when unbounded."""
    lo, hi, unit = s.get("min"), s.get("max"), s.get("unit") or ""
    basis = f" {s['basis']}" if s.get("basis") else ""
    if lo is None and hi is None:
        return "罚款"
    if lo is None:
        return f"≤ {hi} {unit}{basis}"
    if hi is None:
        return f"≥ {lo} {unit}{basis}"
    return f"{lo} {unit}{basis}" if lo == hi else f"{lo}–{hi} {unit}{basis}"


def flat_rows(rows: list[dict]) -> list[dict]:
    """One flat row per penalty for CSV and spreadsheets: sanction kinds and fines joined with '; '."""
    out = []
    for r in rows:
        flat = {k: r.get(k) for k in FLAT_COLUMNS if k in r}
        flat["sanction_kinds"] = "; ".join(s["kind"] for s in r["sanctions"])
        flat["fine"] = "; ".join(fine_text(s) for s in r["sanctions"] if s["kind"] == "fine")
        out.append(flat)
    return out


def penalties_for_question(store: Store, topic: str) -> list[dict]:
    """The penalties a question about ``topic`` asks for (违反…会怎样处罚), as answer items citing their
    provision: a cited provision (计量法第九条, 本条例第十七条第四款) matches the penalties that say they
    violate it; other words match the conduct or the article's text, or name a conduct concept (少给油)."""
    from metrokg.nlp.structure.citations import parse_query

    cited = parse_query(topic)
    wanted = {t.citation for t in cited.targets} if cited else set()
    folded = _folded(topic)
    concepts = set() if wanted else conduct_concepts(store, topic)
    out = []
    for r in _all_penalties(store):
        refs = {c.rsplit("》", 1)[-1] for c in r["refers_to"]}
        if (wanted and wanted & refs) or (not wanted and (folded in _folded(r["conduct"]) or folded in _folded(r["text"])
                                                          or concepts.intersection(r["concepts"]))):
            out.append({"article": r["article"], "item": r["item"], "conduct": r["conduct"], "refers_to": r["refers_to"],
                        "authority": r["authority"], "sanctions": r["sanctions"],
                        "provision": {"iri": r["provision"], "document": r["document"], "number": r["number"],
                                      "heading": r["heading"]},
                        "span": {"start": r["start"], "end": r["end"], "text": r["text"]}})
    return out
