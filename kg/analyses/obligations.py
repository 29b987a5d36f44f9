"""The obligations register: who must (or may, or must not) do what, by when, where it says so.

Rows come from three kinds of extracted facts, most specific first:

* each **responsibility** (an actor with a role on a statement: 责任单位 notes, subjects of
  obligation sentences) is one row;
* each **deontic statement** (要/应当/不得/鼓励/可以/探索 clause) not already covered by a
  responsibility is a row without an actor;
* each **task** clause covered by neither is a row without actor or modality (the plan's
  imperative task list: 研制…装置, 建设…平台).

Every row carries the year it is due by and where that year comes from
(:mod:`metrokg.kg.analyses.horizons`): its own 时限, else its provision's (到2025年, 2024年底前),
else the plan's horizon; ``deadline_inherited`` marks the last two.

Actors are normalised so that the same body is counted once: an actor written relative to
the issuing level (省市场监管局 in a Hubei document) resolves to the named body of the
vocabulary with that type, level and jurisdiction (湖北省市场监督管理局); otherwise the
key is the actor type and level (``market-regulation-bureau@city``).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from typing import Iterable

from rdflib import Literal

from metrokg.errors import MetrokgError
from metrokg.kg.records.factview import (PREFIXES, Concepts, FactRow, by_number, cached, document_deriver, industry_context,
                                 load_concepts, load_facts, load_provision_infos, per_document,
                                 scheme_of)
from metrokg.kg.analyses.horizons import horizons
from metrokg.kg.records.listing import check_document
from metrokg.kg.store.base import Store
from metrokg import terms
from metrokg.terms import LEVEL_LABELS, MODALITIES, MUNICIPALITIES, PROVINCES, PROVINCIAL_OR_ABOVE, ROLES

COLUMNS = ["document", "number", "kind", "actor", "actor_label", "role", "modality", "action", "deadline",
           "industries", "text", "start", "end", "iri", "actor_iri"]
SUMMARY_COLUMNS = ["actor_label", "actor_key", "level", "total", *MODALITIES, "unspecified", "documents"]

DOC_PLACES_QUERY = PREFIXES + """
SELECT ?id ?issuer ?title ?jurisdiction ?head WHERE {
  ?d mkg:documentId ?id .
  OPTIONAL { ?d mkg:issuerName ?issuer }
  OPTIONAL { ?d mkg:title ?title }
  OPTIONAL { ?d mkg:jurisdiction ?jurisdiction }
  OPTIONAL { ?d mkg:fullText ?full . BIND(SUBSTR(?full, 1, 300) AS ?head) }
}
"""
_CITY_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}(?:省|壮族自治区|回族自治区|维吾尔自治区|自治区))?([\u4e00-\u9fff]{2,3}?[市州盟])")
_NOT_CITY = ("全市", "本市", "各市", "我市", "全州", "本州")


def _province(text: str) -> str | None:
    hits = [(text.find(p), p) for p in PROVINCES if p in text]
    return min(hits)[1] if hits else None


def document_places(store: Store, document: str) -> dict[str, tuple[str | None, str | None]]:
    """{document: (province, city)} it is issued for (湖北, 宜昌市), from its jurisdiction,
    issuer, title or opening lines; None where the text does not say."""
    return dict(cached(store, ("document_places", document), lambda: _document_places(store, document)))


def _document_places(store: Store, document: str) -> dict[str, tuple[str | None, str | None]]:
    out: dict[str, tuple[str | None, str | None]] = {}
    for doc_id, issuer, title, jurisdiction, head in store.rows(DOC_PLACES_QUERY, {"id": Literal(document)}):
        sources = [str(x) for x in (jurisdiction, issuer, title, head) if x is not None]
        province = next((p for p in map(_province, sources) if p), None)
        city = None
        for src in sources:
            for line in src.splitlines()[:3]:
                m = _CITY_RE.match(line.strip())
                if m and m.group(1)[:2] not in _NOT_CITY and not m.group(1).startswith(MUNICIPALITIES):
                    city = m.group(1)
                    break
            if city:
                break
        out[str(doc_id)] = (province, city)
    return out


def level_from_name(name: str) -> str | None:
    """Administrative level(s) written before an actor type: 省市场监管局 -> province."""
    from metrokg.nlp.extraction.lexicon.actors import level_of

    head = re.match(r"^[各]?(?:[省市州县区]|自治区|国家|[、，,（）()和及])+", name or "")
    return level_of(head.group(0)) if head else None


class ActorResolver:
    """Maps an extracted actor (type IRI or named IRI, level, document) to one normalised key."""

    def __init__(self, concepts: Concepts, places: dict[str, tuple[str | None, str | None]]):
        self.concepts = concepts
        self.places = places
        self.named: dict[tuple[str, str], list] = defaultdict(list)
        for c in concepts.in_scheme("actor"):
            for t in c.links.get("actor_type", ()):
                if c.level:
                    self.named[(t, c.level)].append(c)

    def _type_label(self, type_iri: str, level: str | None) -> str:
        """The type's name as used at that level: 科技局 for a city, 科技厅 for a province."""
        c = self.concepts.get(type_iri)
        label = self.concepts.label(type_iri) or type_iri
        if c and level and not set(level.split(",")) & PROVINCIAL_OR_ABOVE and label.endswith("厅"):
            bureau = sorted((a for a in c.alt_labels if a.endswith("局") and len(a) > 2), key=len, reverse=True)
            if bureau:
                return bureau[0]
        return label

    def resolve(self, actor_iri: str | None, level: str | None, document: str, name: str | None = None) -> dict:
        """``{"actor_key", "actor_iri", "actor_type_iri", "actor_label", "level"}``.

        A relative actor's key carries the place of the document it is written in, so 市市场监管局
        in a Yichang plan and 各市市场监督管理局 in a Guangxi one stay apart.
        """
        if actor_iri is None:
            key = f"name:{name}" if name else None
            return {"actor_key": key, "actor_iri": None, "actor_type_iri": None, "actor_label": name,
                    "level": level}
        c = self.concepts.get(actor_iri)
        if scheme_of(actor_iri) == "actor":
            types = sorted(c.links.get("actor_type", ())) if c else []
            return {"actor_key": actor_iri, "actor_iri": actor_iri, "actor_type_iri": types[0] if types else None,
                    "actor_label": self.concepts.label(actor_iri), "level": (c.level if c else None) or level}
        province, city = self.places.get(document, (None, None))
        if level and province and "," not in level:
            for body in self.named.get((actor_iri, level), ()):
                if body.jurisdiction and _province(body.jurisdiction) == province:
                    return {"actor_key": body.iri, "actor_iri": body.iri, "actor_type_iri": actor_iri,
                            "actor_label": body.label, "level": level}
        label = self._type_label(actor_iri, level)
        place = None
        if level:
            local = not set(level.split(",")) & PROVINCIAL_OR_ABOVE
            place = (city or province) if local else (province if "province" in level else None)
            levels = "、".join(LEVEL_LABELS.get(x, x) for x in level.split(","))
            label = f"{label}（{levels}{'，' + place if place else ''}）"
        key = "@".join(x for x in (actor_iri, level, place) if x)
        return {"actor_key": key, "actor_iri": actor_iri, "actor_type_iri": actor_iri, "actor_label": label,
                "level": level}


