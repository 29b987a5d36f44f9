"""Document titles compared as people cite them: bracket and dash variants made one, the issuer in
front dropped (湖北省人民政府关于… → 关于…), a cover notice read as the work it issues.

Shared by the parents a document listing resolves (:mod:`metrokg.kg.records.parents`) and by
search, which cannot import the listing (the listing reads the search index's provisions).
"""

from __future__ import annotations

import re
from typing import Iterable

from metrokg.kg.store.base import Store
from metrokg.ontology.namespace import MKG_PREFIX

_FOLD = str.maketrans({"（": "(", "）": ")", "〈": "《", "〉": "》", "〔": "[", "〕": "]", "［": "[", "］": "]",
                       "—": "-", "–": "-", "－": "-"})
#: a 文号 as a document name (鄂政发[2022]5号, folded)
DOCNO_TITLE = re.compile(r"^[\u4e00-\u9fff]{1,8}\[(?:19|20)\d{2}\]第?\d{1,4}号$")
_ABOUT = "关于"


def fold(title: str) -> str:
    """A title with bracket, dash and space variants made one (《〈 》〉, （(, 〔[, —-)."""
    return re.sub(r"\s+", "", title.translate(_FOLD)).strip("《》")


def core_title(title: str) -> str:
    """The title without the issuer in front: 湖北省人民政府关于… → 关于…."""
    folded = fold(title)
    at = folded.find(_ABOUT)
    return folded[at:] if 0 < at <= 20 else folded


_ISSUING = re.compile(r"关于(?:印发|发布|转发)《?(?P<work>.+?)》?的通知$")


def issued_work(title: str) -> str | None:
    """The work a cover notice issues: 国务院关于印发计量发展规划(2021—2035年)的通知 → 计量发展规划(2021-2035年)
    (folded); None for another title."""
    m = _ISSUING.search(fold(title))
    return fold(m["work"]) if m else None


def title_names(docs: Iterable[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Folded name → [(document id, how it matched)] for ``(id, title)`` pairs: the title, and the
    title without its issuer in front when that differs (what :func:`resolve_title` looks up)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for doc_id, title in docs:
        out.setdefault(fold(title), []).append((doc_id, "title"))
        core = core_title(title)
        if core != fold(title):
            out.setdefault(core, []).append((doc_id, "short title"))
    return out


def resolve_title(names: dict[str, list[tuple[str, str]]], title: str, own: str | None = None) -> dict:
    """``{"title", "document", "matched_by"}`` for one cited title (document None when not held)."""
    for key in (fold(title), core_title(title), issued_work(title)):
        if key is None:
            continue
        found = [(d, how) for d, how in names.get(key, []) if d != own]
        if found:
            found.sort(key=lambda x: (x[1] != "title", x[0]))
            how = found[0][1] if key == fold(title) else "short title"  # cited with its issuer in front
            return {"title": title, "document": found[0][0], "matched_by": how}
    return {"title": title, "document": None, "matched_by": None}


# each document's implemented works in its own graph, and every graph's titles: two linear reads
# (one pattern over the union graph repeats a work's title once per graph that states it, so
# 2,700 documents implementing one plan gave 1.9 M rows)
_IMPLEMENTED_WORKS = MKG_PREFIX + "SELECT ?d ?id ?w WHERE { GRAPH ?g { ?d mkg:documentId ?id ; mkg:implements ?w } }"
_TITLES = MKG_PREFIX + "SELECT DISTINCT ?w ?t WHERE { GRAPH ?g { ?w mkg:title ?t } }"


def implemented_titles(store: Store) -> list[tuple[str, str, str]]:
    """(document node, document id, title of a work it implements), each once, in a stable order."""
    works: dict[str, set[str]] = {}
    for w, t in store.rows(_TITLES):
        works.setdefault(str(w), set()).add(str(t))
    out = {(str(d), str(doc_id), t) for d, doc_id, w in store.rows(_IMPLEMENTED_WORKS)
           for t in works.get(str(w), ())}
    return sorted(out)
