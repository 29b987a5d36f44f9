"""The obligations register: who must (or may, or must not) do what, by when, where it says so.

Rows come from three kinds of extracted facts, most specific first:

* each **responsibility** (an actor with a role on a statement: 责任单位 notes, subjects of
  obligation sentences) is one row;
* each **deontic statement** (要/应当/不得/鼓励/可以/探索 clause) not already covered by a
  responsibility is a row without an actor;
* each **task** clause covered by neither is a row without actor or modality (the plan's
  imperative task list: 研制…装置, 建设…平台).

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
from pathlib import Path
from typing import Iterable

from rdflib import Literal

from metrokg.errors import MetrokgError
from metrokg.kg.factview import (PREFIXES, Concepts, FactRow, by_number, cached, document_deriver, industry_context,
                                 load_concepts, load_facts, load_provision_infos, number_key, per_document,
                                 scheme_of)
from metrokg.kg.listing import check_document
from metrokg.kg.store import Store

MODALITIES = ("obligation", "prohibition", "encouragement", "permission", "exploration")
ROLES = ("responsible", "lead", "supporting", "subject")
LEVEL_LABELS = {"national": "国家级", "province": "省级", "city": "市级", "prefecture": "州级",
                "county": "县级", "district": "区级", "township": "乡镇级", "all": "各级"}
COLUMNS = ["document", "number", "kind", "actor", "actor_label", "role", "modality", "action", "deadline",
           "industries", "text", "start", "end", "iri", "actor_iri"]
SUMMARY_COLUMNS = ["actor_label", "actor_key", "level", "total", *MODALITIES, "unspecified", "documents"]

_PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
              "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃",
              "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门")
_LEVEL_CHARS = {"省": "province", "自治区": "province", "市": "city", "州": "prefecture", "县": "county",
                "区": "district", "国家": "national"}

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
    hits = [(text.find(p), p) for p in _PROVINCES if p in text]
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
                if m and m.group(1)[:2] not in _NOT_CITY and not m.group(1).startswith(_PROVINCES[:4]):
                    city = m.group(1)
                    break
            if city:
                break
        out[str(doc_id)] = (province, city)
    return out


def level_from_name(name: str) -> str | None:
    """Administrative level(s) written before an actor type: 省市场监管局 -> province."""
    from metrokg.nlp.actors import level_of

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
        if c and level and not set(level.split(",")) & {"province", "national"} and label.endswith("厅"):
            bureau = sorted((a for a in c.alt if a.endswith("局") and len(a) > 2), key=len, reverse=True)
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
            local = not set(level.split(",")) & {"province", "national"}
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


def obligation_rows(store: Store, document: str | None = None) -> list[dict]:
    """Every row of the register (unfiltered), in document order (built once per store change;
    each call gets its own row dicts)."""
    return [dict(r) for r in _shared_rows(store, document)]


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

    def base(f: FactRow, kind: str) -> dict:
        prov = provs.get(f.provision)
        industries, source = industry_context(numbered, prov, f.start, f.end) if prov else ([], "none")
        deadline = f.get("deadlineYear")
        return {"iri": f.iri, "document": f.document, "number": f.number, "kind": kind,
                "heading": prov.heading if prov else None,
                "deadline": int(deadline) if deadline is not None else None,
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
        row.update({"actor": None, "actor_key": None, "actor_iri": None, "actor_type_iri": None,
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


def _actor_query(text: str) -> tuple[set[str], set[tuple[str, str | None]]]:
    """Named bodies and (actor type, level) pairs written in a filter (湖北省市场监督管理局, 省市场监管局)."""
    from metrokg.nlp.linking import shared_linker

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
        named, typed = _actor_query(actor)
        out = [r for r in out if _match_actor(r, actor, named, typed)]
    if actor_type:
        types = concepts.resolve(actor_type, ["actortype"])
        if not types:
            raise MetrokgError("E312", kind="actor type", value=actor_type, listing="metrokg entities --type actor")
        out = [r for r in out if r["actor_type_iri"] in types]
    if modality:
        out = [r for r in out if r["modality"] == modality]
    if role:
        out = [r for r in out if r["role"] == role]
    if deadline is not None:
        out = [r for r in out if r["deadline"] is not None and r["deadline"] <= deadline]
    if industry:
        found = concepts.resolve(industry, ["industry"])
        if not found:
            raise MetrokgError("E312", kind="industry", value=industry, listing="metrokg entities --type industry")
        wanted = set().union(*(concepts.narrower_closure(i) for i in found))
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


def write_xlsx(rows: list[dict], path: str | Path, summary: list[dict] | None = None) -> Path:
    """The register as an Excel workbook: sheet 义务 (rows) and sheet 按主体 (counts per actor)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise MetrokgError("E313", path=path)
    wb = Workbook()
    ws = wb.active
    ws.title = "义务 obligations"
    ws.append(COLUMNS)
    for r in rows:
        ws.append([_xl(r.get(c)) for c in COLUMNS])
    widths = {"text": 80, "actor": 22, "actor_label": 26, "iri": 40, "actor_iri": 40, "industries": 20}
    for i, c in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(c, 12)
        ws.cell(1, i).font = Font(bold=True)
    text_col = COLUMNS.index("text") + 1
    for row in ws.iter_rows(min_row=2, min_col=text_col, max_col=text_col):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws2 = wb.create_sheet("按主体 by actor")
    summary = summary if summary is not None else summary_by_actor(rows)
    ws2.append(SUMMARY_COLUMNS)
    for g in summary:
        ws2.append([_xl(g.get(c)) for c in SUMMARY_COLUMNS])
    for i in range(1, len(SUMMARY_COLUMNS) + 1):
        ws2.cell(1, i).font = Font(bold=True)
    ws2.column_dimensions["A"].width = 30
    ws2.column_dimensions["B"].width = 50
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        wb.save(tmp)
        tmp.replace(path)
    except OSError as err:
        raise MetrokgError("E314", path=path, reason=err.strerror or str(err)) from None
    return path


def _xl(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def sort_key(row: dict) -> tuple:
    return row["document"], number_key(row["number"]), row["start"]