ACTOR_NODES_QUERY = PREFIXES + """
SELECT ?node ?type ?level WHERE {
  ?d mkg:documentId ?docId .
  ?r a mkg:Responsibility ; mkg:actor ?node ; mkg:inProvision ?p . ?p mkg:inDocument ?d .
  OPTIONAL { ?node mkg:actorType ?type }
  OPTIONAL { ?node mkg:administrativeLevel ?level }
}
"""


def actor_nodes(store: Store, document: str) -> dict[str, tuple[str | None, str | None]]:
    """A document's actor nodes (``…/doc/{id}/actor/province-market-regulation-bureau``) ->
    (actor type IRI, level); named bodies of the vocabulary are not listed."""
    return dict(cached(store, ("actor_nodes", document), lambda: _actor_nodes(store, document)))


def _actor_nodes(store: Store, document: str) -> dict[str, tuple[str | None, str | None]]:
    out: dict[str, tuple[str | None, str | None]] = {}
    for node, type_, level in store.rows(ACTOR_NODES_QUERY, {"docId": Literal(document)}):
        if scheme_of(node) is not None:
            continue
        out[node] = (str(type_) if type_ is not None else None, str(level) if level is not None else None)
    return out


def _spans_by_document(facts: Iterable[FactRow]) -> dict[str, tuple[list[int], list[int]]]:
    """Each document's fact spans as (starts in order, largest end so far), so a containment
    test is one binary search in its own document."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for f in facts:
        spans[f.document].append((f.start, f.end))
    out = {}
    for doc, pairs in spans.items():
        pairs.sort()
        reach = list(itertools.accumulate((e for _, e in pairs), max))
        out[doc] = ([s for s, _ in pairs], reach)
    return out


def _covered(span: tuple[int, int], spans: dict[str, tuple[list[int], list[int]]], doc: str) -> bool:
    """Whether some span of ``doc`` contains ``span`` (starts at or before it, ends at or after it)."""
    s, e = span
    starts, reach = spans.get(doc, ((), ()))
    i = bisect_right(starts, s)
    return i > 0 and reach[i - 1] >= e


def _modality_of(fact: FactRow, deontics: dict[tuple[str, str], list[FactRow]]) -> tuple[str | None, str | None]:
    """(modality, cue) of the deontic clause that overlaps a statement most (``deontics`` grouped
    by document and provision, in their original order)."""
    best, overlap = None, 0
    for d in deontics.get((fact.document, fact.provision), ()):
        o = min(d.end, fact.end) - max(d.start, fact.start)
        if o > overlap:
            best, overlap = d, o
    if best is None:
        return None, None
    return best.get("modality"), best.get("cue")


def _shared_rows(store: Store, document: str | None) -> list[dict]:
    """The register's rows as cached for this store generation: read them, do not modify them."""
    check_document(store, document)
    return cached(store, ("obligation_rows", document), lambda: _register(store, document))


