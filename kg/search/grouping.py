"""Search hits as a reader wants them: the same text in several documents shown once, and the
hits grouped under their document's title, best document first."""

from __future__ import annotations

import re
import unicodedata

_SPACE_PUNCT = re.compile(r"[\s\u3000，,。.；;：:、（）()《》“”\"'!！?？]+")


def text_key(text: str) -> str:
    """A provision's text compared for sameness: NFKC, without spaces, punctuation and its
    leading number (一、 （二） 3. 第五条), so a plan copied into another reads as the same."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"^\s*(第[一二三四五六七八九十百零〇\d]+条|[（(]?[一二三四五六七八九十\d]+[)）、.])", "", t)
    return _SPACE_PUNCT.sub("", t)


def fold_duplicates(hits: list) -> list:
    """``hits`` with every later hit whose text equals an earlier one's (:func:`text_key`, at least
    12 characters) folded into it: listed in its ``also_in`` with its document and title."""
    seen: dict[str, object] = {}
    out = []
    for h in hits:
        key = text_key(h.provision.text)
        first = seen.get(key) if len(key) >= 12 else None
        if first is not None and first.provision.document != h.provision.document:
            first.also_in.append({"document": h.provision.document, "number": h.provision.number,
                                  "iri": h.provision.iri, "title": h.document_info.get("title")})
            continue
        seen.setdefault(key, h)
        out.append(h)
    return out


def group_by_document(hits: list[dict]) -> list[dict]:
    """Public hits (``Hit.public()``) grouped by document, in the order of each document's best
    hit: ``{document, title, kind, jurisdiction, year, hits}``."""
    groups: dict[str, dict] = {}
    for h in hits:
        g = groups.setdefault(h["document"], {"document": h["document"], "title": h.get("document_title"),
                                              "kind": h.get("document_kind"), "jurisdiction": h.get("jurisdiction"),
                                              "year": h.get("document_year"), "hits": []})
        g["hits"].append(h)
    return list(groups.values())


def facet_counts(hits: list[dict]) -> dict[str, dict[str, int]]:
    """How many hits fall in each document kind, jurisdiction and year: the facets to narrow by."""
    out: dict[str, dict[str, int]] = {"kind": {}, "jurisdiction": {}, "year": {}}
    for h in hits:
        for facet, key in (("kind", "document_kind"), ("jurisdiction", "jurisdiction"), ("year", "document_year")):
            value = h.get(key)
            if value is not None:
                out[facet][str(value)] = out[facet].get(str(value), 0) + 1
    return out