def _register(store: Store, document: str | None) -> list[dict]:
    """Every document's rows, each kept as a derived record of its graph and the vocabularies
    (a write re-derives only the rows of the documents it touched)."""
    return [row for rows in per_document(store, REGISTER, "rows", document) for row in rows]


REGISTER = document_deriver("register", lambda store, doc_id: {"rows": _obligation_rows(store, doc_id)})


def _obligation_rows(store: Store, document: str) -> list[dict]:
    """One document's rows of the register (see :data:`REGISTER`)."""
    concepts = load_concepts(store)
    provs = load_provision_infos(store, document)
    numbered = by_number(provs)
    resolver = ActorResolver(concepts, document_places(store, document))
    resps = load_facts(store, "responsibility", document)
    deontics = load_facts(store, "deontic", document)
    tasks = load_facts(store, "task", document)

    rows: list[dict] = []
    due = horizons(store, document, provs)

    def base(f: FactRow, kind: str) -> dict:
        prov = provs.get(f.provision)
        industries, source = industry_context(numbered, prov, f.start, f.end) if prov else ([], "none")
        deadline, deadline_source = due.of(f)
        return {"iri": f.iri, "document": f.document, "number": f.number, "kind": kind,
                "heading": prov.heading if prov else None,
                "deadline": deadline, "deadline_source": deadline_source,
                "deadline_inherited": deadline_source not in (None, "own"),
                "industries": [concepts.label(i) for i in industries],
                "industry_iris": industries, "industry_source": source,
                "text": f.text, "start": f.start, "end": f.end,
                "confidence": float(f.get("confidence")) if f.get("confidence") is not None else None}

    nodes = actor_nodes(store, document)
    deontics_at: dict[tuple[str, str], list[FactRow]] = defaultdict(list)
    for d in deontics:
        deontics_at[(d.document, d.provision)].append(d)
    for f in resps:
        actors = f.multi.get("actor") or [None]
        modality = f.get("modality")
        cue = None
        if not modality:
            modality, cue = _modality_of(f, deontics_at)
        for a in actors:
            level = f.get("administrativeLevel") or level_from_name(str(f.get("actorName", "")))
            if a is not None and a in nodes:  # the document's own node for 省市场监管局: type + level
                a, level = nodes[a][0], nodes[a][1] or level
            elif a is not None and scheme_of(a) is None:
                a = None  # an actor the vocabulary does not know: grouped by its name
            row = base(f, "responsibility")
            norm = resolver.resolve(a, level, f.document, f.get("actorName"))
            row.update({"actor": f.get("actorName") or norm["actor_label"], **norm,
                        "role": f.get("role"), "modality": modality, "cue": cue, "action": f.get("action")})
            rows.append(row)
    resp_spans = _spans_by_document(resps)
    for d in deontics:
        if _covered((d.start, d.end), resp_spans, d.document):
            continue
        row = base(d, "deontic")
        row.update({"actor": d.get("dutySubject"), "actor_key": None, "actor_iri": None, "actor_type_iri": None,
                    "actor_label": None, "level": None, "role": None, "modality": d.get("modality"),
                    "cue": d.get("cue"), "action": None})
        rows.append(row)
    covering = _spans_by_document(resps + deontics)
    for t in tasks:
        if _covered((t.start, t.end), covering, t.document):
            continue
        row = base(t, "task")
        row.update({"actor": None, "actor_key": None, "actor_iri": None, "actor_type_iri": None,
                    "actor_label": None, "level": None, "role": None, "modality": None, "cue": None,
                    "action": t.get("action")})
        rows.append(row)
    # a task inside a responsibility or deontic row lends it its verb when it has none
    # (tasks come sorted by document, then start: the first one starting inside the row is found by bisection)
    tasks_in: dict[str, list[FactRow]] = defaultdict(list)
    for t in tasks:
        tasks_in[t.document].append(t)
    starts = {doc: [t.start for t in ts] for doc, ts in tasks_in.items()}
    for row in rows:
        if row["action"] is None and row["kind"] != "task" and row["document"] in tasks_in:
            doc_tasks = tasks_in[row["document"]]
            i = bisect_left(starts[row["document"]], row["start"])
            if i < len(doc_tasks) and doc_tasks[i].start < row["end"]:
                row["action"] = doc_tasks[i].get("action")
    rows.sort(key=lambda r: (r["document"], r["start"], r["end"], r["kind"], r["actor_key"] or ""))
    return rows


def _actor_query(text: str, concepts: Concepts) -> tuple[set[str], set[tuple[str, str | None]]]:
    """Named bodies and (actor type, level) pairs a filter names: an actor concept named exactly
    (:meth:`Concepts.resolve`: IRI, slug or label), else those written in it (湖北省市场监督管理局,
    省市场监管局 as the extraction reads them)."""
    from metrokg.nlp.extraction.linking import shared_linker

    iri = concepts.resolve(text, "actor", missing_ok=True)
    if iri is not None:
        return ({iri}, set()) if scheme_of(iri) == "actor" else (set(), {(iri, None)})
    named, typed = set(), set()
    for m in shared_linker().mentions(text):
        if not m.iri:
            continue
        scheme = scheme_of(m.iri)
        level = next((t[6:] for t in m.types if t.startswith("level:")), None)
        if scheme == "actor":
            named.add(m.iri)
        elif scheme == "actortype":
            typed.add((m.iri, level or level_from_name(m.text)))
    return named, typed


def _match_actor(row: dict, text: str, named: set[str], typed: set[tuple[str, str | None]]) -> bool:
    """A named body matches rows resolved to it; a typed actor (省市场监管局) matches rows of that
    type at that level in any document; text the vocabulary does not know matches names."""
    if row["actor_key"] is None:
        return False
    if named or typed:
        if row["actor_key"] in named:
            return True
        for t, level in typed:
            if row["actor_type_iri"] == t and (level is None or (row["level"] and
                                                                 set(level.split(",")) <= set(row["level"].split(",")))):
                return True
        return False
    low = text.lower()
    return any(low in str(v).lower() for v in (row["actor"], row["actor_label"]) if v)


def filter_rows(rows: list[dict], concepts: Concepts, actor: str | None = None, actor_type: str | None = None,
                modality: str | None = None, deadline: int | None = None, industry: str | None = None,
                role: str | None = None) -> list[dict]:
    """The register rows that pass every given filter.

    ``deadline``: rows due by the end of that year (a deadline year <= it). ``industry``: rows
    whose statement (or its sentence or heading) names that industry or a narrower one.
    """
    if modality is not None and modality not in MODALITIES:
        raise MetrokgError("E310", value=modality, choices=", ".join(MODALITIES))
    if role is not None and role not in ROLES:
        raise MetrokgError("E311", value=role, choices=", ".join(ROLES))
    out = rows
    if actor:
        named, typed = _actor_query(actor, concepts)
        out = [r for r in out if _match_actor(r, actor, named, typed)]
    if actor_type:
        types = concepts.narrower_closure(concepts.resolve(actor_type, "actortype"))
        out = [r for r in out if r["actor_type_iri"] in types]
    if modality:
        out = [r for r in out if r["modality"] == modality]
    if role:
        out = [r for r in out if r["role"] == role]
    if deadline is not None:
        out = [r for r in out if r["deadline"] is not None and r["deadline"] <= deadline]
    if industry:
        wanted = concepts.narrower_closure(concepts.resolve(industry, "industry"))
        out = [r for r in out if wanted & set(r["industry_iris"])]
    return out


def list_obligations(store: Store, actor: str | None = None, actor_type: str | None = None,
                     modality: str | None = None, deadline: int | None = None, document: str | None = None,
                     industry: str | None = None, role: str | None = None) -> list[dict]:
    """The obligations register, filtered; each row keeps issue 4's fields and adds more."""
    rows = filter_rows(_shared_rows(store, document), load_concepts(store), actor, actor_type, modality, deadline,
                       industry, role)
    return [dict(r) for r in rows]


def summary_by_actor(rows: list[dict]) -> list[dict]:
    """Counts per normalised actor and modality, busiest actor first (rows without actor skipped)."""
    groups: dict[str, dict] = {}
    for r in rows:
        key = r.get("actor_key")
        if not key:
            continue
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"actor_label": r["actor_label"], "actor_key": key, "actor_iri": r["actor_iri"],
                               "level": r["level"], "total": 0, **{m: 0 for m in MODALITIES},
                               "unspecified": 0, "names": Counter(), "roles": Counter(), "documents": set()}
        g["total"] += 1
        g[r["modality"] if r["modality"] in MODALITIES else "unspecified"] += 1
        g["names"][r["actor"]] += 1
        g["roles"][r["role"]] += 1
        g["documents"].add(r["document"])
    out = []
    for g in groups.values():
        g["names"] = sorted(g["names"], key=lambda n: (-g["names"][n], n))
        g["roles"] = dict(sorted(g["roles"].items()))
        g["documents"] = sorted(g["documents"])
        out.append(g)
    out.sort(key=lambda g: (-g["total"], g["actor_label"] or ""))
    return out


# --------------------------------------------------------------------------- the register as people read it

EXPORT_COLUMNS = ("document", "number", "kind", "actor", "actor_label", "role", *terms.COORDINATION_ROLES,
                  "modality", "action", "deadline", "deadline_source", "industries", "text")
TECHNICAL_COLUMNS = ("start", "end", "iri", "actor_iri")
EXPORT_HEADERS = {
    "zh": {"document": "文件", "number": "条款", "kind": "类型", "actor": "主体（原文）", "actor_label": "主体（规范名称）",
           "role": "角色", "lead": "牵头单位", "supporting": "配合单位", "modality": "情态", "action": "行动",
           "deadline": "期限", "deadline_source": "期限来源", "industries": "行业", "text": "原文",
           "start": "起始位置", "end": "结束位置", "iri": "IRI", "actor_iri": "主体IRI"},
    "en": {"document": "Document", "number": "Provision", "kind": "Kind", "actor": "Actor (as written)",
           "actor_label": "Actor (normalised)", "role": "Role", "lead": "Lead", "supporting": "Supporting",
           "modality": "Modality", "action": "Action", "deadline": "Deadline", "deadline_source": "Deadline from",
           "industries": "Industries", "text": "Text", "start": "Start", "end": "End", "iri": "IRI",
           "actor_iri": "Actor IRI"},
}
EXPORT_VALUES = {
    "zh": {"kind": {"responsibility": "责任", "deontic": "规范性条款", "task": "任务"},
           "role": {"responsible": "负责", "lead": "牵头", "supporting": "配合", "subject": "主体"},
           "modality": {"obligation": "义务（要/应当）", "prohibition": "禁止（不得）", "encouragement": "鼓励",
                        "permission": "允许（可以）", "exploration": "探索"},
           "deadline_source": {"own": "本项写明", "provision": "继承：所在条款", "plan": "继承：规划期限"}},
    "en": {"kind": {}, "role": {}, "modality": {},
           "deadline_source": {"own": "stated", "provision": "inherited: provision", "plan": "inherited: plan horizon"}},
}


def export_view(rows: list[dict], lang: str = "zh", all_columns: bool = False) -> tuple[list[str], list[list]]:
    """The register as the XLSX and CSV exports show it: headers and values in ``lang`` (zh by
    default), the statement's lead and supporting bodies beside each row, and the IRI and offset
    columns only with ``all_columns``."""
    columns = EXPORT_COLUMNS + (TECHNICAL_COLUMNS if all_columns else ())
    by_statement: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "supporting": []})
    for r in rows:
        if r.get("role") in terms.COORDINATION_ROLES and r.get("actor"):
            names = by_statement[(r["document"], r["start"], r["end"])][r["role"]]
            if r["actor"] not in names:
                names.append(r["actor"])
    values = EXPORT_VALUES[lang]
    out = []
    for r in rows:
        bodies = by_statement.get((r["document"], r["start"], r["end"]), {"lead": [], "supporting": []})
        cells = []
        for c in columns:
            v = bodies[c] if c in terms.COORDINATION_ROLES else r.get(c)
            if c in values and v is not None:
                v = values[c].get(v, v)
            cells.append("、".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        out.append(cells)
    return [EXPORT_HEADERS[lang][c] for c in columns], out
